"""The USB-serial bridge of a virtual board: the byte pump between two ptys.

The host opens the slave side of one pty (``/dev/pts/N``) with pyserial exactly as it opens
``/dev/ttyACM0``; behind the bridge runs the interpreter on a pty of its own
(`wearkit.sim.process`). Between the two, the bridge does what a board's USB-serial link
does:

- turns a bare ``\\n`` from the interpreter into ``\\r\\n``, as boards send;
- restarts the interpreter when it exits (Ctrl-D makes the unix port exit: a soft reset),
  prints ``soft reboot`` and re-enters the REPL mode the host was in (`wearkit.sim.boot`);
- throttles both directions to a baud rate (10 bits a byte on the wire);
- carries the faults of `wearkit.sim.faults`: noise bursts slipped in at a line boundary of
  the board's output, a stall, a hard reset, a board that refuses raw-paste.
"""

from __future__ import annotations

import contextlib
import os
import pty
import select
import threading
import time
import tty
from dataclasses import dataclass

from wearkit.sim.boot import CTRL_C, BootOutput
from wearkit.sim.process import Interpreter

_RAW_PASTE_REQUEST = b"\x05A\x01"
_CHUNK = 64  # bytes moved at a time: small, so throttled latency stays realistic
# How long the board must be quiet before pending noise goes out at a REPL prompt.
_QUIET = 0.1
# The ends of the REPL's prompts (raw: ">" after its banner or an answer's "\x04"):
# there the board waits for input, so no line is half sent.
_PROMPTS = (b">", b">>> ")


@dataclass
class Throttle:
    """Paces bytes to a baud rate: a byte takes 10 bit times (start, 8 data, stop)."""

    baud: int | None
    free_at: float = 0.0

    def wait(self, nbytes: int) -> None:
        """Sleep until ``nbytes`` more bytes have had time to cross the line."""
        if not self.baud:
            return
        now = time.monotonic()
        start = max(now, self.free_at)
        self.free_at = start + nbytes * 10 / self.baud
        delay = self.free_at - now
        if delay > 0:
            time.sleep(delay)


def cook_newlines(data: bytes, previous: bytes) -> bytes:
    """Turn each bare ``\\n`` into ``\\r\\n`` (the interpreter's pty has output processing off)."""
    head = b""
    if previous == b"\r" and data.startswith(b"\n"):
        head, data = b"\n", data[1:]
    return head + data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


class Bridge:
    """The two pumps between the host's pty and the interpreter's, and their faults."""

    def __init__(self, interpreter: Interpreter, baud: int | None, name: str) -> None:
        self.interpreter = interpreter
        self.name = name
        self.port = ""
        self.refuse_raw_paste = False
        self.restarts = 0
        self.booted = threading.Event()
        self._host_fd = -1
        self._host_slave_fd = -1
        self._raw_mode = False
        self._hard_reset = False
        self._boot = BootOutput(wants_raw=False, spawned_at=0.0)
        self._last_out = b""  # the interpreter's last byte, for newline cooking
        self._tail = b"\n"  # the last bytes the board sent the host
        self._noise: list[bytes] = []
        self._to_board = Throttle(baud)
        self._to_host = Throttle(baud)
        self._host_lock = threading.Lock()
        self._board_lock = threading.Lock()
        self._noise_lock = threading.Lock()
        self._stop = threading.Event()
        self._running = threading.Event()  # cleared while stalled
        self._running.set()
        self._threads: list[threading.Thread] = []
        trace = os.environ.get("WEARKIT_SIM_TRACE")
        self._trace = open(trace, "a", buffering=1, encoding="ascii") if trace else None
        self._trace_tail = b""

    def open(self) -> str:
        """Create the host's port, start the interpreter and both pumps; return the port."""
        self._host_fd, self._host_slave_fd = pty.openpty()
        tty.setraw(self._host_slave_fd)
        self.port = os.ttyname(self._host_slave_fd)
        self._spawn(raw=False)
        for target in (self._pump_to_host, self._pump_to_board):
            thread = threading.Thread(target=target, name=f"sim-{self.name}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self.port

    def close(self) -> None:
        """Stop the interpreter and remove the port (the host sees the device vanish)."""
        # Under the board lock: a restart under way (the interpreter had just exited) must
        # not spawn a new interpreter after this one is stopped.
        with self._board_lock:
            self._stop.set()
            self._running.set()
            self.interpreter.stop()
        for fd_name in ("_host_fd", "_host_slave_fd"):
            fd = getattr(self, fd_name)
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
                setattr(self, fd_name, -1)
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout=2)
        if self._trace is not None:
            self._trace.close()
            self._trace = None

    # -- faults ------------------------------------------------------------------------------

    def add_noise(self, burst: bytes) -> None:
        """Send ``burst`` to the host at the next line boundary of the board's output."""
        with self._noise_lock:
            self._noise.append(burst)

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

    def hard_reset(self) -> None:
        """Press the reset button: the board restarts, runs main.py, and shows its REPL."""
        with self._board_lock:
            self._hard_reset = True
            self._raw_mode = False
            self.interpreter.kill()  # the pump sees it exit and starts it again

    # -- the interpreter ---------------------------------------------------------------------

    def _spawn(self, raw: bool) -> None:
        self.interpreter.spawn(run_main=not raw)
        self._boot = BootOutput(wants_raw=raw, spawned_at=self.interpreter.spawned_at)

    def _restart(self) -> None:
        """The interpreter exited (soft reset, sys.exit, a crash or a reset): boot it again."""
        with self._board_lock:
            self.interpreter.stop()
            if self._stop.is_set():
                return
            self.restarts += 1
            if not self._hard_reset:
                self._write_host(b"soft reboot\r\n")
            self._hard_reset = False
            self._spawn(raw=self._raw_mode)

    # -- the two directions ------------------------------------------------------------------

    def _pump_to_host(self) -> None:
        while not self._stop.is_set():
            self._running.wait()
            if self.interpreter.fd < 0:
                time.sleep(0.005)
                continue
            if self._boot.held_interrupt:
                with self._board_lock:
                    if self._boot.interrupt_due(time.monotonic()):
                        self.interpreter.write(CTRL_C)
            data = self.interpreter.read(_CHUNK, 0.02 if self._boot.held_interrupt else _QUIET)
            if data is None:
                if self._noise and self._tail.endswith((b"\n", *_PROMPTS)):
                    self._write_host(self._take_noise())  # the board waits at a boundary
                continue
            if not data:
                if self._stop.is_set():
                    return
                self._restart()
                continue
            self._from_board(data)

    def _trace_frames(self, data: bytes) -> None:
        """Note when the board printed each frame (``WEARKIT_SIM_TRACE``: a file to append
        ``<board> <seq> <unix time>`` lines to), for bench/classroom.py's latency."""
        trace = self._trace
        if trace is None:  # switched off meanwhile
            return
        self._trace_tail += data
        *lines, self._trace_tail = self._trace_tail.split(b"\n")
        now = time.time()
        for line in lines:
            at = line.find(b"@k1 ")  # a run's first frame follows the raw REPL's "OK"
            if at >= 0:
                seq = line[at:].split(b" ", 2)[1]
                if seq.isdigit():
                    trace.write(f"{self.name} {int(seq)} {now:.6f}\n")

    def _from_board(self, data: bytes) -> None:
        if self._trace is not None:
            self._trace_frames(data)
        if self._boot.booting:
            with self._board_lock:
                shown, to_board = self._boot.from_interpreter(data)
                self.interpreter.write(to_board)
                if not self._boot.booting:
                    self.booted.set()
            data = shown
            if not data:
                return
        cooked = cook_newlines(data, self._last_out)
        self._last_out = data[-1:]
        tail = (self._tail + cooked)[-4:]
        if self._noise:
            cooked = self._with_noise(cooked)
        self._write_host(cooked)
        self._tail = tail

    def _with_noise(self, cooked: bytes) -> bytes:
        """Put pending noise at the first line boundary in ``cooked`` (or before it)."""
        if self._tail.endswith(b"\n"):
            cut = 0
        else:
            cut = cooked.find(b"\n") + 1
            if cut == 0:
                return cooked  # mid-line: wait for the board to end the line
        return cooked[:cut] + self._take_noise() + cooked[cut:]

    def _take_noise(self) -> bytes:
        with self._noise_lock:
            burst, self._noise = b"".join(self._noise), []
        return burst

    def _pump_to_board(self) -> None:
        while not self._stop.is_set():
            self._running.wait()
            fd = self._host_fd
            if fd < 0:
                return
            try:
                if not _readable(fd, 0.1):
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
        if CTRL_C in data and self.interpreter.interrupt_running_code():
            data = data.replace(CTRL_C, b"")
        with self._board_lock:
            if self._boot.booting:
                self._boot.from_host(data)
            else:
                self.interpreter.write(data)

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


def _readable(fd: int, timeout: float) -> bool:
    ready, _, _ = select.select([fd], [], [], timeout)
    return bool(ready)
