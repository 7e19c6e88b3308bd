"""Virtual boards: the real MicroPython interpreter behind a pty "USB-serial" bridge."""

from wearkit.sim.bridge import VirtualBoard
from wearkit.sim.fleet import Fleet, start_fleet
from wearkit.sim.interpreter import interpreter_command

__all__ = ["Fleet", "VirtualBoard", "interpreter_command", "start_fleet"]
