"""Talking to a board's MicroPython REPL: one small interface, one class per kind of link.

`Link` declares the few operations a kind of link supplies (run code, interrupt, soft
reset, close); the file helpers here (put, read a file, remove stray files) are written
only on top of them, as mpremote's transport.py does. `open_link` is the one place a
link is made: a port path (``/dev/ttyACM0``, ``COM3``, a virtual board's ``/dev/pts/N``)
or a pyserial URL (``loop://``, ``rfc2217://host:port``) gives a `SerialLink`.
"""

from __future__ import annotations

import ast
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from wearkit.errors import BoardExecError, LinkError
from wearkit.link import transfer

if TYPE_CHECKING:
    from wearkit.link.serial import SerialLink

OutputCallback = Callable[[bytes], None]
ProgressCallback = Callable[[int, int], None]

__all__ = ["ExecResult", "Link", "PutResult", "SerialLink", "open_link"]


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
    sent: int  # bytes of code that crossed the wire (after compression and encoding)
    seconds: float
    compressed: bool
    digest: str


class Link(ABC):
    """A connection to one board's REPL."""

    port: str
    _put_features: set[str] | None = None  # what the put helper found; None: not loaded

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
    def interrupt(self) -> None:
        """Stop whatever the board is running (Ctrl-C) and return to the raw REPL."""

    @abstractmethod
    def soft_reset(self) -> None:
        """Soft-reset the board (fresh interpreter state) and return to the raw REPL.

        Implementations call `_forget_board_state` (the REPL's globals are gone)."""

    @abstractmethod
    def close(self) -> None:
        """Leave the raw REPL and release the port."""

    def _forget_board_state(self) -> None:
        """The board's REPL lost its globals (a reset): load the put helper again."""
        self._put_features = None

    # -- code ----------------------------------------------------------------------------

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

    # -- files, on exec and eval only --------------------------------------------------------

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

        The board checks size and digest before the file gets its name; a file that did
        not land intact raises LinkError and leaves nothing behind. ``compress=None``
        sends deflated where the firmware can inflate.
        """
        started = time.monotonic()
        features = self._load_put_helper()
        can_compress = {"deflate", "binascii"} <= features
        if compress is None:
            compress = can_compress
        elif compress and not can_compress:
            raise LinkError(f"{self.port}: the firmware has no deflate; put it uncompressed")
        steps = transfer.put_steps(
            data, dest, features=features, compress=compress, chunk_size=chunk_size
        )
        sent = 0
        answer = ""
        for step in steps:
            answer = self.exec(step.code, timeout=60)
            sent += step.sent
            if progress:
                progress(step.done, len(data))
        kind = "sha256" if "hashlib" in features else "sum31"
        expected = transfer.digest(kind, data)
        size_text, _, landed = answer.strip().rpartition("\n")[2].partition(" ")
        if size_text != str(len(data)) or landed != expected:
            raise LinkError(
                f"{self.port}: {dest} did not land intact ({size_text} of {len(data)} bytes, "
                f"{kind} {landed} != {expected}); put it again"
            )
        return PutResult(dest, len(data), sent, time.monotonic() - started, compress, expected)

    def read_file(self, path: str) -> bytes:
        """Read a (small) file from the board."""
        text = self.exec(f"f=open({path!r},'rb');print(repr(f.read()));f.close()")
        value = ast.literal_eval(text.strip())
        if not isinstance(value, bytes):
            raise LinkError(f"{self.port}: unexpected answer reading {path}")
        return value

    def remove_strays(self) -> None:
        """Remove what puts cut short left on the board (``*.part``, older ``*.z``)."""
        self._load_put_helper()  # its first call cleans up

    def features(self) -> set[str]:
        """What the board's firmware offers a put: ``deflate``, ``binascii``, ``hashlib``,
        ``rename``, and ``mpy=N`` (``sys.implementation._mpy``) where it says."""
        return set(self._load_put_helper())

    def list_files(self) -> list[str]:
        """The names in the board's current folder (its flat file system)."""
        names = self.eval("__import__('os').listdir()")
        if not isinstance(names, list):
            raise LinkError(f"{self.port}: unexpected answer listing files")
        return [str(name) for name in names]

    def remove_file(self, path: str) -> None:
        """Remove ``path`` from the board."""
        self.exec(f"__import__('os').remove({path!r})")

    def _load_put_helper(self) -> set[str]:
        """Import the put helper from the board's flash; send it only where it is missing
        or of another version. Its first call removes stray files and names features."""
        if self._put_features is not None:
            return self._put_features
        wanted = transfer.helper()
        probe = "try:\n from _wkput import *\n wk_caps()\nexcept (ImportError, NameError):\n pass"
        try:
            words = self._exec_fresh(probe).split()
            if not words or words[0] != wanted.version:
                words = self._exec_fresh(wanted.source + "wk_caps()\n").split()
        except BoardExecError as exc:
            raise LinkError(
                f"{self.port}: the board cannot run the put helper ({exc}); press its reset "
                "button, then try again"
            ) from None
        self._put_features = set(words[1:])
        return self._put_features

    def _exec_fresh(self, code: str) -> str:
        """``exec``; on a MemoryError (a script filled the heap), soft-reset and retry once."""
        try:
            return self.exec(code)
        except BoardExecError as exc:
            if "MemoryError" not in exc.traceback:
                raise
        self.soft_reset()
        return self.exec(code)

    def __enter__(self) -> Link:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_link(url: str, *, baudrate: int = 115200, soft_reset: bool = False) -> Link:
    """Open the board at ``url`` (a port path, a pyserial URL, or ``blinka:<family>`` for
    a Blinka board: `wearkit.link.process`) in its raw REPL.

    Whatever the board was running is interrupted; ``soft_reset`` also gives it a fresh
    interpreter (a script that filled the heap no longer matters). Raises LinkError
    naming the port and the fix.
    """
    if url.startswith("blinka:"):  # a Blinka board: its REPL is a CPython process
        from wearkit.link.process import ProcessLink

        return ProcessLink(url, soft_reset=soft_reset)
    from wearkit.link.serial import SerialLink

    return SerialLink(url, baudrate, soft_reset=soft_reset)


def __getattr__(name: str) -> Any:
    # SerialLink is imported on first use: it brings mpremote and pyserial, which a
    # command that never opens a port should not pay for.
    if name == "SerialLink":
        from wearkit.link.serial import SerialLink

        return SerialLink
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
