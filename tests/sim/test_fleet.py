"""A fleet checks its arguments before its first board starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from wearkit.boards import BoardProfile
from wearkit.errors import ActivityError, SimError
from wearkit.sim import MAX_BOARDS, start_fleet


@pytest.mark.parametrize("count", [0, -3, MAX_BOARDS + 1])
def test_count_is_checked(microbit_v2: BoardProfile, tmp_path: Path, count: int) -> None:
    with pytest.raises(SimError, match=f"^--boards must be a whole number from 1 to 64.*{count}$"):
        start_fleet(microbit_v2, count, folder=tmp_path)
    assert not any(tmp_path.iterdir())  # no board folder made


@pytest.mark.parametrize("speed", [0, float("nan"), float("inf"), -1.0])
def test_speed_is_checked(microbit_v2: BoardProfile, tmp_path: Path, speed: float) -> None:
    with pytest.raises(SimError, match=r"^--speed must be a number above 0 \(1 = real time\)"):
        start_fleet(microbit_v2, 2, speed=speed, folder=tmp_path)
    assert not any(tmp_path.iterdir())


def test_baud_is_checked(microbit_v2: BoardProfile, tmp_path: Path) -> None:
    with pytest.raises(SimError, match="^--baud must be a whole number .* not -5$"):
        start_fleet(microbit_v2, 1, baud=-5, folder=tmp_path)


def test_scenario_is_checked_before_any_board_starts(
    microbit_v2: BoardProfile, tmp_path: Path
) -> None:
    trace = tmp_path / "trace.csv"
    trace.write_text("light\n10\n")
    with pytest.raises(ActivityError, match="no 't' column"):
        start_fleet(microbit_v2, 3, scenario=trace, folder=tmp_path / "boards")
    assert not (tmp_path / "boards").exists()
