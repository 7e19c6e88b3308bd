"""A virtual board: the public object tests, demos and `wearkit sim` hold.

It owns the board's folder (``flash/``: its file system; ``state/``: what the host tells
its simulated sensors, see firmware/README.md), the interpreter (`wearkit.sim.process`)
and the USB-serial bridge in front of it (`wearkit.sim.bridge`). Everything a caller
gives it is checked here, before the board starts, so `wearkit sim`, `try`, `demo` and
the tests get the same one-line errors.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from pathlib import Path
from typing import Any

from wearkit import paths, sensors
from wearkit.activities.scenarios import validate_scenario
from wearkit.boards import BoardProfile
from wearkit.errors import SimError
from wearkit.sim import registry
from wearkit.sim.bridge import Bridge
from wearkit.sim.faults import FaultWatcher, noise_burst
from wearkit.sim.live import write_live
from wearkit.sim.process import Interpreter

_BOOT_TIMEOUT = 10.0


def check_speed(speed: object) -> float:
    """``speed`` as a clock speed-up; SimError naming ``--speed`` unless a number above 0."""
    if (
        isinstance(speed, bool)
        or not isinstance(speed, int | float)
        or not (math.isfinite(speed) and speed > 0)
    ):
        shown = f"{speed:g}" if isinstance(speed, float) else str(speed)
        raise SimError(f"--speed must be a number above 0 (1 = real time), not {shown}")
    return float(speed)


def check_baud(baud: object) -> int | None:
    """``baud`` as a line speed (None or 0: unthrottled); SimError naming ``--baud`` if wrong."""
    if baud is None or baud == 0:
        return None
    if isinstance(baud, bool) or not isinstance(baud, int) or baud < 0:
        raise SimError(
            f"--baud must be a whole number of bits a second, like 115200, or 0 for an "
            f"unthrottled line, not {baud}"
        )
    return baud


def board_info(profile: BoardProfile, name: str, speed: float) -> dict[str, Any]:
    """The content of a board's ``state/board.json``, read by its simulation core.

    ``sensors`` gives each number channel ``[low, high, default]`` from `wearkit.sensors`,
    the range narrowed to the part's own where the profile's ``[sim.<capability>]`` says
    (a micro:bit's accelerometer reads ±2 g), then ``resolution, lag_ms`` where the part has
    either: the board clips, rounds and lags its readings as the part does and needs no table
    of its own. Binary channels (buttons, pads) are left out: the layers read them with
    ``bool()``, and every entry costs a simulated micro:bit v1 about 100 bytes of its heap.
    """
    channels: dict[str, list[float | None]] = {}
    for s in sensors.LIVE.values():
        if s.kind != "number":
            continue
        part = profile.sim_parts.get(s.capability)
        low, high = part.range if part and part.range else (s.low, s.high)
        entry: list[float | None] = [_num(low), _num(high), s.default]
        if part and (part.resolution or part.lag_ms):
            entry += [_num(part.resolution), _num(part.lag_ms)]
        channels[s.name] = entry
    return {
        "id": profile.id,
        "name": name,
        "platform": profile.platform,
        "capabilities": sorted(profile.capabilities),
        "speed": speed,
        "sensors": channels,
    }


def _num(value: float) -> float:
    """``value`` as an int when whole (smaller in board.json and on the board's heap)."""
    return int(value) if float(value).is_integer() else value


class VirtualBoard:
    """One virtual board: an interpreter, its flash folder, and the bridge to its port.

    ``port`` is the path the host opens. The fault methods (`unplug`, `inject_noise`,
    `stall`, `reset`, ``refuse_raw_paste``) exist for tests and demos; other processes
    reach them through `wearkit.sim.faults.request_fault`.
    """

    def __init__(
        self,
        profile: BoardProfile,
        name: str,
        folder: Path,
        *,
        baud: int | None = 115200,
        speed: float = 1.0,
        scenario: Path | None = None,
        refuse_raw_paste: bool = False,
        air: Path | None = None,
    ) -> None:
        self.profile = profile
        self.air = air
        self.name = name
        self.folder = folder
        self.flash_dir = folder / "flash"
        self.state_dir = folder / "state"
        self.baud = check_baud(baud)
        self.speed = check_speed(speed)
        if scenario is not None:
            validate_scenario(scenario)
        self._scenario = scenario
        self._interpreter = Interpreter(profile, self.flash_dir, self.state_dir, air)
        self._bridge = Bridge(self._interpreter, self.baud, name)
        self._bridge.refuse_raw_paste = refuse_raw_paste
        self._faults = FaultWatcher(self.state_dir, self.apply_fault)
        self.unplugged = False

    @property
    def port(self) -> str:
        """The serial port the host opens (``/dev/pts/N``); empty until started."""
        return self._bridge.port

    @property
    def restarts(self) -> int:
        """How many times the interpreter restarted (soft resets, crashes, resets)."""
        return self._bridge.restarts

    @property
    def refuse_raw_paste(self) -> bool:
        """Act as an older firmware that answers raw-paste requests with "not supported"."""
        return self._bridge.refuse_raw_paste

    @refuse_raw_paste.setter
    def refuse_raw_paste(self, value: bool) -> None:
        self._bridge.refuse_raw_paste = value

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> VirtualBoard:
        """Create the flash folder and ports, boot the interpreter, wait for its prompt."""
        self.flash_dir.mkdir(parents=True, exist_ok=True)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self._copy_scenario()
        self._write_board_json()
        self._bridge.open()
        self._faults.start()
        if self._interpreter.boot_script() is None and not self._bridge.booted.wait(_BOOT_TIMEOUT):
            self.close()
            raise SimError(f"virtual board {self.name}: the interpreter did not boot")
        return self

    def close(self) -> None:
        """Power the board off: stop the interpreter and remove the port."""
        self._faults.stop()
        self._bridge.close()

    def __enter__(self) -> VirtualBoard:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- faults ------------------------------------------------------------------------------

    def unplug(self) -> None:
        """Pull the cable: the port closes under the host, as a real unplug does."""
        self.unplugged = True
        registry.unregister(os.getpid(), self.name)  # `wearkit boards` stops listing it
        self.close()

    def replug(self) -> None:
        """Plug the cable back in: the board powers up (its main.py runs) on a new port,
        with its flash as it was, and `wearkit boards` lists it again."""
        if not self.unplugged:
            return
        refuse = self._bridge.refuse_raw_paste
        self._bridge = Bridge(self._interpreter, self.baud, self.name)
        self._bridge.refuse_raw_paste = refuse
        self._faults = FaultWatcher(self.state_dir, self.apply_fault)
        self.unplugged = False
        self.start()
        registry.register(self.describe())

    def inject_noise(self, data: bytes | None = None, count: int = 32) -> None:
        """Send a burst of noise to the host at the next line boundary (see faults.py).

        ``data`` is the burst as given; by default ``count`` random bytes, any value but 0x03.
        """
        self._bridge.add_noise(noise_burst(count) if data is None else data)

    def stall(self, seconds: float | None = None) -> None:
        """Stop moving bytes in both directions, for ``seconds`` or until `resume`."""
        self._bridge.stall(seconds)

    def resume(self) -> None:
        """End a stall."""
        self._bridge.resume()

    def reset(self) -> None:
        """Press the reset button: the board restarts, runs main.py, and shows its REPL."""
        self._bridge.hard_reset()

    def apply_fault(self, kind: str, params: dict[str, Any]) -> None:
        """Apply a fault by name (`wearkit.sim.faults.FAULTS`), as requested by another process."""
        if kind == "noise":
            self.inject_noise(count=int(params["bytes"]))
        elif kind == "stall":
            self.stall(float(params["seconds"]))
        elif kind == "reset":
            self.reset()
        elif kind == "unplug":
            self.unplug()

    # -- what the host tells the board ----------------------------------------------------

    def set_live(self, **values: float | int | None) -> None:
        """Set live sensor values (they override the scenario); None clears one."""
        write_live(self.state_dir, values)

    def set_scenario(self, scenario: Path | None) -> None:
        """Replay ``scenario`` (a CSV, checked first) from the next start of the board's clock."""
        if scenario is not None:
            validate_scenario(scenario)
        self._scenario = scenario
        if self.state_dir.is_dir():  # else `start` copies it
            self._copy_scenario()

    def set_speed(self, speed: float) -> None:
        """Run the board's clock ``speed`` times faster than real time, from its next reset."""
        self.speed = check_speed(speed)
        self._write_board_json()

    def describe(self) -> dict[str, Any]:
        """What `wearkit boards` shows about this board."""
        return {
            "port": self.port,
            "family": self.profile.id,
            "name": self.name,
            "folder": str(self.folder),
            "pid": os.getpid(),
        }

    def _copy_scenario(self) -> None:
        target = self.state_dir / "scenario.csv"
        if self._scenario is None:
            target.unlink(missing_ok=True)
            return
        # Written aside and renamed: a running board streams the old file from its open
        # handle and never reads a half-copied one.
        part = target.with_name(".scenario.csv.part")
        try:
            shutil.copyfile(self._scenario, part)
            os.replace(part, target)
        except OSError as exc:
            raise SimError(f"scenario {self._scenario}: cannot read: {exc.strerror}") from None

    def _write_board_json(self) -> None:
        info = board_info(self.profile, self.name, self.speed)
        paths.write_atomic(self.state_dir / "board.json", json.dumps(info))
