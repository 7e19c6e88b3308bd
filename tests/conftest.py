"""Fixtures shared by the whole suite: a private WEARKIT_HOME and running virtual boards."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

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
