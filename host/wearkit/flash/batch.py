"""Many boards at once: one thread per board, new boards picked up while it runs.

`run_batch` is what `wearkit flash --all`, `wearkit provision --all` and the web app's
"Provision all" share: it starts a job for each board given, and, while jobs run (and
``settle`` seconds after the last one ends), asks ``scan`` for the boards present now,
starting a job for each new one (seen in two scans in a row: a board being plugged in
shows its drive before it is ready). One board failing is its result, never the end of
the others.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Generic, TypeVar

from wearkit.errors import WearkitError

B = TypeVar("B")


@dataclass(frozen=True)
class BatchResult(Generic[B]):
    """One board's outcome: ``error`` is empty when it succeeded."""

    board: B
    label: str
    message: str
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def run_batch(
    boards: Sequence[B],
    work: Callable[[B], str],
    *,
    key: Callable[[B], Hashable],
    label: Callable[[B], str],
    scan: Callable[[], Sequence[B]] | None = None,
    busy: Callable[[B], bool] = lambda board: False,
    on_result: Callable[[BatchResult[B]], None] | None = None,
    settle: float = 2.0,
    poll: float = 0.5,
    stop: threading.Event | None = None,
    workers: int = 32,
) -> list[BatchResult[B]]:
    """Run ``work`` on every board in parallel; with ``scan``, on new boards too.

    ``work`` returns a line saying what it did, or raises WearkitError saying why not.
    ``key`` tells boards apart (their uid or port); a board ``busy`` says a running job
    has (`wearkit.flash.claim`: a board coming back on a new drive) is not a new board.
    """
    results: list[BatchResult[B]] = []
    lock = threading.Lock()
    seen: set[Hashable] = set()
    stop = stop or threading.Event()

    def one(board: B) -> None:
        try:
            outcome = BatchResult(board, label(board), work(board))
        except WearkitError as exc:
            outcome = BatchResult(board, label(board), "", str(exc) or type(exc).__name__)
        except Exception as exc:  # a bug must not silently take a board's result away
            error = f"unexpected {type(exc).__name__}: {exc}"
            outcome = BatchResult(board, label(board), "", error)
        with lock:
            results.append(outcome)
        if on_result is not None:
            on_result(outcome)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="batch") as pool:
        running: list[Future[None]] = []

        def start(board: B) -> None:
            seen.add(key(board))
            running.append(pool.submit(one, board))

        for board in boards:
            if key(board) not in seen:
                start(board)
        if scan is None:
            for job in running:
                job.result()
            return results
        candidates: set[Hashable] = set()
        quiet_since: float | None = None
        while not stop.is_set():
            fresh = [b for b in scan() if key(b) not in seen and not busy(b)]
            for board in fresh:
                if key(board) in candidates:
                    start(board)
            candidates = {key(b) for b in fresh}
            if all(job.done() for job in running):
                quiet_since = quiet_since or time.monotonic()
                if time.monotonic() - quiet_since >= settle and not candidates:
                    break
            else:
                quiet_since = None
            stop.wait(poll)
        for job in running:
            job.result()
    return results
