"""What a board's raw REPL sends while it runs code, read without I/O (sans-IO).

Once a board has taken code, it answers with the code's output, then ``\\x04``, the
error text (a traceback, or nothing), ``\\x04`` and the ``>`` prompt. Line noise and a
script's own bytes may hold any value, 0x04 and ``>`` included, so no single byte ends
a run: bytes from a 0x04 on are held back until the end (``\\x04`` error ``\\x04>``)
shows; the boundary is the last 0x04 before it. Held bytes are released as ordinary
output once it is clear no end follows: too many of them, or too long a wait while the
board keeps talking. Time is passed in by the caller; this module never reads a clock.
"""

from __future__ import annotations

RAW_BANNER = b"raw REPL; CTRL-B to exit\r\n"
SOFT_REBOOT = b"soft reboot\r\n"
_EOF = 0x04
_END = b"\x04>"


class RunReader:
    """Splits a run's bytes into output (streamed as it is released) and error text."""

    def __init__(
        self, *, hold_bytes: int = 16384, hold_seconds: float = 0.5, quiet_seconds: float = 0.25
    ) -> None:
        self.hold_bytes = hold_bytes  # a traceback is never longer than this
        self.hold_seconds = hold_seconds  # a board prints its traceback within this
        self.quiet_seconds = quiet_seconds  # a board at its prompt stays silent this long
        self.finished = False
        self.error = b""  # the error text, once finished
        self.leftover = b""  # bytes after the final prompt (noise)
        self._held = bytearray()  # from a 0x04 that may start the error text
        self._held_since = 0.0
        self._last_byte_at = 0.0

    def feed(self, data: bytes, now: float = 0.0) -> bytes:
        """Take bytes from the board; return the output they release (maybe none)."""
        if self.finished:
            self.leftover += data
            return b""
        if data:
            self._last_byte_at = now
        out = b""
        if not self._held:
            cut = data.find(_EOF)
            if cut < 0:
                return data
            out, data = data[:cut], data[cut:]
            self._held_since = now
        scan_from = max(0, len(self._held) - 1)  # an end may straddle two chunks
        self._held += data
        end = self._plausible_end(scan_from)
        if end is not None:
            # Whatever follows the prompt is noise: the board waits for the host now.
            out += self._finish(end)
        elif len(self._held) > self.hold_bytes:
            out += self._release(now)
        return out

    def poll(self, now: float) -> bytes:
        """Call when nothing arrived for a while: ends the run if the board went quiet
        after an end, or releases held bytes that waited too long; returns released output."""
        if self.finished or not self._held:
            return b""
        quiet = now - self._last_byte_at >= self.quiet_seconds
        last_end = self._held.rfind(_END)
        if quiet and last_end > 0:
            return self._finish(last_end)
        if now - self._held_since >= self.hold_seconds:
            return self._release(now)
        return b""

    @property
    def holding(self) -> bool:
        """Bytes are held back, waiting to see whether the run ends."""
        return bool(self._held)

    def _plausible_end(self, start: int) -> int | None:
        """The first ``\\x04>`` at or after ``start`` whose text back to the boundary reads
        as an error (none, or a traceback, which always ends with a newline), or None."""
        end = self._held.find(_END, start)
        while end >= 0:
            boundary = self._held.rfind(_EOF, 0, end)
            if boundary >= 0:  # a lone "\x04>" has no boundary before it
                error = self._held[boundary + 1 : end]
                if not error or error.endswith(b"\n"):
                    return end
            end = self._held.find(_END, end + 1)
        return None

    def _finish(self, end: int) -> bytes:
        """End the run at the ``\\x04>`` at ``end``; return the held output before it."""
        boundary = self._held.rfind(_EOF, 0, end)
        tail = bytes(self._held[:boundary])
        self.error = bytes(self._held[boundary + 1 : end])
        self.leftover = bytes(self._held[end + 2 :])
        self._held = bytearray()
        self.finished = True
        return tail

    def _release(self, now: float) -> bytes:
        """Hand held bytes on as output, keeping only from the last 0x04 (a later boundary)."""
        keep = self._held.rfind(_EOF, 1)
        if keep < 0:
            out, self._held = bytes(self._held), bytearray()
        else:
            out, self._held = bytes(self._held[:keep]), self._held[keep:]
            self._held_since = now
        return out
