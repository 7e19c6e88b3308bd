"""Starting a classroom of virtual boards at once."""

from __future__ import annotations

import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from wearkit.boards import BoardProfile
from wearkit.sim import registry
from wearkit.sim.bridge import VirtualBoard


class Fleet:
    """Virtual boards that are started, registered and switched off together."""

    def __init__(self, boards: list[VirtualBoard], folder: Path, owns_folder: bool) -> None:
        self.boards = boards
        self.folder = folder
        self._owns_folder = owns_folder

    def close(self) -> None:
        """Switch every board off and forget them."""
        for board in self.boards:
            registry.unregister(board.describe()["pid"], board.name)
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda b: b.close(), self.boards))
        if self._owns_folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Fleet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start_fleet(
    profile: BoardProfile,
    count: int,
    *,
    baud: int | None = 115200,
    speed: float = 1.0,
    scenario: Path | None = None,
    folder: Path | None = None,
    register: bool = True,
) -> Fleet:
    """Start ``count`` virtual boards of ``profile`` (in parallel) and register them."""
    owns = folder is None
    root = folder or Path(tempfile.mkdtemp(prefix="wearkit-sim-"))
    air = root / "air"  # the radio messages between the fleet's boards (firmware/README.md)
    air.mkdir(parents=True, exist_ok=True)
    taken = {info["name"] for info in registry.registered()}
    boards = []
    for _ in range(count):
        name = registry.new_name(taken)
        taken.add(name)
        boards.append(
            VirtualBoard(
                profile, name, root / name, baud=baud, speed=speed, scenario=scenario, air=air
            )
        )
    fleet = Fleet(boards, root, owns)
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(lambda b: b.start(), boards))
    except BaseException:
        fleet.close()
        raise
    if register:
        for board in boards:
            registry.register(board.describe())
    return fleet
