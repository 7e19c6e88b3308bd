"""The REPL of a Blinka board: a CPython child process that runs code as a board's raw REPL
does. Run by path (``python cpython_repl.py``) by `wearkit.link.process`; the standard
library only, so it starts on any Python that has Blinka.

Its working folder is the board's "flash" (kit.py, the hardware layer, the put helper).
It first imports what the board needs (``WEARKIT_PRELOAD``: Blinka's ``board``, the kit's
drivers), so a missing install or an adapter that is not plugged in is said once, on
standard error, before any code runs (``missing <module>`` or ``failed <module> <reason>``,
then exit 3). Then it prints the raw REPL's banner and prompt, and for each block of code
(``<length>\\n<code>`` on standard input) prints what the code prints, then ``\\x04``, the
traceback (or nothing), ``\\x04>``: the same bytes a MicroPython board sends, read by
`wearkit.link.repl.RunReader`. SIGINT stops the running code (KeyboardInterrupt), as
Ctrl-C does on a board; between runs it is ignored. Globals last until the process ends
(the link's soft reset starts a new one).
"""

from __future__ import annotations

import importlib
import io
import os
import signal
import sys
import time
import traceback
import types
from typing import Any

BANNER = b"raw REPL; CTRL-B to exit\r\n>"
_MASK = (1 << 30) - 1
_running = False


def _on_sigint(signum: int, frame: types.FrameType | None) -> None:
    if _running:
        raise KeyboardInterrupt


def _micropython_time() -> None:
    """MicroPython's tick functions on CPython's ``time``, as kit expects of a board."""
    ns = time.perf_counter_ns
    extra: dict[str, Any] = {
        "ticks_ms": lambda: (ns() // 1_000_000) & _MASK,
        "ticks_us": lambda: (ns() // 1000) & _MASK,
        "ticks_add": lambda t, d: (t + d) & _MASK,
        "ticks_diff": lambda a, b: ((a - b + (1 << 29)) & _MASK) - (1 << 29),
        "sleep_ms": lambda ms: time.sleep(ms / 1000),
        "sleep_us": lambda us: time.sleep(us / 1_000_000),
    }
    for name, function in extra.items():
        if not hasattr(time, name):
            setattr(time, name, function)


def _prepare() -> None:
    """Path, clock, platform name and the board's modules; exit 3 with one line if not."""
    extra = [p for p in os.environ.get("WEARKIT_PATH", "").split(os.pathsep) if p]
    sys.path[:0] = ["", *extra]
    _micropython_time()
    try:
        importlib.import_module("_kitboard")  # a virtual board's simulation names the platform
    except ModuleNotFoundError as exc:
        if exc.name != "_kitboard":
            _fail("missing", str(exc.name))
        board = types.ModuleType("_kitboard")
        board.PLATFORM = os.environ.get("WEARKIT_PLATFORM", "blinka")  # type: ignore[attr-defined]
        sys.modules["_kitboard"] = board
    except Exception as exc:  # noqa: BLE001  # the simulation itself failed: say so
        _fail("failed", f"_kitboard {type(exc).__name__}: {exc}")
    for name in [n for n in os.environ.get("WEARKIT_PRELOAD", "").split(",") if n]:
        try:
            __import__(name)
        except ModuleNotFoundError as exc:
            _fail("missing", str(exc.name or name))
        except BaseException as exc:  # noqa: BLE001  # an adapter library's own errors
            _fail("failed", f"{name} {type(exc).__name__}: {exc}")


def _fail(kind: str, detail: str) -> None:
    sys.stderr.write(f"{kind} {detail}\n")
    sys.stderr.flush()
    os._exit(3)


def _read_block(stdin: io.BufferedReader) -> bytes | None:
    header = stdin.readline()
    if not header:
        return None
    size = int(header)
    data = stdin.read(size)
    return data if len(data) == size else None


def _run(code: bytes, scope: dict[str, Any]) -> str:
    """Run ``code``; return its traceback text ("" if it finished)."""
    global _running
    try:
        try:
            compiled = compile(code, "<stdin>", "exec")
            _running = True
            exec(compiled, scope)
        finally:
            _running = False
    except SystemExit:
        return ""
    except BaseException as exc:  # noqa: BLE001  # everything goes back as a traceback
        tb = exc.__traceback__
        if tb is not None and tb.tb_frame.f_code is _run.__code__:
            tb = tb.tb_next  # this function's own frame is no part of the board's story
        return "".join(traceback.format_exception(type(exc), exc, tb))
    return ""


def main() -> None:
    """Prepare the board, then run blocks of code until standard input closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _prepare()
    out = os.fdopen(1, "wb", buffering=0)
    sys.stdout = io.TextIOWrapper(out, encoding="utf-8", errors="replace", line_buffering=True)
    os.dup2(1, 2)  # a board has one stream: warnings and crashes go to the host too
    sys.stderr = sys.stdout
    stdin = os.fdopen(0, "rb")
    assert isinstance(stdin, io.BufferedReader)
    scope: dict[str, Any] = {"__name__": "__main__"}
    signal.signal(signal.SIGINT, _on_sigint)
    out.write(BANNER)
    while True:
        code = _read_block(stdin)
        if code is None:
            return
        error = _run(code, scope)
        sys.stdout.flush()
        out.write(b"\x04" + error.encode("utf-8", "replace") + b"\x04>")


if __name__ == "__main__":
    main()
