"""The USB-serial bridge of a virtual board.

A virtual board is the real MicroPython interpreter (the unix port) on a pty of its
own, behind a second pty whose slave path (``/dev/pts/N``) the host opens with pyserial
exactly as it opens ``/dev/ttyACM0``. Between the two, this bridge does what a board's
USB-serial link does:

- turns a bare ``\\n`` from the interpreter into ``\\r\\n``, as boards send;
- restarts the interpreter on a soft reset (Ctrl-D makes the unix port exit), prints
  ``soft reboot`` and re-enters the REPL mode the host was in;
- throttles both directions to a baud rate (10 bits a byte on the wire);
- injects faults for tests: unplug, noise bytes, a stall, a board that refuses raw-paste.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import pty
import random
import select
import shutil
import signal
import subprocess
import termios
import threading
import time
import tty
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wearkit import paths
from wearkit.boards import BoardProfile
from wearkit.errors import SimError
from wearkit.sim.interpreter import interpreter_command
from wearkit.sim.live import write_live

RAW_BANNER = b"raw REPL; CTRL-B to exit\r\n"
_FRIENDLY_PROMPT = b">>> "
_RAW_PASTE_REQUEST = b"\x05A\x01"
_CHUNK = 64  # bytes moved at a time: small, so throttled latency stays realistic
_BOOT_TIMEOUT = 10.0


@dataclass
class _Throttle:
    """Paces bytes to a baud rate: a byte takes 10 bit times (start, 8 data, stop)."""

    baud: int | None
    free_at: float = 0.0

    def wait(self, nbytes: int) -> None:
        if not self.baud:
            return
        now = time.monotonic()
        start = max(now, self.free_at)
        self.free_at = start + nbytes * 10 / self.baud
        delay = self.free_at - now
        if delay > 0:
            time.sleep(delay)


def _configure_board_tty(fd: int) -> None:
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


class VirtualBoard:
    """One virtual board: an interpreter, its flash folder, and the bridge to its port.

    ``port`` is the path the host opens. The fault methods (`unplug`, `inject_noise`,
    `stall`, ``refuse_raw_paste``) exist for tests and demos.
    """

    def __init__(
        self,
        profile: BoardProfile,
        name: str,
        folder: Path,
        *,
        baud: int | None = 115200,
        speed: float = 1.0,
        scenario: Path | None = None,
        refuse_raw_paste: bool = False,
        air: Path | None = None,
    ) -> None:
        self.profile = profile
        self.air = air
        self.name = name
        self.folder = folder
        self.flash_dir = folder / "flash"
        self.state_dir = folder / "state"
        self.baud = baud
        self.speed = speed
        self.refuse_raw_paste = refuse_raw_paste
        self.port = ""
        self._scenario = scenario
        self._host_fd = -1
        self._host_slave_fd = -1
        self._board_fd = -1
        self._child: subprocess.Popen[bytes] | None = None
        self._raw_mode = False
        self._booting = False
        self._boot_buffer = b""
        self._boot_wants_raw = False
        self._raw_requested = False
        self._held_interrupt = False
        self._boot_output_seen = False
        self._spawned_at = 0.0
        self._last_out = b""
        self._to_board = _Throttle(baud)
        self._to_host = _Throttle(baud)
        self._host_lock = threading.Lock()
        self._board_lock = threading.Lock()
        self._stop = threading.Event()
        self._running = threading.Event()  # cleared while stalled
        self._running.set()
        self._booted = threading.Event()
        self._threads: list[threading.Thread] = []
        self._pending_to_board = b""
        self.restarts = 0
        self.unplugged = False

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> VirtualBoard:
        """Create the flash folder and ports, boot the interpreter, wait for its prompt."""
        self.flash_dir.mkdir(parents=True, exist_ok=True)
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.set_scenario(self._scenario)
        self._write_board_json()
        self._host_fd, self._host_slave_fd = pty.openpty()
        tty.setraw(self._host_slave_fd)
        self.port = os.ttyname(self._host_slave_fd)
        self._spawn(raw=False)
        for target in (self._pump_to_host, self._pump_to_board):
            thread = threading.Thread(target=target, name=f"sim-{self.name}", daemon=True)
            thread.start()
            self._threads.append(thread)
        if not (self.flash_dir / "main.py").is_file() and not self._booted.wait(_BOOT_TIMEOUT):
            self.close()
            raise SimError(f"virtual board {self.name}: the interpreter did not boot")
        return self

    def close(self) -> None:
        """Power the board off: stop the interpreter and remove the port."""
        self._stop.set()
        self._running.set()
        self._kill_child()
        for fd_name in ("_host_fd", "_host_slave_fd", "_board_fd"):
            fd = getattr(self, fd_name)
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
                setattr(self, fd_name, -1)
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout=2)

    def __enter__(self) -> VirtualBoard:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- faults and live values ------------------------------------------------------------

    def unplug(self) -> None:
        """Pull the cable: the port closes under the host, as a real unplug does."""
        self.unplugged = True
        self.close()

    def inject_noise(self, data: bytes | None = None, count: int = 32) -> None:
        """Send noise bytes to the host (line garbage, as from a baud mismatch at boot)."""
        if data is None:
            data = bytes(random.choice(range(0x80, 0x100)) for _ in range(count))
        self._write_host(data)

    def stall(self, seconds: float | None = None) -> None:
        """Stop moving bytes in both directions, for ``seconds`` or until `resume`."""
        self._running.clear()
        if seconds is not None:
            timer = threading.Timer(seconds, self.resume)
            timer.daemon = True
            timer.start()

    def resume(self) -> None:
        """End a stall."""
        self._running.set()

    def set_live(self, **values: float | int | None) -> None:
        """Set live sensor values (they override the scenario); None clears one."""
        write_live(self.state_dir, values)

    def set_scenario(self, scenario: Path | None) -> None:
        """Replay ``scenario`` (a CSV) from the next start of the board's clock."""
        target = self.state_dir / "scenario.csv"
        if scenario is None:
            target.unlink(missing_ok=True)
        else:
            try:
                shutil.copyfile(scenario, target)
            except OSError as exc:
                raise SimError(f"scenario {scenario}: cannot read: {exc.strerror}") from None
        self._scenario = scenario

    def set_speed(self, speed: float) -> None:
        """Run the board's clock ``speed`` times faster than real time, from its next reset."""
        self.speed = speed
        self._write_board_json()

    def describe(self) -> dict[str, Any]:
        """What `wearkit boards` shows about this board."""
        return {
            "port": self.port,
            "family": self.profile.id,
            "name": self.name,
            "folder": str(self.folder),
            "pid": os.getpid(),
        }

    # -- the interpreter ---------------------------------------------------------------------

    def _write_board_json(self) -> None:
        info = {
            "id": self.profile.id,
            "name": self.name,
            "platform": self.profile.platform,
            "capabilities": sorted(self.profile.capabilities),
            "speed": self.speed,
        }
        paths.write_atomic(self.state_dir / "board.json", json.dumps(info))

    def _environment(self) -> Mapping[str, str]:
        sim_root = paths.firmware_dir() / "sim"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MICROPY", "PYTHON"))}
        env["MICROPYPATH"] = os.pathsep.join(
            ["", str(sim_root / self.profile.sim_modules), str(sim_root / "common")]
        )
        env["WEARKIT_SIM_STATE"] = str(self.state_dir)
        if self.air is not None:
            env["WEARKIT_SIM_AIR"] = str(self.air)
        return env

    def _spawn(self, raw: bool) -> None:
        """Start the interpreter; a reset in friendly mode runs main.py, as boards do."""
        master, slave = pty.openpty()
        _configure_board_tty(slave)
        argv = [*interpreter_command(), "-X", f"heapsize={self.profile.sim_heap}"]
        if not raw and (self.flash_dir / "main.py").is_file():
            argv += ["-i", "main.py"]
        self._booting = True
        self._boot_wants_raw = raw
        self._raw_requested = False
        self._held_interrupt = False
        self._boot_output_seen = False
        self._spawned_at = time.monotonic()
        self._boot_buffer = b""
        self._child = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=self.flash_dir,
            env=dict(self._environment()),
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self._board_fd = master

    def _kill_child(self) -> None:
        child, self._child = self._child, None
        if child is not None and child.poll() is None:
            child.kill()
        if child is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=2)

    def _restart(self) -> None:
        """The interpreter exited (soft reset, sys.exit or a crash): boot it again."""
        with self._board_lock:
            self._kill_child()
            with contextlib.suppress(OSError):
                os.close(self._board_fd)
            self._board_fd = -1
            if self._stop.is_set():
                return
            self.restarts += 1
            self._write_host(b"soft reboot\r\n")
            self._spawn(raw=self._raw_mode)

    # -- the two directions ------------------------------------------------------------------

    def _pump_to_host(self) -> None:
        while not self._stop.is_set():
            self._running.wait()
            fd = self._board_fd
            if fd < 0:
                time.sleep(0.005)
                continue
            if self._held_interrupt:
                self._release_interrupt()
            try:
                ready, _, _ = select.select([fd], [], [], 0.02 if self._held_interrupt else 0.1)
                if not ready:
                    continue
                data = os.read(fd, _CHUNK)
            except OSError as exc:
                if exc.errno not in (errno.EIO, errno.EBADF):
                    raise
                data = b""
            if not data:
                if self._stop.is_set():
                    return
                self._restart()
                continue
            self._from_board(data)

    def _from_board(self, data: bytes) -> None:
        if self._booting:
            with self._board_lock:
                data = self._boot_output(data)
            if not data:
                return
        self._write_host(_cook_newlines(data, self._last_out))
        self._last_out = data[-1:]

    def _boot_output(self, data: bytes) -> bytes:
        """Hide a restart's banner; once the REPL is ready, release what the host sent."""
        self._boot_buffer += data
        if self._boot_wants_raw:
            if not self._raw_requested and _FRIENDLY_PROMPT in self._boot_buffer:
                # Enter raw mode only once the REPL reads input: the unix port flushes
                # pending input when it switches its terminal mode.
                self._raw_requested = True
                self._write_board(b"\x01")
            if RAW_BANNER not in self._boot_buffer:
                return b""
            data = self._boot_buffer[self._boot_buffer.index(RAW_BANNER) :]
        elif _FRIENDLY_PROMPT not in self._boot_buffer:
            # main.py may be running: show its output as a board's serial console does.
            data, self._boot_buffer = self._boot_buffer, b""
            self._boot_output_seen = self._boot_output_seen or b"\n" in data
            return data
        else:
            data = self._boot_buffer
        self._booting = False
        self._boot_buffer = b""
        self._flush_pending()
        self._booted.set()
        return data

    def _pump_to_board(self) -> None:
        while not self._stop.is_set():
            self._running.wait()
            fd = self._host_fd
            if fd < 0:
                return
            try:
                ready, _, _ = select.select([fd], [], [], 0.1)
                if not ready:
                    continue
                data = os.read(fd, _CHUNK)
            except OSError:
                return
            if not data:
                continue
            self._to_board.wait(len(data))
            self._from_host(data)

    def _from_host(self, data: bytes) -> None:
        if self.refuse_raw_paste and _RAW_PASTE_REQUEST in data:
            # An older firmware: it answers "R\x00" (understood, not supported) and stays
            # in the plain raw REPL.
            data = data.replace(_RAW_PASTE_REQUEST, b"")
            self._write_host(b"R\x00")
        for byte in data:
            if byte == 0x01:
                self._raw_mode = True
            elif byte == 0x02:
                self._raw_mode = False
        if b"\x03" in data and self._interrupt_running_code():
            data = data.replace(b"\x03", b"")
        with self._board_lock:
            if self._booting:
                if b"\x03" in data and not self._boot_wants_raw:
                    # Ctrl-C must reach a main.py that runs forever, as on a board; it is
                    # held until the interpreter can take it (see _release_interrupt).
                    self._held_interrupt = True
                    data = data.replace(b"\x03", b"")
                self._pending_to_board += data
                return
            self._write_board(data)

    def _release_interrupt(self) -> None:
        """Deliver a Ctrl-C that arrived while the interpreter was starting.

        Sent too early it would hit the launcher before MicroPython handles SIGINT; once
        main.py has printed or had time to start, the tty turns it into KeyboardInterrupt.
        At the REPL's prompt there is nothing left to interrupt.
        """
        with self._board_lock:
            if not self._held_interrupt:
                return
            if not self._booting:
                self._held_interrupt = False
                return
            started = time.monotonic() - self._spawned_at > 0.3
            if started or self._boot_output_seen:
                self._held_interrupt = False
                self._write_board(b"\x03")

    def _interrupt_running_code(self) -> bool:
        """Deliver Ctrl-C as a board does: it interrupts running code in every REPL mode.

        The unix port leaves its terminal without signal keys while it runs code sent in
        raw-paste mode, so there the tty cannot raise SIGINT: the bridge sends it, but only
        while the interpreter has its interrupt handler installed (it is running code);
        an idle REPL reads Ctrl-C as a key instead. Linux's /proc tells which.
        """
        child = self._child
        fd = self._board_fd
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

    def _flush_pending(self) -> None:
        data, self._pending_to_board = self._pending_to_board, b""
        self._write_board(data)

    def _write_board(self, data: bytes) -> None:
        fd = self._board_fd
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

    def _write_host(self, data: bytes) -> None:
        with self._host_lock:
            for start in range(0, len(data), _CHUNK):
                piece = data[start : start + _CHUNK]
                self._to_host.wait(len(piece))
                fd = self._host_fd
                if fd < 0:
                    return
                try:
                    os.write(fd, piece)
                except OSError:
                    return


def _cook_newlines(data: bytes, previous: bytes) -> bytes:
    """Turn each bare ``\\n`` into ``\\r\\n`` (the interpreter's pty has output processing off)."""
    head = b""
    if previous == b"\r" and data.startswith(b"\n"):
        head, data = b"\n", data[1:]
    return head + data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
