"""Starting a classroom of virtual boards at once."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from wearkit.activities.scenarios import validate_scenario
from wearkit.boards import BoardProfile
from wearkit.errors import SimError
from wearkit.sim import registry
from wearkit.sim.blinka import board_class
from wearkit.sim.board import VirtualBoard, check_baud, check_speed

# The most boards one `wearkit sim` starts: two classrooms of 30. Each board is an
# interpreter process (~10 MB), two ptys and four threads; a few hundred exhaust the
# default limit of 1024 open files and the host's ptys long before they are useful.
MAX_BOARDS = 64


def check_count(count: object) -> int:
    """``count`` as a number of boards to start; SimError naming ``--boards`` if wrong."""
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_BOARDS:
        raise SimError(
            f"--boards must be a whole number from 1 to {MAX_BOARDS} (two classrooms; each "
            f"board is an interpreter process), not {count}"
        )
    return count


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
    profile: BoardProfile | Sequence[BoardProfile],
    count: int,
    *,
    baud: int | None = 115200,
    speed: float = 1.0,
    scenario: Path | None = None,
    folder: Path | None = None,
    register: bool = True,
) -> Fleet:
    """Start ``count`` virtual boards of ``profile`` (in parallel) and register them.

    Given several profiles, the boards take them in turn (a mixed classroom). The boards
    share one radio "air".

    Every argument is checked before the first board starts (SimError, ActivityError for
    a bad scenario).
    """
    profiles = [profile] if isinstance(profile, BoardProfile) else list(profile)
    if not profiles:
        raise SimError("give at least one board profile to simulate")
    check_count(count)
    check_speed(speed)
    check_baud(baud)
    if scenario is not None:
        validate_scenario(scenario)
    owns = folder is None
    root = folder or Path(tempfile.mkdtemp(prefix="wearkit-sim-"))
    air = root / "air"  # the radio messages between the fleet's boards (firmware/README.md)
    air.mkdir(parents=True, exist_ok=True)
    taken = {info["name"] for info in registry.registered()}
    boards = []
    for index in range(count):
        name = registry.new_name(taken)
        taken.add(name)
        board_profile = profiles[index % len(profiles)]
        boards.append(
            board_class(board_profile)(
                board_profile,
                name,
                root / name,
                baud=baud,
                speed=speed,
                scenario=scenario,
                air=air,
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
