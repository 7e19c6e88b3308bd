"""Helpers to run firmware in the real MicroPython unix port, set up as the sim bridge sets
up a virtual board (the flash folder as cwd, MICROPYPATH, WEARKIT_SIM_STATE)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wearkit.boards import get_profile
from wearkit.sim.board import board_info

FIRMWARE = Path(__file__).parents[2] / "firmware"
MICROPYTHON = Path(sys.executable).with_name("micropython")
FAMILIES = ["microbit-v1", "microbit-v2", "cpx", "cpb", "esp32-wearable", "virtual"]

RunBoard = Callable[..., subprocess.CompletedProcess[str]]


def board_env(state: Path, profile_id: str, speed: float) -> dict[str, str]:
    """Write board.json into ``state`` and return the interpreter's environment."""
    profile = get_profile(profile_id)
    info = board_info(profile, "TESTY", speed)  # as a virtual board gets it
    (state / "board.json").write_text(json.dumps(info))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MICROPY", "PYTHON"))}
    sim = FIRMWARE / "sim"
    env["MICROPYPATH"] = os.pathsep.join(
        ["", str(FIRMWARE), str(sim / profile.sim_modules), str(sim / "common")]
    )
    env["WEARKIT_SIM_STATE"] = str(state)
    return env


def results(proc: subprocess.CompletedProcess[str]) -> list[Any]:
    """The lines a script printed as ``=<json>`` (frames and other text left out)."""
    return [json.loads(line[1:]) for line in proc.stdout.splitlines() if line.startswith("=")]
