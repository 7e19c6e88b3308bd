"""Running virtual boards register here, so `wearkit boards` in another terminal lists them."""

from __future__ import annotations

import contextlib
import json
import os
import random
from pathlib import Path
from typing import Any

from wearkit import paths
from wearkit.errors import SimError

_CONSONANTS = "bdfgkmnprstvz"
_VOWELS = "aeiou"


def _entry_path(pid: int, name: str) -> Path:
    return paths.runtime_dir() / f"{pid}-{name}.json"


def register(info: dict[str, Any]) -> None:
    """Record a running board (``port``, ``family``, ``name``, ``pid``, ``folder``)."""
    paths.write_atomic(_entry_path(int(info["pid"]), str(info["name"])), json.dumps(info))


def unregister(pid: int, name: str) -> None:
    """Forget a board that was switched off."""
    _entry_path(pid, name).unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def registered() -> list[dict[str, Any]]:
    """Every virtual board still running, oldest first; stale entries are removed."""
    boards = []
    for path in sorted(paths.runtime_dir().glob("*.json"), key=lambda p: p.stat().st_mtime):
        try:
            info = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        port = str(info.get("port", ""))
        if not _alive(int(info.get("pid", 0))) or not (
            os.path.exists(port) or port.startswith("blinka:")
        ):
            with contextlib.suppress(OSError):
                path.unlink()
            continue
        boards.append(info)
    return boards


def state_dir_of(port: str) -> Path:
    """The state folder of the running virtual board on ``port``; SimError if there is none.

    Live values and faults reach a board through this folder, so they work only for boards
    started by `wearkit sim` (or a fleet) that registered themselves.
    """
    for info in registered():
        if info.get("port") == port:
            return Path(info["folder"]) / "state"
    raise SimError(
        f"{port} is not a running virtual board: live values and faults are for boards "
        "started by `wearkit sim` (`wearkit boards` lists them)"
    )


def new_name(taken: set[str], rng: random.Random | None = None) -> str:
    """A short name to find a board by, in the style of micro:bit's (``ZOVIT``)."""
    rng = rng or random.Random()
    while True:
        name = "".join(rng.choice(_CONSONANTS if i % 2 == 0 else _VOWELS) for i in range(5)).upper()
        if name not in taken:
            return name
