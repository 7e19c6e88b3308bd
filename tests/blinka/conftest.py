"""Fixtures for Blinka boards: a virtual Blinka board of a family, and its link."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from wearkit.boards import get_profile
from wearkit.link import Link, open_link
from wearkit.provision import ensure_runtime
from wearkit.sim import VirtualBoard, start_fleet

pytest.importorskip("board", reason="adafruit-blinka is not installed: pip install '.[blinka]'")

OpenBlinka = Callable[..., tuple[VirtualBoard, Link]]


@pytest.fixture
def open_blinka(tmp_path: Path) -> Iterator[OpenBlinka]:
    """Start a virtual Blinka board of a family, put the runtime on it, open its link."""
    opened: list[tuple[VirtualBoard, Link]] = []

    def make(family: str = "blinka-pi", speed: float = 1.0) -> tuple[VirtualBoard, Link]:
        fleet = start_fleet(get_profile(family), 1, speed=speed, folder=tmp_path / family)
        board = fleet.boards[0]
        link = open_link(board.port)
        ensure_runtime(link, get_profile(family))
        link.soft_reset()
        opened.append((board, link))
        return board, link

    yield make
    for board, link in opened:
        link.close()
        board.close()
