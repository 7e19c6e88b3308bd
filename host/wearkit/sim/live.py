"""Live sensor values for a virtual board, set from the host while it runs.

They go into the board's ``state/live.json`` (written atomically), which its simulated
sensors re-read when it changes; a live value overrides the scenario until cleared.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from wearkit import paths
from wearkit.errors import SimError

SENSORS = frozenset(
    {"ax", "ay", "az", "light", "temp", "sound", "button_a", "button_b"}
    | {f"touch_A{n}" for n in range(1, 8)}
)


def write_live(state_dir: Path, values: Mapping[str, float | int | None]) -> dict[str, Any]:
    """Merge ``values`` into the board's live values (None clears one); return them all."""
    unknown = sorted(set(values) - SENSORS)
    if unknown:
        raise SimError(
            f"unknown sensor {', '.join(map(repr, unknown))}; known: {', '.join(sorted(SENSORS))}"
        )
    path = state_dir / "live.json"
    current: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError):
        current = json.loads(path.read_text(encoding="utf-8"))
    for key, value in values.items():
        if value is None:
            current.pop(key, None)
        else:
            current[key] = value
    paths.write_atomic(path, json.dumps(current))
    return current
