"""The interpreter behind a virtual board: the MicroPython unix port on a pty of its own.

This is the board's chip. It is started with the board's flash folder as its working
folder, the simulated native modules on its path and the pty as its controlling terminal
(so a Ctrl-C from the host becomes SIGINT, i.e. KeyboardInterrupt, as on a board), and
killed when the board resets or is switched off.
"""

from __future__ import annotations

import contextlib
import os
import pty
import select
import signal
import subprocess
import termios
import time
import tty
from pathlib import Path

from wearkit import paths
from wearkit.boards import BoardProfile
from wearkit.sim.interpreter import interpreter_command


def configure_board_tty(fd: int) -> None:
    """Raw mode, but with ISIG on so Ctrl-C reaches the interpreter as SIGINT.

    Only VINTR stays a signal key: Ctrl-\\ and Ctrl-Z would otherwise kill or stop the
    interpreter when a host sends binary data.
    """
    tty.setraw(fd)
    attrs = termios.tcgetattr(fd)
    attrs[3] |= termios.ISIG
    cc = attrs[6]
    cc[termios.VINTR] = b"\x03"
    cc[termios.VQUIT] = b"\x00"
    cc[termios.VSUSP] = b"\x00"
    termios.tcsetattr(fd, termios.TCSANOW, attrs)


#: Killed interpreters not reaped yet (see `Interpreter.kill`).
_UNREAPED: list[subprocess.Popen[bytes]] = []


class Interpreter:
    """One run of the unix port on its pty; `spawn` again after it exits (a reset)."""

    def __init__(
        self, profile: BoardProfile, flash_dir: Path, state_dir: Path, air: Path | None
    ) -> None:
        self.profile = profile
        self.flash_dir = flash_dir
        self.state_dir = state_dir
        self.air = air
        self.fd = -1  # our end of its pty; -1 while it is not running
        self.spawned_at = 0.0
        self._child: subprocess.Popen[bytes] | None = None

    def environment(self) -> dict[str, str]:
        """The interpreter's environment: module path, state folder, the fleet's air."""
        sim_root = paths.firmware_dir() / "sim"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MICROPY", "PYTHON"))}
        env["MICROPYPATH"] = os.pathsep.join(
            ["", str(sim_root / self.profile.sim_modules), str(sim_root / "common")]
        )
        env["WEARKIT_SIM_STATE"] = str(self.state_dir)
        if self.air is not None:
            env["WEARKIT_SIM_AIR"] = str(self.air)
        return env

    def boot_script(self) -> str | None:
        """The program the board runs at power-on: main.py, or on CircuitPython code.py
        first (as CircuitPython does), if the flash holds one."""
        names = ("code.py", "main.py") if self.profile.runtime == "circuitpython" else ("main.py",)
        return next((n for n in names if (self.flash_dir / n).is_file()), None)

    def spawn(self, run_main: bool) -> None:
        """Start the interpreter; ``run_main`` runs main.py first, as a board does at power-on."""
        master, slave = pty.openpty()
        configure_board_tty(slave)
        argv = [*interpreter_command(), "-X", f"heapsize={self.profile.sim_heap}"]
        script = self.boot_script()
        if run_main and script is not None:
            argv += ["-i", script]
        self.kill()  # never two interpreters for one board
        self.spawned_at = time.monotonic()
        self._child = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=self.flash_dir,
            env=self.environment(),
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.fd = master

    def stop(self) -> None:
        """Kill the interpreter (if it still runs) and close its pty."""
        self.kill()
        fd, self.fd = self.fd, -1
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)

    def kill(self) -> None:
        """Kill the interpreter, leaving its pty open: the reader then sees it exit."""
        child, self._child = self._child, None
        if child is not None and child.poll() is None:
            child.kill()
        if child is not None:
            try:
                child.wait(timeout=2)
            except subprocess.TimeoutExpired:
                # A host so busy that a killed process is not reaped yet: reap it later,
                # rather than drop it while it runs (a zombie, and a ResourceWarning).
                _UNREAPED.append(child)
        _UNREAPED[:] = [c for c in _UNREAPED if c.poll() is None]

    def read(self, size: int, timeout: float) -> bytes | None:
        """Up to ``size`` bytes it printed; None if nothing came in time, b"" once it exited."""
        fd = self.fd
        if fd < 0:
            return b""
        try:
            ready, _, _ = select.select([fd], [], [], timeout)
            return os.read(fd, size) if ready else None
        except OSError:  # EIO: the interpreter exited and its side of the pty closed
            return b""

    def write(self, data: bytes) -> None:
        """Send bytes to the interpreter's terminal (dropped if it is gone)."""
        fd = self.fd
        view = memoryview(data)
        while view and fd >= 0:
            try:
                written = os.write(fd, view)
            except BlockingIOError:
                time.sleep(0.001)
                continue
            except OSError:
                return
            view = view[written:]

    def interrupt_running_code(self) -> bool:
        """Deliver Ctrl-C as a board does: it interrupts running code in every REPL mode.

        The unix port leaves its terminal without signal keys while it runs code sent in
        raw-paste mode, so there the tty cannot raise SIGINT: send it here, but only while
        the interpreter has its interrupt handler installed (it is running code); an idle
        REPL reads Ctrl-C as a key instead. Linux's /proc tells which. True if sent.
        """
        child = self._child
        fd = self.fd
        if child is None or fd < 0 or child.poll() is not None:
            return False
        try:
            if termios.tcgetattr(fd)[3] & termios.ISIG:
                return False  # the tty turns the byte into SIGINT itself
            status = Path(f"/proc/{child.pid}/status").read_text()
        except (OSError, termios.error):
            return False
        caught = next((ln.split()[1] for ln in status.splitlines() if ln.startswith("SigCgt")), "0")
        if not int(caught, 16) & (1 << (signal.SIGINT - 1)):
            return False
        child.send_signal(signal.SIGINT)
        return True
