"""What a virtual board shows and hears while its interpreter starts (sans-IO).

A board that resets keeps its serial port open: the host sees ``soft reboot`` and then the
REPL it was in. The unix port, restarted, prints its own banner and a friendly prompt, and
drops any input that arrives before its REPL reads. `BootOutput` hides the banner when the
host was in the raw REPL (and asks the interpreter for raw mode once it can), holds what the
host sends until the REPL is ready, and holds a Ctrl-C until the interpreter can take it.
"""

from __future__ import annotations

RAW_BANNER = b"raw REPL; CTRL-B to exit\r\n"
FRIENDLY_PROMPT = b">>> "
ENTER_RAW = b"\x01"
CTRL_C = b"\x03"
# A Ctrl-C sent in the first moments hits the launcher before MicroPython handles SIGINT.
_INTERRUPT_AFTER = 0.3


class BootOutput:
    """One start of the interpreter, from spawn until its REPL reads input."""

    def __init__(self, wants_raw: bool, spawned_at: float) -> None:
        self.wants_raw = wants_raw
        self.spawned_at = spawned_at
        self.booting = True
        self.held_interrupt = False
        self._output_seen = False
        self._pending = b""  # what the host sent while booting
        self._buffer = b""
        self._raw_requested = False

    def from_interpreter(self, data: bytes) -> tuple[bytes, bytes]:
        """The interpreter printed ``data``: return (bytes for the host, bytes for it)."""
        if not self.booting:
            return data, b""
        self._buffer += data
        to_board = b""
        if self.wants_raw:
            if not self._raw_requested and FRIENDLY_PROMPT in self._buffer:
                # Enter raw mode only once the REPL reads input: the unix port flushes
                # pending input when it switches its terminal mode.
                self._raw_requested = True
                to_board = ENTER_RAW
            if RAW_BANNER not in self._buffer:
                return b"", to_board
            shown = self._buffer[self._buffer.index(RAW_BANNER) :]
        elif FRIENDLY_PROMPT not in self._buffer:
            # main.py may be running: show its output as a board's serial console does.
            shown, self._buffer = self._buffer, b""
            self._output_seen = self._output_seen or b"\n" in shown
            return shown, b""
        else:
            shown = self._buffer
        self.booting = False
        self._buffer = b""
        pending, self._pending = self._pending, b""
        return shown, to_board + pending

    def from_host(self, data: bytes) -> None:
        """Hold what the host sends until the REPL reads.

        A Ctrl-C must reach a main.py that runs forever, as on a board: it is held apart
        and released by `interrupt_due`.
        """
        if CTRL_C in data and not self.wants_raw:
            self.held_interrupt = True
            data = data.replace(CTRL_C, b"")
        self._pending += data

    def interrupt_due(self, now: float) -> bool:
        """Whether a held Ctrl-C should go to the interpreter now (it is then released).

        Once main.py has printed or had time to start, the tty turns it into
        KeyboardInterrupt; at the REPL's prompt there is nothing left to interrupt.
        """
        if not self.held_interrupt:
            return False
        if not self.booting:
            self.held_interrupt = False
            return False
        if now - self.spawned_at > _INTERRUPT_AFTER or self._output_seen:
            self.held_interrupt = False
            return True
        return False
