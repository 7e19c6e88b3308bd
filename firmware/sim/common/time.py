# `time` on a virtual board: MicroPython's builtin time, on the virtual clock.
from _simtime import *  # noqa: F403
