"""Virtual boards: the real MicroPython interpreter behind a pty "USB-serial" bridge."""

from wearkit.sim.bridge import VirtualBoard
from wearkit.sim.interpreter import interpreter_command

__all__ = ["VirtualBoard", "interpreter_command"]
