"""The raw REPL over a serial port: a USB board, a virtual board's pty, a pyserial URL.

The only module that imports mpremote: its serial transport opens and closes the port
(with its fixes for real boards, such as the ESP32's DTR/RTS reset quirks). The
protocol steps are ours, so that line noise around them is tolerated and a library
never prints: the line is read in bulk (what is waiting, up to a few KB, never a byte
per system call), every wait has a deadline, and a board that vanishes raises
`LinkError` naming its port.
"""

from __future__ import annotations

import contextlib
import struct
import threading
import time
from collections.abc import Iterator

import serial
from mpremote.transport import TransportError
from mpremote.transport_serial import SerialTransport

from wearkit.errors import LinkError
from wearkit.link import ExecResult, Link, OutputCallback
from wearkit.link.repl import RAW_BANNER, SOFT_REBOOT, RunReader

_POLL = 0.05  # seconds a read waits when nothing is there, so deadlines are honoured
_PROTOCOL_WAIT = 5.0  # a board's REPL answers a protocol step within this, or it is stuck
_READ_MAX = 4096  # bytes taken from the port per read
# A run that streams (more than _STREAMING bytes of output so far) is read at most once
# every _GATHER seconds, whatever its frame rate: each wake-up of the host costs about as
# much CPU as the bytes it reads, so a classroom of boards at 20 readings a second costs
# one wake-up per frame (each frame reaches the dashboard as soon as it arrives), and a
# faster board's frames are taken in batches. Short answers (every protocol step, each
# put) are read the moment they arrive, and so is a flood (a full chunk): a board blocks
# on print once the port's buffer is full.
_STREAMING = 1024
_CTRL_C_AGAIN = 1.0  # seconds of silence after a Ctrl-C before it is sent once more
_GATHER = 0.04
_GATHER_MAX = 65536  # bytes per gathered read: a fast USB board's 0.1 s
_PROMPT = RAW_BANNER + b">"
_NO_REPL = (
    "the board does not answer the MicroPython raw REPL; is MicroPython or CircuitPython "
    "on it? Put it there with `wearkit flash` (`wearkit boards` shows each board's drive "
    "or port and its next step) or the board maker's tool (python.microbit.org for a "
    "micro:bit, circuitpython.org for a Circuit Playground), then try again"
)


class SerialLink(Link):
    """The raw REPL over a serial port, with raw-paste flow control where the board has it."""

    def __init__(self, port: str, baudrate: int = 115200, *, soft_reset: bool = False) -> None:
        self.port = port
        self._pending = b""  # bytes read past what a protocol step wanted
        self._gathered_at = 0.0  # when a streaming run's output was last read
        self._raw_paste = True
        try:
            self._transport = SerialTransport(port, baudrate=baudrate, exclusive=True)
        except (TransportError, serial.SerialException, OSError) as exc:
            raise LinkError(
                f"{port}: cannot open the port ({_reason(exc)}); check the cable and that no "
                "other program (Mu, Thonny, a serial monitor) has it open"
            ) from None
        self._serial = self._transport.serial
        self._serial.timeout = _POLL
        self._enter_raw(soft_reset)

    # -- reading ---------------------------------------------------------------------------

    def _read(self) -> bytes:
        """What has arrived (up to a few KB), waiting at most a poll interval for it."""
        if self._pending:
            data, self._pending = self._pending, b""
            return data
        data = self._serial.read(1)  # blocks up to _POLL for the first byte
        waiting = self._serial.in_waiting
        if data and waiting:
            data += self._serial.read(min(waiting, _READ_MAX))
        return bytes(data)

    def _gather(self) -> bytes:
        """A streaming run's output: what has arrived, read no sooner than _GATHER seconds
        after the last read, waiting at most a poll interval for the first byte."""
        rest = self._gathered_at + _GATHER - time.monotonic()
        if rest > 0:
            time.sleep(rest)
        data = b"" if self._serial.in_waiting else self._serial.read(1)  # wakes on data
        waiting = self._serial.in_waiting
        if waiting:
            data += self._serial.read(min(waiting, _GATHER_MAX))
        self._gathered_at = time.monotonic()
        return bytes(data)

    def _read_until(self, ending: bytes, timeout: float, doing: str) -> bytes:
        """Bytes up to and including ``ending``; what follows stays for the next read."""
        seen = b""
        deadline = time.monotonic() + timeout
        while True:
            seen += self._read()
            found = seen.find(ending)
            if found >= 0:
                cut = found + len(ending)
                self._pending = seen[cut:] + self._pending
                return seen[:cut]
            if time.monotonic() > deadline:
                raise LinkError(f"{self.port}: {doing}")
            seen = seen[-65536:]  # a chatty board: keep what the ending could be part of

    def _drain(self) -> None:
        """Drop what is waiting on the line (noise, a finished script's last words)."""
        self._pending = b""
        ends = time.monotonic() + _PROTOCOL_WAIT  # a device that never stops talking
        while self._serial.in_waiting and time.monotonic() < ends:
            self._serial.read(min(self._serial.in_waiting, _READ_MAX))

    # -- protocol steps ------------------------------------------------------------------

    def _enter_raw(self, soft_reset: bool) -> None:
        """Interrupt whatever runs (and a raw-paste cut short), enter the raw REPL, and
        optionally soft-reset, until the board waits at the raw REPL prompt."""
        with self._guard("entering the raw REPL"):
            # Ctrl-C twice: a script that catches KeyboardInterrupt once still stops, and
            # a board left mid raw-paste (its host killed) ends it with KeyboardInterrupt.
            self._serial.write(b"\r\x03\x03")
            self._drain()
            self._serial.write(b"\r\x01")
            self._read_until(_PROMPT, _PROTOCOL_WAIT, _NO_REPL)
            if soft_reset:
                self._serial.write(b"\x04")
                self._read_until(SOFT_REBOOT, _PROTOCOL_WAIT, "the board did not soft-reset")
                self._read_until(_PROMPT, _PROTOCOL_WAIT, "the board did not restart its REPL")
                self._forget_board_state()

    @contextlib.contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        """Turn low-level failures into one LinkError that names the port."""
        try:
            yield
        except LinkError:
            raise
        except (serial.SerialException, OSError) as exc:
            raise LinkError(
                f"{self.port}: the board went away while {doing} ({_reason(exc)}); "
                "plug it back in and run `wearkit boards`"
            ) from None
        except (TransportError, struct.error) as exc:
            raise LinkError(f"{self.port}: protocol error while {doing}: {exc}") from None

    def _send(self, code: bytes) -> None:
        """Send code at the raw REPL prompt (already read): raw-paste when the board has it,
        else the plain raw REPL; noise on the line around the answers is skipped."""
        self._drain()
        if self._raw_paste:
            self._serial.write(b"\x05A\x01")
            answer = self._read_until_any((b"R\x01", b"R\x00"), 1.0)
            if answer == b"R\x01":
                self._paste(code)
                return
            if answer is None and not self._pending:
                raise LinkError(f"{self.port}: the board stopped answering (raw-paste request)")
            self._raw_paste = False
            if answer is None:
                # Firmware older than raw-paste takes the request as input and echoes
                # its raw REPL banner again.
                self._read_until(b"w REPL; CTRL-B to exit\r\n>", 1.0, _NO_REPL)
        for start in range(0, len(code), 256):
            self._serial.write(code[start : start + 256])
            time.sleep(0.01)  # the plain raw REPL has no flow control: pace it
        self._serial.write(b"\x04")
        self._read_until(
            b"OK", _PROTOCOL_WAIT, "the board refused the code; press its reset button"
        )

    def _read_until_any(self, answers: tuple[bytes, ...], timeout: float) -> bytes | None:
        seen = b""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            seen += self._read()
            hits = [(seen.find(a), a) for a in answers if a in seen]
            if hits:
                at, answer = min(hits)
                self._pending = seen[at + len(answer) :] + self._pending
                return answer
        self._pending = seen
        return None

    def _paste(self, code: bytes) -> None:
        """Raw-paste flow control: a window of bytes, one more window per 0x01 received."""
        header = self._read_exact(2)
        window = struct.unpack("<H", header)[0]
        remain, sent = window, 0
        heard = time.monotonic()
        while sent < len(code):
            if remain == 0 or self._serial.in_waiting or self._pending:
                if time.monotonic() - heard > _PROTOCOL_WAIT:
                    raise LinkError(f"{self.port}: the board stopped taking code (raw-paste)")
                for byte in self._read():
                    heard = time.monotonic()
                    if byte == 0x01:
                        remain += window
                    elif byte == 0x04:  # the board ended the paste (it saw Ctrl-C)
                        self._serial.write(b"\x04")
                        return
                continue
            piece = code[sent : sent + remain]
            self._serial.write(piece)
            sent += len(piece)
            remain -= len(piece)
            heard = time.monotonic()
        self._serial.write(b"\x04")
        self._read_until(b"\x04", _PROTOCOL_WAIT, "the board stopped answering (raw-paste end)")

    def _read_exact(self, count: int) -> bytes:
        data = b""
        deadline = time.monotonic() + _PROTOCOL_WAIT
        while len(data) < count:
            data += self._read()
            if time.monotonic() > deadline:
                raise LinkError(f"{self.port}: the board stopped answering (raw-paste window)")
        self._pending = data[count:] + self._pending
        return data[:count]

    # -- Link ------------------------------------------------------------------------------

    def execute(
        self,
        code: str,
        *,
        on_output: OutputCallback | None = None,
        timeout: float | None = 10.0,
        stop: threading.Event | None = None,
    ) -> ExecResult:
        """Run ``code``; stream its output; interrupt it at ``timeout`` or when ``stop`` is set."""
        with self._guard("running code"):
            self._send(code.encode("utf-8"))
            return self._follow(on_output, timeout, stop)

    def _follow(
        self, on_output: OutputCallback | None, timeout: float | None, stop: threading.Event | None
    ) -> ExecResult:
        """Read output until the run's end; interrupt on deadline or stop."""
        deadline = None if timeout is None else time.monotonic() + timeout
        reader = RunReader()
        output: list[bytes] = []
        interrupted = timed_out = False
        quiet_since = time.monotonic()
        interrupted_at = last_ctrl_c = 0.0
        streamed = 0
        chunk = b""
        while not reader.finished:
            slow = streamed > _STREAMING and len(chunk) < _STREAMING
            chunk = self._gather() if slow else self._read()
            now = time.monotonic()
            if chunk:
                quiet_since = now
                out = reader.feed(chunk, now)
            else:
                out = reader.poll(now)
            if out:
                output.append(out)
                streamed += len(out)
                if on_output is not None:
                    on_output(out)
            if reader.finished:
                break
            wants_stop = stop is not None and stop.is_set()
            late = deadline is not None and now > deadline
            if (wants_stop or late) and not interrupted:
                interrupted, timed_out = True, late and not wants_stop
                self._serial.write(b"\x03")
                deadline, quiet_since, interrupted_at = now + _PROTOCOL_WAIT, now, now
                last_ctrl_c = now
            elif interrupted and min(now - quiet_since, now - last_ctrl_c) > _CTRL_C_AGAIN:
                # Not a byte since: that Ctrl-C was lost (a busy board, a byte dropped on
                # the line). Once more, as a person would press it again.
                self._serial.write(b"\x03")
                last_ctrl_c = now
            if interrupted and now - quiet_since > _PROTOCOL_WAIT:
                if b"".join(output)[-64:].endswith(b">>> "):
                    # Its friendly prompt: the board restarted (reset) while the code ran.
                    raise LinkError(
                        f"{self.port}: the board restarted while the code ran (reset button, "
                        "power or a crash); run it again"
                    )
                raise LinkError(
                    f"{self.port}: the board does not respond to Ctrl-C; press its reset button"
                )
            elif interrupted and now - interrupted_at > _PROTOCOL_WAIT:
                # Still talking after Ctrl-C: a script that catches KeyboardInterrupt
                # (a bare `except:`) and carries on. Nothing more a host can do.
                raise LinkError(
                    f"{self.port}: the script kept running after Ctrl-C (does it catch "
                    "KeyboardInterrupt with a bare `except:`?); press the board's reset button"
                )
        # The prompt after the end is read: the next exec may start at once. Bytes after
        # it are noise.
        error = reader.error.decode("utf-8", "replace")
        return ExecResult(b"".join(output), error, interrupted, timed_out)

    @property
    def uses_raw_paste(self) -> bool:
        """False once the board has refused raw-paste mode (older firmware)."""
        return self._raw_paste

    def interrupt(self) -> None:
        """Stop whatever the board is running (Ctrl-C) and return to the raw REPL."""
        self._enter_raw(soft_reset=False)

    def soft_reset(self) -> None:
        """Soft-reset the board (fresh interpreter state) and return to the raw REPL."""
        self._enter_raw(soft_reset=True)

    def close(self) -> None:
        """Leave the raw REPL and release the port."""
        with contextlib.suppress(Exception):
            self._serial.write(b"\r\x02")
        with contextlib.suppress(Exception):
            self._transport.close()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
