"""Talking to a board over its serial line: the MicroPython raw REPL.

`Link` is the small interface the rest of wearkit uses; `SerialLink` implements it on
mpremote's serial transport, which carries years of fixes for real boards (ESP32
DTR/RTS resets, raw-paste flow control and its fallback). No other module imports
mpremote. Every wait has a deadline, and a board that vanishes raises `LinkError`
naming its port.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import hashlib
import struct
import threading
import time
import zlib
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import serial
from mpremote.transport import TransportError
from mpremote.transport_serial import SerialTransport

from wearkit import paths
from wearkit.errors import BoardExecError, LinkError

OutputCallback = Callable[[bytes], None]
ProgressCallback = Callable[[int, int], None]

_EOF = b"\x04"
RAW_BANNER = b"raw REPL; CTRL-B to exit\r\n"
_POLL = 0.05  # seconds a read waits when nothing is there, so deadlines are honoured
_PROTOCOL_WAIT = 5.0  # a board's REPL answers a protocol step within this, or it is stuck
_DEFLATE_WBITS = 10  # a 1 KB window: small enough for a board's heap to inflate


@dataclass(frozen=True)
class ExecResult:
    """What running code on a board produced."""

    output: bytes
    error: str
    interrupted: bool = False
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        """The code finished without raising."""
        return not self.error and not self.interrupted


@dataclass(frozen=True)
class PutResult:
    """A file put on a board, verified."""

    dest: str
    size: int
    sent: int  # bytes that crossed the wire (after compression and encoding)
    seconds: float
    compressed: bool
    digest: str


class Link(ABC):
    """A connection to one board's REPL."""

    port: str

    @abstractmethod
    def execute(
        self,
        code: str,
        *,
        on_output: OutputCallback | None = None,
        timeout: float | None = 10.0,
        stop: threading.Event | None = None,
    ) -> ExecResult:
        """Run ``code``; stream its output; interrupt it at ``timeout`` or when ``stop`` is set."""

    @abstractmethod
    def put(
        self,
        data: bytes,
        dest: str,
        *,
        progress: ProgressCallback | None = None,
        compress: bool | None = None,
    ) -> PutResult:
        """Write ``data`` to ``dest`` on the board and verify what landed."""

    @abstractmethod
    def interrupt(self) -> None:
        """Stop whatever the board is running (Ctrl-C) and return to the raw REPL."""

    @abstractmethod
    def soft_reset(self) -> None:
        """Soft-reset the board (fresh interpreter state) and return to the raw REPL."""

    @abstractmethod
    def close(self) -> None:
        """Leave the raw REPL and release the port."""

    def exec(self, code: str, *, on_output: OutputCallback | None = None,
             timeout: float | None = 10.0) -> str:  # fmt: skip
        """Run ``code`` and return its output; raise BoardExecError if it raised."""
        result = self.execute(code, on_output=on_output, timeout=timeout)
        output = result.output.decode("utf-8", "replace")
        if result.timed_out:
            raise LinkError(f"{self.port}: code still running after {timeout} s; interrupted it")
        if result.error:
            last = result.error.strip().splitlines()[-1] if result.error.strip() else "error"
            raise BoardExecError(f"{self.port}: {last}", result.error, output)
        return output

    def eval(self, expression: str, *, timeout: float = 10.0) -> Any:
        """Evaluate ``expression`` on the board and return its value (a Python literal)."""
        text = self.exec(f"print(repr({expression}))", timeout=timeout).strip()
        try:
            return ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return text

    def __enter__(self) -> Link:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SerialLink(Link):
    """The raw REPL over a serial port (a USB board, or a virtual board's pty)."""

    def __init__(self, port: str, baudrate: int = 115200, *, soft_reset: bool = False) -> None:
        self.port = port
        self._helpers_loaded = False
        self._features: set[str] | None = None
        try:
            self._transport = SerialTransport(port, baudrate=baudrate, exclusive=True)
        except (TransportError, serial.SerialException, OSError) as exc:
            raise LinkError(
                f"{port}: cannot open the port ({_reason(exc)}); check the cable and that no "
                "other program (Mu, Thonny, a serial monitor) has it open"
            ) from None
        self._serial = self._transport.serial
        self._serial.timeout = _PROTOCOL_WAIT
        self._enter_raw(soft_reset)

    # -- protocol steps, each with a deadline --------------------------------------------

    def _enter_raw(self, soft_reset: bool) -> None:
        """Interrupt whatever runs, enter the raw REPL, optionally soft-reset first.

        The same steps as mpremote's ``enter_raw_repl``, which prints what it read when a
        board does not answer; a library must not print, and redirecting stdout around it
        is not thread-safe (a classroom runs a thread per board).
        """
        read_until = self._transport.read_until
        with self._guard("entering the raw REPL"):
            self._serial.write(b"\r\x03")
            if self._serial.in_waiting:
                self._serial.read(self._serial.in_waiting)
            self._serial.write(b"\r\x01")
            steps = [RAW_BANNER + b">"] if soft_reset else []
            if soft_reset:
                steps.append(b"soft reboot\r\n")
            steps.append(RAW_BANNER)
            for index, ending in enumerate(steps):
                data = read_until(1, ending, timeout_overall=5)
                if not data.endswith(ending):
                    raise LinkError(
                        f"{self.port}: the board does not answer the MicroPython raw REPL; is "
                        "MicroPython or CircuitPython on it? (`wearkit flash` puts it there)"
                    )
                if soft_reset and index == 0:
                    self._serial.write(b"\x04")
            self._transport.in_raw_repl = True

    @contextlib.contextmanager
    def _guard(self, doing: str) -> Any:
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
        except TransportError as exc:
            raise LinkError(f"{self.port}: protocol error while {doing}: {exc}") from None
        except struct.error:
            # mpremote read a short raw-paste window: the line went quiet mid-answer.
            raise LinkError(f"{self.port}: the board stopped answering while {doing}") from None

    @contextlib.contextmanager
    def _polling(self) -> Any:
        """Short reads while following output, so deadlines and stop requests are honoured;
        the protocol steps mpremote runs keep the longer wait (set once, not per read)."""
        self._serial.timeout = _POLL
        try:
            yield
        finally:
            self._serial.timeout = _PROTOCOL_WAIT

    def _read_some(self) -> bytes:
        """What has arrived, up to and including the next end marker (never past it:
        the raw REPL's prompt after the markers belongs to the next exec)."""
        return bytes(self._serial.read_until(_EOF, max(1, self._serial.in_waiting)))

    def _follow(
        self,
        on_output: OutputCallback | None,
        timeout: float | None,
        stop: threading.Event | None,
    ) -> ExecResult:
        """Read output until the board's end markers; interrupt on deadline or stop."""
        deadline = None if timeout is None else time.monotonic() + timeout
        parts: list[bytes] = [b"", b""]  # output, then the traceback
        section = 0
        interrupted = timed_out = False
        quiet_since = time.monotonic()
        with self._polling():
            while section < 2:
                chunk = self._read_some()
                now = time.monotonic()
                if chunk:
                    quiet_since = now
                    ended = chunk.endswith(_EOF)  # a chunk holds at most one marker, at its end
                    piece = chunk[:-1] if ended else chunk
                    if piece:
                        parts[section] += piece
                        if section == 0 and on_output is not None:
                            on_output(piece)
                    if ended:
                        section += 1
                        continue
                wants_stop = stop is not None and stop.is_set()
                late = deadline is not None and now > deadline
                if (wants_stop or late) and not interrupted:
                    interrupted, timed_out = True, late and not wants_stop
                    self._serial.write(b"\x03")
                    deadline, quiet_since = now + _PROTOCOL_WAIT, now
                elif interrupted and now - quiet_since > _PROTOCOL_WAIT:
                    raise LinkError(
                        f"{self.port}: the board does not respond to Ctrl-C; press its reset button"
                    )
        # The ">" prompt that follows is read by the next exec (mpremote waits for it).
        error = parts[1].decode("utf-8", "replace")
        return ExecResult(parts[0], error, interrupted, timed_out)

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

    def _send(self, code: bytes) -> None:
        """Send code at the raw REPL prompt: raw-paste when the board has it, else plain.

        mpremote's own exec assumes a clean line; a board's UART bridge can put garbage
        on it (an ESP32 at boot, a loose cable), so this tolerates bytes around the
        prompt and reuses mpremote only for raw-paste's flow control.
        """
        prompt = self._transport.read_until(1, b">", timeout=_PROTOCOL_WAIT)
        if not prompt.endswith(b">"):
            raise LinkError(f"{self.port}: the board stopped answering (no raw REPL prompt)")
        if self._serial.in_waiting:
            self._serial.read(self._serial.in_waiting)  # noise after the prompt
        if self._transport.use_raw_paste:
            self._serial.write(b"\x05A\x01")
            answer = self._raw_paste_answer()
            if answer == b"R\x01":
                self._transport.raw_paste_write(code)
                return
            if not answer:
                raise LinkError(f"{self.port}: the board stopped answering (raw-paste request)")
            self._transport.use_raw_paste = False
            if answer != b"R\x00":
                # Firmware older than raw-paste takes the request as input and echoes
                # its raw REPL banner again.
                self._transport.read_until(1, b"w REPL; CTRL-B to exit\r\n>", timeout=1)
        for start in range(0, len(code), 256):
            self._serial.write(code[start : start + 256])
            time.sleep(0.01)  # the plain raw REPL has no flow control: pace it
        self._serial.write(b"\x04")
        answer = self._serial.read(2)
        if answer != b"OK":
            raise LinkError(
                f"{self.port}: the board refused the code (answered {answer!r}); try "
                f"`wearkit exec {self.port} --reset` or press its reset button"
            )

    def _raw_paste_answer(self) -> bytes:
        """The board's 2-byte answer to a raw-paste request, skipping line noise before it.

        Read a byte at a time: the window size that follows belongs to mpremote's writer.
        """
        seen = b""
        deadline = time.monotonic() + 1.0
        with self._polling():
            while time.monotonic() < deadline:
                seen += bytes(self._serial.read(1))
                if seen[-2:] in (b"R\x01", b"R\x00"):
                    return seen[-2:]
                if len(seen) >= 2 and b"R" not in seen[-2:] and seen[-1:] < b"\x80":
                    return seen[-2:]  # neither an answer nor noise: an older firmware
        return seen[-2:]

    @property
    def uses_raw_paste(self) -> bool:
        """False once the board has refused raw-paste mode (older firmware)."""
        return bool(self._transport.use_raw_paste)

    def interrupt(self) -> None:
        """Stop whatever the board is running (Ctrl-C) and return to the raw REPL."""
        self._enter_raw(soft_reset=False)

    def soft_reset(self) -> None:
        """Soft-reset the board (fresh interpreter state) and return to the raw REPL."""
        self._helpers_loaded = False
        self._enter_raw(soft_reset=True)

    def close(self) -> None:
        """Leave the raw REPL and release the port."""
        with contextlib.suppress(Exception):
            self._transport.exit_raw_repl()
        with contextlib.suppress(Exception):
            self._transport.close()

    # -- files -------------------------------------------------------------------------------

    def _load_helpers(self) -> set[str]:
        if not self._helpers_loaded or self._features is None:
            source = (paths.firmware_dir() / "_wkput.py").read_text(encoding="utf-8")
            self._features = set(self.exec(_compact(source) + "_wk_caps()\n").split())
            self._helpers_loaded = True
        return self._features

    def put(
        self,
        data: bytes,
        dest: str,
        *,
        progress: ProgressCallback | None = None,
        compress: bool | None = None,
        chunk_size: int = 4096,
    ) -> PutResult:
        """Write ``data`` to ``dest`` on the board and verify what landed.

        Source text goes as bytes literals with minimal escaping (about 1% overhead);
        where the firmware has ``deflate`` and ``binascii`` it goes compressed, which
        beats the line rate for source code. ``compress=None`` decides by itself.
        """
        started = time.monotonic()
        features = self._load_helpers()
        can_compress = {"deflate", "binascii"} <= features
        if compress is None:
            compress = can_compress
        elif compress and not can_compress:
            raise LinkError(f"{self.port}: the firmware has no deflate; put it uncompressed")
        atomic = "rename" in features
        target = dest + ".part" if atomic else dest
        sent = 0
        if compress:
            packer = zlib.compressobj(9, zlib.DEFLATED, -_DEFLATE_WBITS)
            payload = packer.compress(data) + packer.flush()
            staging = dest + ".z"
            self.exec(f"_wk_open({staging!r})")
            step = chunk_size // 4 * 3
            for start in range(0, len(payload), step):
                encoded = base64.b64encode(payload[start : start + step]).decode("ascii")
                code = f"_wk_b64('{encoded}')"
                self.exec(code)
                sent += len(code)
                if progress:
                    done = min(len(data), (start + step) * len(data) // max(1, len(payload)))
                    progress(done, len(data))
            self.exec("_wk_close()")
            self.exec(f"_wk_inflate({staging!r}, {target!r}, {_DEFLATE_WBITS})", timeout=30)
        else:
            self.exec(f"_wk_open({target!r})")
            for start in range(0, len(data), chunk_size):
                code = "w(" + _bytes_literal(data[start : start + chunk_size]) + ")"
                self.exec(code)
                sent += len(code)
                if progress:
                    progress(min(len(data), start + chunk_size), len(data))
            self.exec("_wk_close()")
        kind, size_text, digest = self.exec(f"_wk_digest({target!r})", timeout=60).split()
        expected = _digest(kind, data)
        if int(size_text) != len(data) or digest != expected:
            raise LinkError(
                f"{self.port}: {dest} did not land intact ({size_text} of {len(data)} bytes, "
                f"{kind} {digest} != {expected}); put it again"
            )
        if atomic:
            self.exec(f"_wk_move({target!r}, {dest!r})")
        if progress:
            progress(len(data), len(data))
        return PutResult(dest, len(data), sent, time.monotonic() - started, compress, digest)

    def read_file(self, path: str) -> bytes:
        """Read a (small) file from the board."""
        text = self.exec(f"f=open({path!r},'rb');print(repr(f.read()));f.close()")
        value = ast.literal_eval(text.strip())
        if not isinstance(value, bytes):
            raise LinkError(f"{self.port}: unexpected answer reading {path}")
        return value


def _compact(source: str) -> str:
    """Drop comments, blank lines and most indentation: fewer bytes on a slow line."""
    lines = []
    for line in source.splitlines():
        body = line.lstrip(" ")
        if not body or body.startswith("#"):
            continue
        lines.append(" " * ((len(line) - len(body)) // 4) + body)
    return "\n".join(lines) + "\n"


def _digest(kind: str, data: bytes) -> str:
    if kind == "sha256":
        return hashlib.sha256(data).hexdigest()
    total = 0
    for byte in data:
        total = (total * 31 + byte) & 0xFFFFFFFF
    return f"{total:08x}"


_PLAIN = frozenset(range(0x20, 0x7F)) - {ord("\\"), ord("'")}


def _bytes_literal(chunk: bytes) -> str:
    """A triple-quoted bytes literal that costs about 1% over the data for source text.

    ``repr`` would escape every newline; here newlines and tabs go as themselves and
    only quotes, backslashes, carriage returns and non-ASCII bytes are escaped.
    """
    out = []
    for byte in chunk:
        if byte in _PLAIN or byte in (0x0A, 0x09):
            out.append(chr(byte))
        elif byte == 0x27:
            out.append("\\'")
        elif byte == 0x5C:
            out.append("\\\\")
        else:
            out.append(f"\\x{byte:02x}")
    return "b'''" + "".join(out) + "'''"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
