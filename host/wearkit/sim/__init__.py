"""Virtual boards: the real MicroPython interpreter behind a pty "USB-serial" bridge.

board.py: `VirtualBoard`, the public object; process.py: the interpreter on its pty;
boot.py: what a (re)starting board shows; bridge.py: the byte pump between the ptys;
faults.py: noise, unplug, stall, reset, also from other processes; fleet.py: many boards
at once; registry.py: running boards, for other terminals; live.py: live sensor values.

The names below load on first use: finding boards needs only the registry, and
`wearkit boards` should not start by importing the whole simulator.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wearkit.sim.board import VirtualBoard, check_baud, check_speed
    from wearkit.sim.faults import request_fault
    from wearkit.sim.fleet import MAX_BOARDS, Fleet, check_count, start_fleet
    from wearkit.sim.interpreter import interpreter_command
    from wearkit.sim.live import write_live

_WHERE = {
    "VirtualBoard": "board",
    "check_baud": "board",
    "check_speed": "board",
    "request_fault": "faults",
    "MAX_BOARDS": "fleet",
    "Fleet": "fleet",
    "check_count": "fleet",
    "start_fleet": "fleet",
    "interpreter_command": "interpreter",
    "write_live": "live",
}

__all__ = [
    "MAX_BOARDS",
    "Fleet",
    "VirtualBoard",
    "check_baud",
    "check_count",
    "check_speed",
    "interpreter_command",
    "request_fault",
    "start_fleet",
    "write_live",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'wearkit.sim' has no attribute {name!r}")
    return getattr(importlib.import_module(f"wearkit.sim.{_WHERE[name]}"), name)
