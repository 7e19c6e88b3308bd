"""The frame codec: results a board's kit runtime prints, one line each (sans-IO).

A frame is the line ``@k1 <seq> <json> <chk>``: the marker and format version, a decimal
sequence number counting from 0 at each start of the runtime, a compact JSON object with its
keys sorted, and four lowercase hex digits of Fletcher-16 over the UTF-8 bytes of
``<seq> <json>``. Payloads: ``{"k":"h","t":T,"v":{"kit":..,"hal":..,"caps":[..]}}`` (hello,
once at the runtime's start), ``{"k":"r","n":name,"t":T,"v":value}`` (report),
``{"k":"e","n":name,"t":T}`` (event), ``{"k":"s","t":T,"v":{readings}}`` (sample),
``{"k":"d","t":T}`` (done), T being the board's clock in ms. ``firmware/kit.py`` is the
encoder on the board; both follow ``tests/vectors/frames.json``.

Anything else on the line is console text (a student's own ``print``, a traceback). A line
that carries the marker but fails the checksum, the JSON or the payload's shape is counted as
corrupted and delivered as nothing: it is neither a trustworthy result nor a student's text.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass
from typing import Any, Final, Protocol

MARKER: Final = b"@k1 "
MAX_LINE: Final = 16384  # longer text with no newline is delivered as console text in pieces

KINDS: Final = {"h": "hello", "r": "report", "e": "event", "s": "sample", "d": "done"}
_NAMED: Final = {"report", "event"}


class FrameLike(Protocol):
    """What task checking and the store read from a frame: `Frame` has these, and tests
    may hand in anything else that does."""

    @property
    def seq(self) -> int: ...

    @property
    def kind(self) -> str: ...

    @property
    def t_ms(self) -> int: ...

    @property
    def name(self) -> str | None: ...

    @property
    def value(self) -> Any: ...


@dataclass(frozen=True)
class Frame:
    """One result from the board's runtime."""

    seq: int
    kind: str  # 'hello' | 'report' | 'event' | 'sample' | 'done'
    t_ms: int
    name: str | None
    value: Any


@dataclass(frozen=True)
class ConsoleLine:
    """A line of anything that is not a frame: a student's print, a traceback."""

    text: str


@dataclass
class DecoderStats:
    """What a FrameDecoder has seen so far."""

    frames: int = 0
    corrupted: int = 0  # marker present, but checksum, JSON or payload shape wrong
    lost: int = 0  # gaps in seq within one run of the runtime
    duplicates: int = 0  # the same frame line again (dropped)
    unknown: int = 0  # valid frames of a kind this host does not know (newer firmware)
    console_lines: int = 0
    restarts: int = 0  # hellos with seq 0 after a first frame


def fletcher16(data: bytes) -> int:
    """Fletcher-16 (modulo 255) of ``data``: (sum2 << 8) | sum1.

    Summed in C rather than byte by byte, as the host checks every frame of a classroom:
    sum1 is the sum of the bytes and sum2 the sum of the running sums, both modulo 255
    (the board's byte-by-byte loop gives the same numbers).
    """
    return ((sum(itertools.accumulate(data)) % 255) << 8) | (sum(data) % 255)


def _encode_str(text: str) -> str:
    out = ['"']
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch < " ":
            out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch) or f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _encode_float(value: float) -> str:
    if not math.isfinite(value):
        return "null"
    text = f"{value:.3f}" if -1e15 < value < 1e15 else f"{value:.6g}"
    if "." in text and "e" not in text:
        text = text.rstrip("0")
        if text.endswith("."):
            text += "0"
    return text


def encode_json(value: Any) -> str:
    """Compact JSON as kit.py writes it: sorted keys, floats to 3 decimals, no spaces."""
    if value is None or value is True or value is False:
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _encode_float(value)
    if isinstance(value, str):
        return _encode_str(value)
    if isinstance(value, dict):
        items = sorted((str(k), v) for k, v in value.items())
        return "{" + ",".join(_encode_str(k) + ":" + encode_json(v) for k, v in items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(encode_json(v) for v in value) + "]"
    return _encode_str(str(value))


def encode_frame(seq: int, payload: dict[str, Any]) -> str:
    """The frame line (without newline) that kit.py prints for ``payload`` as number ``seq``."""
    body = f"{seq} {encode_json(payload)}"
    return f"@k1 {body} {fletcher16(body.encode()):04x}"


def _parse(line: bytes) -> tuple[int, dict[str, Any]] | None:
    """(seq, payload) of a frame line that starts at the marker, or None if it is corrupt."""
    try:
        body, chk = line[len(MARKER) :].rsplit(b" ", 1)
        seq_text, json_text = body.split(b" ", 1)
    except ValueError:
        return None
    if chk != b"%04x" % fletcher16(body) or not seq_text.isdigit():
        return None
    try:
        payload = json.loads(json_text.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(payload, dict):
        return None
    return int(seq_text), payload


def _shape_ok(kind: str, payload: dict[str, Any]) -> bool:
    t_ms = payload.get("t")
    if type(t_ms) is not int or t_ms < 0:
        return False
    if kind in _NAMED and not isinstance(payload.get("n"), str):
        return False
    if kind in ("hello", "sample") and not isinstance(payload.get("v"), dict):
        return False
    return kind != "report" or "v" in payload


class FrameDecoder:
    """Turns the bytes a board prints into frames and console lines (no I/O).

    Sequence numbers: the first frame sets the baseline (no loss is counted before it); a
    hello with seq 0 starts a new run of the runtime; a jump forward counts the frames
    skipped as lost; a repeat of the previous line is a duplicate and is dropped; a seq
    that goes back without a hello is a restart whose hello was lost (its frames 0..seq-1
    count as lost).
    """

    def __init__(self) -> None:
        self.stats = DecoderStats()
        self._buffer = bytearray()
        self._last_seq: int | None = None
        self._last_line = b""

    def feed(self, data: bytes) -> list[Frame | ConsoleLine]:
        """Decode ``data`` (any chunk of the stream); a partial last line stays buffered."""
        self._buffer += data
        out: list[Frame | ConsoleLine] = []
        while True:
            end = self._buffer.find(b"\n")
            if end == -1 and len(self._buffer) <= MAX_LINE:
                break
            if end == -1 or end > MAX_LINE:
                self._console(bytes(self._buffer[:MAX_LINE]), out)
                del self._buffer[:MAX_LINE]
                continue
            line = bytes(self._buffer[:end]).rstrip(b"\r")
            del self._buffer[: end + 1]
            self._line(line, out)
        return out

    def flush(self) -> list[Frame | ConsoleLine]:
        """The buffered partial line, as console text (at the end of a stream)."""
        out: list[Frame | ConsoleLine] = []
        if self._buffer:
            self._console(bytes(self._buffer).rstrip(b"\r"), out)
            self._buffer.clear()
        return out

    def _console(self, text: bytes, out: list[Frame | ConsoleLine]) -> None:
        self.stats.console_lines += 1
        out.append(ConsoleLine(text.decode("utf-8", errors="replace")))

    def _line(self, line: bytes, out: list[Frame | ConsoleLine]) -> None:
        start = line.find(MARKER)
        if start == -1:
            self._console(line, out)
            return
        if start > 0:  # text printed without a newline just before the frame
            self._console(line[:start], out)
        frame = self._frame(line[start:])
        if frame is not None:
            self.stats.frames += 1
            out.append(frame)

    def _frame(self, line: bytes) -> Frame | None:
        parsed = _parse(line)
        if parsed is None:
            self.stats.corrupted += 1
            return None
        seq, payload = parsed
        code = payload.get("k")
        kind = KINDS.get(code) if isinstance(code, str) else None
        if not isinstance(code, str):
            self.stats.corrupted += 1
            return None
        if kind is not None and not _shape_ok(kind, payload):
            self.stats.corrupted += 1
            return None
        if not self._in_sequence(seq, kind, line):
            return None
        if kind is None:
            self.stats.unknown += 1
            return None
        name = payload.get("n") if kind in _NAMED else None
        return Frame(seq, kind, payload["t"], name, payload.get("v"))

    def _in_sequence(self, seq: int, kind: str | None, line: bytes) -> bool:
        """Update the loss counters for ``seq``; False for a duplicate to drop."""
        last = self._last_seq
        if last is not None and seq == last and line == self._last_line:
            self.stats.duplicates += 1
            return False
        if last is not None:
            if kind == "hello" and seq == 0:
                self.stats.restarts += 1
            elif seq > last + 1:
                self.stats.lost += seq - last - 1
            elif seq <= last:
                self.stats.restarts += 1
                self.stats.lost += seq
        self._last_seq = seq
        self._last_line = line
        return True
