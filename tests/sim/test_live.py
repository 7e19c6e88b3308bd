"""Live values: checked against the one sensor table before they reach a board."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wearkit.errors import SimError
from wearkit.sim.live import write_live


def test_values_merge_and_none_clears(tmp_path: Path) -> None:
    write_live(tmp_path, {"light": 200, "button_a": 1})
    assert write_live(tmp_path, {"button_a": None}) == {"light": 200}
    assert json.loads((tmp_path / "live.json").read_text()) == {"light": 200}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"temp": float("inf")}, "temp must be a finite number, not inf"),
        ({"light": -50}, "light must be between 0 and 255, not -50"),
        ({"button_a": 2}, "button_a is 0 (released) or 1 (pressed), not 2"),
        ({"radio": 1}, "unknown sensor 'radio'"),  # a message, not a live value
        ({"light": "200"}, "light must be a number, not '200'"),
    ],
)
def test_impossible_values_are_refused_and_nothing_is_written(
    tmp_path: Path, values: dict[str, object], message: str
) -> None:
    write_live(tmp_path, {"light": 10})
    with pytest.raises(SimError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        write_live(tmp_path, values)  # type: ignore[arg-type]
    assert json.loads((tmp_path / "live.json").read_text()) == {"light": 10}
