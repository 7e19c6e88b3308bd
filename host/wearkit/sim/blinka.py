"""A virtual Blinka board: a Blinka family's kit on Blinka's OS-agnostic board.

There is no interpreter to keep running and no serial line: a Blinka board's REPL is a
CPython process that its link starts (`wearkit.link.process`), so this board is its folder
(``flash/``: the runtime; ``state/``: board.json, the scenario, live values, outputs, as
for every virtual board) and its port URL, ``blinka:<family>?sim=<folder>``. The link runs
the real kithal_blinka layer, the real Blinka layer and the real CircuitPython drivers;
only the I2C parts (register maps), the button pins and the clock are simulated
(firmware/sim/blinka/). Live values and scenarios reach it as they reach any virtual board.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from wearkit.boards import BoardProfile
from wearkit.errors import SimError
from wearkit.kits import blinka_url
from wearkit.sim import registry
from wearkit.sim.board import VirtualBoard, check_speed

_NO_FAULTS = (
    "a virtual Blinka board has no serial line for noise, stalls or resets; its process "
    "ends with its run (faults are for `wearkit sim` boards of the MicroPython families)"
)


class BlinkaBoard(VirtualBoard):
    """A virtual board of a Blinka family: a folder and a port URL (see the module)."""

    def __init__(
        self,
        profile: BoardProfile,
        name: str,
        folder: Path,
        *,
        baud: int | None = None,
        speed: float = 1.0,
        scenario: Path | None = None,
        refuse_raw_paste: bool = False,
        air: Path | None = None,
    ) -> None:
        # No interpreter and no bridge: the link starts the board's process. ``baud``,
        # ``refuse_raw_paste`` and ``air`` (no radio) have no meaning here.
        self.profile = profile
        self.air = air
        self.name = name
        self.folder = folder
        self.flash_dir = folder / "flash"
        self.state_dir = folder / "state"
        self.baud = None
        self.speed = check_speed(speed)
        self._scenario = None
        self.set_scenario(scenario)
        self.unplugged = False
        self._started = False

    @property
    def port(self) -> str:
        """``blinka:<family>?sim=<folder>``; empty until started (or while unplugged)."""
        return blinka_url(self.profile.id, sim=self.folder) if self._started else ""

    @property
    def restarts(self) -> int:
        """Always 0: the board's process belongs to its link."""
        return 0

    @property
    def refuse_raw_paste(self) -> bool:
        """No raw paste to refuse."""
        return False

    @refuse_raw_paste.setter
    def refuse_raw_paste(self, value: bool) -> None:
        raise SimError(_NO_FAULTS)

    def start(self) -> BlinkaBoard:
        """Create the board's folders and write what its simulation reads."""
        self.flash_dir.mkdir(parents=True, exist_ok=True)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self._copy_scenario()
        self._write_board_json()
        self._started = True
        return self

    def close(self) -> None:
        """Switch the board off (a link still open keeps its process until it closes);
        `wearkit boards` stops listing it (its port is a URL that never goes away)."""
        self._started = False
        registry.unregister(os.getpid(), self.name)

    def __enter__(self) -> BlinkaBoard:
        return self.start()

    def unplug(self) -> None:
        """Take the board away: `wearkit boards` stops listing it and its port goes."""
        self.unplugged = True
        registry.unregister(os.getpid(), self.name)
        self.close()

    def replug(self) -> None:
        """Bring it back, flash as it was, and list it again."""
        if not self.unplugged:
            return
        self.unplugged = False
        self.start()
        registry.register(self.describe())

    def inject_noise(self, data: bytes | None = None, count: int = 32) -> None:
        """Not on a Blinka board: SimError."""
        raise SimError(_NO_FAULTS)

    def stall(self, seconds: float | None = None) -> None:
        """Not on a Blinka board: SimError."""
        raise SimError(_NO_FAULTS)

    def resume(self) -> None:
        """Nothing is stalled."""

    def reset(self) -> None:
        """Not on a Blinka board: SimError."""
        raise SimError(_NO_FAULTS)

    def apply_fault(self, kind: str, params: dict[str, Any]) -> None:
        """Only ``unplug`` means something here."""
        if kind != "unplug":
            raise SimError(_NO_FAULTS)
        self.unplug()


def board_class(profile: BoardProfile) -> type[VirtualBoard]:
    """The kind of virtual board that simulates ``profile``: a Blinka board for a profile
    with a kit (its runtime is CPython), else the MicroPython interpreter on a pty."""
    return BlinkaBoard if profile.kit is not None else VirtualBoard
