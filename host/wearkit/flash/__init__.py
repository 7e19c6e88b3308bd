"""Putting firmware on boards: one flasher per profile ``flash`` method, in `FLASHERS`.

A flasher takes a `Target` (the board's profile, its drive and/or serial port) and
`FlashOptions`, checks everything it will write before it writes anything (a firmware
file that is damaged, too big or for another board is refused with a `FlashError`
naming it), then flashes, reporting `FlashProgress` events through a callback (the CLI
draws bars from them, the web app streams them) and returns a `FlashResult`.

| method | boards | how |
|---|---|---|
| ``hex-drive`` | micro:bit | a MicroPython hex with the runtime inside, copied onto MICROBIT |
| ``uf2-drive`` | Circuit Playground | CircuitPython's .uf2 onto its boot drive, then the runtime |
| ``esptool`` | ESP32 | esptool's Python API: detect, erase, write, verify; then the runtime |
| ``sim`` | virtual | the runtime over its serial line |

Flashers never print; they never import the simulator or discovery: how to find a
board's serial port after a flash is a callable in the options.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wearkit.boards import BoardProfile
from wearkit.errors import FlashError

STREAM_VERSION = 1


@dataclass(frozen=True)
class FlashProgress:
    """How far one board has got: ``step`` (a word), ``done`` of ``total`` (units of the
    step: bytes, files; 0 of 0 when the step has no measure), and a line for a person."""

    board: str
    step: str
    done: int = 0
    total: int = 0
    message: str = ""
    at: float = field(default_factory=time.time)

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` line (and the web stream's event): versioned like a run's events."""
        return {
            "v": STREAM_VERSION,
            "event": "flash",
            "at": round(self.at, 3),
            "board": self.board,
            "step": self.step,
            "done": self.done,
            "total": self.total,
            "message": self.message,
        }


ProgressCallback = Callable[[FlashProgress], None]


@dataclass(frozen=True)
class Target:
    """A board to flash, where it is now: its drive's folder, its serial port, or both."""

    profile: BoardProfile
    label: str  # what progress calls it: the board's name, drive or port
    drive: Path | None = None
    port: str | None = None
    uid: str = ""  # its USB serial number (a micro:bit's DAPLink Unique ID)


@dataclass(frozen=True)
class FlashOptions:
    """What to put on the board besides its firmware, and how long to wait for it."""

    firmware: str | None = None  # a file or an https URL; None: the package's, or the profile's
    name: str | None = None  # the short name the board shows at start-up
    group: int | None = None  # its radio group (radio boards only)
    main: bytes | None = None  # a main.py to embed (an activity's script) instead of the name
    runtime: bool = True  # after the firmware, put the runtime, name and group on too
    timeout: float = 60.0  # seconds a board may take to come back after a flash
    find_port: Callable[[str], str | None] | None = None  # uid -> its serial port now
    cache: Path | None = None  # where downloaded firmware is kept


@dataclass(frozen=True)
class FlashResult:
    """A board flashed: where it is now and what it holds."""

    board: str
    port: str | None  # its serial port after the flash, where known
    drive: Path | None = None  # its drive after the flash (a CIRCUITPY), where one
    files: tuple[str, ...] = ()
    message: str = ""


Flasher = Callable[[Target, FlashOptions, ProgressCallback], FlashResult]


class Reporter:
    """Sends progress for one board, never failing the flash if a listener raises."""

    def __init__(self, board: str, callback: ProgressCallback | None) -> None:
        self.board = board
        self._callback = callback

    def __call__(self, step: str, done: int = 0, total: int = 0, message: str = "") -> None:
        if self._callback is not None:
            self._callback(FlashProgress(self.board, step, done, total, message))


# -- claims: a drive or port one flasher is using is nobody else's -----------------------

_claims: set[str] = set()
_claims_lock = threading.Lock()


def claim(key: str) -> bool:
    """Take ``key`` (a drive folder, a port, a board's uid) for one flash; False if taken.

    A board that comes back on a new port or drive after its flash is claimed by its
    flasher before anyone else (`wearkit flash --all` watching for new boards) takes it.
    """
    with _claims_lock:
        if key in _claims:
            return False
        _claims.add(key)
        return True


def claimed(key: str) -> bool:
    """Whether ``key`` is taken by a flash."""
    with _claims_lock:
        return key in _claims


def release(key: str) -> None:
    """Give ``key`` back."""
    with _claims_lock:
        _claims.discard(key)


# -- files on drives -----------------------------------------------------------------------


def write_synced(
    path: Path, data: bytes, progress: Callable[[int], None] | None = None, chunk: int = 32768
) -> None:
    """Write ``data`` to ``path`` on a drive in pieces (``progress`` gets the bytes written),
    then flush and fsync it: the OS may hold a USB drive's writes in its cache, and a DAPLink
    or UF2 bootloader acts only on bytes that reached it. FlashError naming the drive if it
    cannot be written."""
    try:
        with open(path, "wb") as out:
            for start in range(0, len(data), chunk):
                out.write(data[start : start + chunk])
                if progress is not None:
                    progress(min(start + chunk, len(data)))
            out.flush()
            os.fsync(out.fileno())
    except OSError as exc:
        raise FlashError(
            f"{path.parent}: cannot write {path.name} ({exc.strerror or exc}); is the drive "
            "still plugged in and not read-only?"
        ) from None


def wait_for(what: Callable[[], Any], timeout: float, interval: float = 0.1) -> Any:
    """Poll ``what`` until it returns something truthy (returned) or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while True:
        got = what()
        if got:
            return got
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval)


# The flashers import what they need (esptool, micropython-microbit-fs) when they run.
from wearkit.flash import esp, hexdrive, serialonly, uf2drive  # noqa: E402

#: The flasher for each profile ``flash`` method.
FLASHERS: dict[str, Flasher] = {
    "hex-drive": hexdrive.flash,
    "uf2-drive": uf2drive.flash,
    "esptool": esp.flash,
    "sim": serialonly.flash,
}


def flash_board(
    target: Target, options: FlashOptions | None = None, on_progress: ProgressCallback | None = None
) -> FlashResult:
    """Flash ``target`` with the flasher its profile names; FlashError says what went wrong.

    The last progress event is ``done`` or ``failed`` (with the reason).
    """
    options = options or FlashOptions()
    method = target.profile.flash
    if method not in FLASHERS:
        raise FlashError(
            f"{target.label}: no flasher for method {method!r} (boards/{target.profile.id}.toml); "
            f"known: {', '.join(sorted(FLASHERS))}"
        )
    report = Reporter(target.label, on_progress)
    try:
        result = FLASHERS[method](target, options, on_progress or (lambda event: None))
    except FlashError as exc:
        report("failed", message=str(exc))
        raise
    report("done", 1, 1, result.message)
    return result
