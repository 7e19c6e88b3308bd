"""Fixtures shared by the whole suite: a private WEARKIT_HOME and running virtual boards."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from wearkit.activities import Activity
from wearkit.boards import BoardProfile, get_profile
from wearkit.sim import VirtualBoard, start_fleet


@pytest.fixture(autouse=True, scope="session")
def wearkit_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Keep the registry, store and caches of the tests away from the user's."""
    home = tmp_path_factory.mktemp("wearkit-home")
    old = os.environ.get("WEARKIT_HOME")
    os.environ["WEARKIT_HOME"] = str(home)
    yield home
    if old is None:
        os.environ.pop("WEARKIT_HOME", None)
    else:
        os.environ["WEARKIT_HOME"] = old


@pytest.fixture
def microbit_v2() -> BoardProfile:
    return get_profile("microbit-v2")


@pytest.fixture
def board(microbit_v2: BoardProfile, tmp_path: Path) -> Iterator[VirtualBoard]:
    """A virtual micro:bit v2 on an unthrottled line (fast tests)."""
    with start_fleet(microbit_v2, 1, baud=None, folder=tmp_path / "boards") as fleet:
        yield fleet.boards[0]


@pytest.fixture
def slow_board(microbit_v2: BoardProfile, tmp_path: Path) -> Iterator[VirtualBoard]:
    """A virtual micro:bit v2 throttled to 115200 baud, as a real one is."""
    with start_fleet(microbit_v2, 1, baud=115200, folder=tmp_path / "boards") as fleet:
        yield fleet.boards[0]


LIGHT_PROBE_TOML = """
title = "Light probe"
summary = "Reports the light level."
level = "beginner"
minutes = 5
themes = ["coding"]
requires = ["light"]
time_limit = 20

[badge]
name = "Probe"
description = "Probed the light."
criteria = "Saw the light level reach 200."

[metrics.light]
unit = "level"
description = "Light level."

[[tasks]]
id = "bright"
title = "Make it bright"
metric = "light"
at_least = 200
"""

LIGHT_PROBE_SCRIPT = """import kit

TIME_LIMIT = 20
start = kit.ms()
{before}
while kit.ms() - start < TIME_LIMIT * 1000:
    kit.report("light", kit.light())
    kit.sample(light=kit.light())
    kit.sleep(100)
{after}
kit.done()
"""


def write_light_probe(folder: Path, before: str = "", after: str = "") -> Path:
    """A one-task activity (make the light level reach 200) with code around its loop."""
    (folder / "scenarios").mkdir(parents=True)
    (folder / "activity.toml").write_text(LIGHT_PROBE_TOML)
    (folder / "main.py").write_text(LIGHT_PROBE_SCRIPT.format(before=before, after=after))
    (folder / "README.md").write_text("# Light probe\n")
    (folder / "scenarios" / "pass.csv").write_text("t,light\n0,10\n1,250\n")
    (folder / "scenarios" / "fail.csv").write_text("t,light\n0,10\n")
    return folder


@pytest.fixture
def light_probe(tmp_path: Path) -> Callable[..., Activity]:
    """Makes the light-probe activity, optionally with code before or after its loop."""
    from wearkit.activities import load_activity

    made = iter(range(1000))

    def make(before: str = "", after: str = "") -> Activity:
        folder = tmp_path / f"light-probe-{next(made)}" / "light-probe"
        return load_activity(write_light_probe(folder, before, after))

    return make


@pytest.fixture
def fast_board(board: VirtualBoard) -> VirtualBoard:
    """The unthrottled micro:bit v2 with its clock at x20."""
    board.set_speed(20)
    return board


def _wearkit(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wearkit.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=os.environ.copy(),
    )


@pytest.fixture
def wearkit() -> Callable[..., subprocess.CompletedProcess[str]]:
    """The `wearkit` command, run as a user runs it: a separate process."""
    return _wearkit
