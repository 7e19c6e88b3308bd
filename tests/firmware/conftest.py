"""Fixtures for firmware tests: a virtual board's state folder and a script runner."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.firmware.firmware_helpers import MICROPYTHON, RunBoard, board_env
from wearkit.boards import get_profile


@pytest.fixture
def state_dir(tmp_path: Path) -> Path:
    state = tmp_path / "state"
    state.mkdir()
    return state


@pytest.fixture
def run_board(tmp_path: Path, state_dir: Path) -> RunBoard:
    """Run ``script`` on a virtual board of ``family``; returns the finished process."""

    def run(
        script: str,
        family: str = "virtual",
        *,
        scenario: str | None = None,
        live: dict[str, Any] | None = None,
        speed: float = 50.0,
        check: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        if scenario is not None:
            (state_dir / "scenario.csv").write_text(scenario)
        if live is not None:
            (state_dir / "live.json").write_text(json.dumps(live))
        (tmp_path / "main.py").write_text(script)
        heap = f"heapsize={get_profile(family).sim_heap}"  # as the sim bridge starts it
        proc = subprocess.run(
            [str(MICROPYTHON), "-X", heap, "main.py"], cwd=tmp_path,
            env=board_env(state_dir, family, speed),
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
        if check:
            assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc

    return run
