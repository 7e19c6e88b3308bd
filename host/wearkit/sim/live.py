"""Live sensor values for a virtual board, set from the host while it runs.

They go into the board's ``state/live.json`` (written atomically), which its simulated
sensors re-read when it changes; a live value overrides the scenario until cleared. Names
and values are checked against the one sensor table (`wearkit.sensors.LIVE`), so a value a
real part could not read (``temp=inf``, ``light=-50``, ``button_a=2``) never reaches a board.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from wearkit import paths
from wearkit.errors import SimError
from wearkit.sensors import LIVE


def check_live(values: Mapping[str, float | int | None]) -> None:
    """SimError (one line) for the first unknown channel or impossible value in ``values``."""
    unknown = sorted(set(values) - set(LIVE))
    if unknown:
        raise SimError(f"unknown sensor {unknown[0]!r}; known: {', '.join(LIVE)}")
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SimError(f"{name} must be a number, not {value!r}")
        problem = LIVE[name].problem(value)
        if problem is not None:
            raise SimError(problem.replace(" ,", ","))


def write_live(state_dir: Path, values: Mapping[str, float | int | None]) -> dict[str, Any]:
    """Merge ``values`` into the board's live values (None clears one); return them all.

    Raises SimError, before anything is written, if a name or a value is wrong.
    """
    check_live(values)
    path = state_dir / "live.json"
    current: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError):
        current = json.loads(path.read_text(encoding="utf-8"))
    for key, value in values.items():
        if value is None:
            current.pop(key, None)
        else:
            current[key] = value
    try:
        before = int(path.stat().st_mtime)
    except OSError:
        before = 0
    paths.write_atomic(path, json.dumps(current))
    # The board notices a change by the file's mtime (whole seconds on MicroPython) and
    # size: two writes within a second with the same size (light=120, then 130) would look
    # unchanged. So every write gets a later whole-second mtime than the one before.
    stamp = max(int(time.time()), before + 1)
    with contextlib.suppress(OSError):
        os.utime(path, (stamp, stamp))
    return current
