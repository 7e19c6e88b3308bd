"""Faults a virtual board can suffer, for tests and demos, in this process or another.

- ``noise``: a burst of line garbage. Its bytes take any value from 0x00 to 0xFF except
  0x03 (a Ctrl-C the host would send is obeyed by a real board; noise in the host-bound
  stream is what the host reads, so every other value, ``\\n``, ``\\x04`` and ``>``
  included, is fair). The burst goes into the host-bound stream at a *line boundary* of the
  board's output, right after a ``\\n`` the board sent (or at once if the board waits,
  quiet, after a line or at a REPL prompt): it never splits a line, so never a frame, that
  the board is sending, even one a script prints in pieces. That keeps
  "noise never flips a verdict" meaningful (a frame cut in two by garbage is lost on a real
  line too, and no protocol can recover it without retransmission) and realistic (line
  noise on USB serial comes from a hub's glitch or a baud mismatch at boot, between
  packets, not inside one).
- ``unplug``: the port closes under the host, as when the cable is pulled.
- ``stall``: no byte moves either way for a time (a hub that stops answering).
- ``reset``: the reset button: the board restarts, runs main.py and shows its REPL.

Another process asks for a fault with `request_fault`, as `wearkit live` sets sensors: it
writes one small JSON file per request into ``<state>/faults/`` (atomically, named so that
they sort in order); the process running the board (`wearkit sim`) polls that folder with a
`FaultWatcher`, applies each request and deletes its file, which tells the requester it was
taken. A folder of files, not one file, so two quick requests are never merged or lost.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wearkit import paths
from wearkit.errors import SimError
from wearkit.sim import registry

_POLL = 0.1  # seconds between looks at the request folder


@dataclass(frozen=True)
class Param:
    """A fault's parameter (given as ``--name`` on the command line): a number above 0."""

    name: str
    whole: bool  # an int (bytes) or any number (seconds)
    high: float
    default: float

    def check(self, value: object) -> float | int:
        """``value`` as this parameter's number; SimError naming the option if it is not one."""
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not (math.isfinite(value) and 0 < value <= self.high)
            or (self.whole and not float(value).is_integer())
        ):
            what = "a whole number" if self.whole else "a number"
            raise SimError(
                f"--{self.name} must be {what} above 0 and at most {self.high:g}, not {value}"
            )
        return int(value) if self.whole else float(value)


#: Every fault and its parameters.
FAULTS: Mapping[str, tuple[Param, ...]] = {
    "noise": (Param("bytes", True, 65536, 32),),
    "unplug": (),
    "stall": (Param("seconds", False, 3600, 2.0),),
    "reset": (),
}


def check_fault(kind: str, params: Mapping[str, object]) -> dict[str, float | int]:
    """The parameters of fault ``kind`` with defaults filled in; SimError if any is wrong."""
    if kind not in FAULTS:
        raise SimError(f"unknown fault {kind!r}; known: {', '.join(FAULTS)}")
    known = {p.name: p for p in FAULTS[kind]}
    unknown = sorted(set(params) - set(known))
    if unknown:
        takes = ", ".join(f"--{n}" for n in known) or "no options"
        raise SimError(f"fault {kind} takes {takes}, not --{unknown[0]}")
    return {
        name: p.check(params[name]) if params.get(name) is not None else p.default
        for name, p in known.items()
    }


def noise_burst(count: int, rng: random.Random | None = None) -> bytes:
    """``count`` random bytes of any value but 0x03 (Ctrl-C)."""
    rng = rng or random.Random()
    values = [b for b in range(256) if b != 0x03]
    return bytes(rng.choice(values) for _ in range(count))


def _requests_dir(state_dir: Path) -> Path:
    return state_dir / "faults"


def request_fault(
    port_or_state_dir: str | Path, kind: str, *, timeout: float = 5.0, **params: object
) -> None:
    """Ask the process running a virtual board to inject a fault; return once it is taken.

    ``port_or_state_dir`` is a registered board's port (``/dev/pts/N``) or its state folder;
    ``params`` are the fault's (``bytes=`` for noise, ``seconds=`` for stall). Raises
    SimError if the target is not a running virtual board, a parameter is wrong, or the
    board does not take the request within ``timeout`` seconds.
    """
    checked = check_fault(kind, params)
    target = Path(port_or_state_dir)
    state_dir = target if target.is_dir() else registry.state_dir_of(str(port_or_state_dir))
    folder = _requests_dir(state_dir)
    folder.mkdir(exist_ok=True)
    request = folder / f"{time.time_ns():020d}-{os.getpid()}-{random.getrandbits(32):08x}.json"
    paths.write_atomic(request, json.dumps({"kind": kind, **checked}))
    deadline = time.monotonic() + timeout
    while request.exists():
        if time.monotonic() > deadline:
            request.unlink(missing_ok=True)
            raise SimError(
                f"{port_or_state_dir}: the virtual board did not take the {kind} fault within "
                f"{timeout:g} s; is the `wearkit sim` that runs it still going?"
            )
        time.sleep(0.02)


def take_requests(state_dir: Path) -> list[tuple[str, dict[str, Any], Path]]:
    """The fault requests waiting in ``state_dir``, oldest first, with their files; the
    caller removes each file once the fault is applied (that is the requester's answer).
    Files that are not a request we wrote are removed here."""
    folder = _requests_dir(state_dir)
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".json"))
    except OSError:
        return []
    taken = []
    for name in names:
        path = folder / name
        try:
            request = json.loads(path.read_text(encoding="utf-8"))
            kind = str(request.pop("kind"))
            taken.append((kind, check_fault(kind, request), path))
        except (OSError, ValueError, KeyError, SimError):
            with contextlib.suppress(OSError):
                path.unlink()
    return taken


class FaultWatcher:
    """Applies the fault requests other processes leave in a board's state folder."""

    def __init__(self, state_dir: Path, apply: Callable[[str, dict[str, Any]], None]) -> None:
        self.state_dir = state_dir
        self._apply = apply
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="sim-faults", daemon=True)

    def start(self) -> None:
        """Start watching (a daemon thread)."""
        _requests_dir(self.state_dir).mkdir(parents=True, exist_ok=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop watching; safe to call from the watching thread itself (an unplug)."""
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=2)

    def _watch(self) -> None:
        while not self._stop.wait(_POLL):
            for kind, params, path in take_requests(self.state_dir):
                try:
                    self._apply(kind, params)
                finally:
                    with contextlib.suppress(OSError):
                        path.unlink()  # done: the requester returns now
