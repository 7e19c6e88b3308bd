"""One writer for a classroom's runs: their batches reach the store together.

A transaction has a fixed cost (a commit, a sync to disk) much larger than a frame's, so
thirty boards each writing twice a second would spend most of a core on commits. The
`SharedLog` collects every run's batches and writes them all in one transaction every
``interval`` seconds. A batch that completes an activity is written at once, with
everything pending, and its run waits until it is committed: the guarantee that a
printed tick is a kept badge does not depend on the writer.

It is a `RunLog` itself, with one rule for errors: a `record` that raises was not
accepted (the run keeps its batch and tries again); a batch accepted earlier is the
writer's to keep, retried every interval until the store takes it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from wearkit.errors import StoreError
from wearkit.runlog import Batch, CompletionRecord, RunLog, RunStart

#: Seconds between a classroom's transactions.
INTERVAL = 0.5


class SharedLog:
    """A `RunLog` that batches many runs' writes into one transaction per interval."""

    def __init__(self, log: RunLog, interval: float = INTERVAL) -> None:
        self.log = log
        self.interval = interval
        self._pending: dict[int, Batch] = {}
        self._lock = threading.Lock()  # guards _pending and _trouble
        self._writing = threading.Lock()  # one transaction at a time, in order
        self._trouble: StoreError | None = None
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="store-writer", daemon=True)
        self._thread.start()

    def __enter__(self) -> SharedLog:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Write what is pending (if the store lets us) and stop the writer thread."""
        self._closed.set()
        self._thread.join()
        try:
            self.flush()
        except StoreError:
            # What is left is frames, console and task results of runs already closed;
            # every completion was written at once, or kept aside by its run.
            pass

    # -- RunLog ---------------------------------------------------------------------------

    def start_run(self, start: RunStart) -> int:
        """Record that a run started (at once: the run needs its id)."""
        return self.log.start_run(start)

    def record(self, run_id: int, batch: Batch) -> None:
        """Accept ``batch`` for the next transaction; a completion is written now, and so
        is everything while the store is refusing (so its recovery is seen at once)."""
        with self._lock:
            troubled = self._trouble is not None
        if batch.completion is not None or troubled:
            self._write(extra=(run_id, batch))  # raises: not accepted, the run keeps it
            return
        with self._lock:
            pending = self._pending.setdefault(run_id, Batch())
            pending.frames.extend(batch.frames)
            pending.console.extend(batch.console)
            pending.tasks.extend(batch.tasks)

    def record_many(self, items: Sequence[tuple[int, Batch]]) -> None:
        """Accept several runs' batches (each as `record` does)."""
        for run_id, batch in items:
            self.record(run_id, batch)

    def finish_run(
        self,
        run_id: int,
        outcome: str,
        error: str | None = None,
        *,
        frames: int | None = None,
        corrupted: int | None = None,
        lost: int | None = None,
    ) -> None:
        """Write what is pending, then close the run (whether or not that write worked:
        a run must not stay `running` because its last frames could not be written)."""
        try:
            self.flush()
        finally:
            self.log.finish_run(
                run_id, outcome, error, frames=frames, corrupted=corrupted, lost=lost
            )

    def keep_aside(self, run_id: int | None, completion: CompletionRecord) -> str:
        """Keep a completion the store refused (see `RunLog.keep_aside`)."""
        return self.log.keep_aside(run_id, completion)

    # -- writing --------------------------------------------------------------------------

    def flush(self) -> None:
        """Write everything pending now; a StoreError (and it stays pending) if refused."""
        self._write()

    def _write(self, extra: tuple[int, Batch] | None = None) -> None:
        with self._writing:
            with self._lock:
                taken, self._pending = self._pending, {}
            items = list(taken.items()) + ([extra] if extra else [])
            if not items:
                return
            try:
                self.log.record_many(items)
            except StoreError as exc:
                with self._lock:
                    self._trouble = exc
                    for run_id, batch in taken.items():  # back in front of newer ones
                        newer = self._pending.pop(run_id, None)
                        if newer is not None:
                            batch.frames.extend(newer.frames)
                            batch.console.extend(newer.console)
                            batch.tasks.extend(newer.tasks)
                        self._pending[run_id] = batch
                raise
            with self._lock:
                self._trouble = None

    def _loop(self) -> None:
        while not self._closed.wait(self.interval):
            try:
                self._write()
            except StoreError:
                pass  # kept pending; runs learn of it from their next `record`
