"""Virtual boards: the real MicroPython interpreter behind a pty "USB-serial" bridge.

board.py: `VirtualBoard`, the public object; process.py: the interpreter on its pty;
boot.py: what a (re)starting board shows; bridge.py: the byte pump between the ptys;
faults.py: noise, unplug, stall, reset, also from other processes; fleet.py: many boards
at once; registry.py: running boards, for other terminals; live.py: live sensor values.
"""

from wearkit.sim.board import VirtualBoard, check_baud, check_speed
from wearkit.sim.faults import request_fault
from wearkit.sim.fleet import MAX_BOARDS, Fleet, check_count, start_fleet
from wearkit.sim.interpreter import interpreter_command
from wearkit.sim.live import write_live

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
