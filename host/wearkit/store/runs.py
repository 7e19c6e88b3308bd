"""Runs as the `RunLog` protocol writes them, and as the rest of wearkit reads them back.

``record`` writes one batch in one transaction: its frames (every report and event, samples
up to ``SAMPLE_LIMIT`` and a summary of the rest), its console lines (the run keeps the last
``CONSOLE_LIMIT`` characters), its task results (a task once done stays done) and, when the
batch completes the activity, the completion with its outbox row. A host killed a moment
after ``record`` returns loses none of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select, update

from wearkit.errors import StoreError
from wearkit.runlog import Batch, RunStart, TaskRecord
from wearkit.store.batches import merged, write_batches
from wearkit.store.engine import StoreBase, now
from wearkit.store.outbox import check_completion, check_learner
from wearkit.store.owners import this_process
from wearkit.store.schema import OUTCOMES, TASK_STATES, frames, runs, task_results

#: The outcomes a run may be finished from, by the outcome it gets: only a running run is
#: finished, but one that ended short becomes complete when its last task is signed off.
_OPEN_TO: dict[str, tuple[str, ...]] = {
    outcome: ("running", "incomplete", "interrupted") if outcome == "complete" else ("running",)
    for outcome in OUTCOMES
}


@dataclass(frozen=True)
class Run:
    """One activity run on one board."""

    id: int
    port: str
    board_family: str
    board_name: str
    activity_slug: str
    activity_title: str
    started_at: datetime
    ended_at: datetime | None
    outcome: str
    error: str | None
    console: str
    frames: int
    corrupted: int
    lost: int
    samples_kept: int
    samples_summary: dict[str, Any] | None
    learner: str | None = None
    host: str | None = None  # the host and process that ran it
    pid: int | None = None


@dataclass(frozen=True)
class StoredFrame:
    """A frame as stored for a run."""

    run_id: int
    seq: int
    kind: str
    t_ms: int | None
    name: str | None
    value: Any


@dataclass(frozen=True)
class TaskResult:
    """The state of one task in one run."""

    run_id: int
    task_id: str
    state: str
    detail: str
    t_ms: int | None
    completed_at: datetime | None
    signed_off_by: str | None


class RunsMixin(StoreBase):
    """The `RunLog` writes, and reading runs, frames and task results."""

    def start_run(self, start: RunStart) -> int:
        """Record that a run started on a board, owned by this process; return its id."""
        check_learner(start.learner)
        owner = this_process()
        with self._writing() as conn:
            result = conn.execute(
                insert(runs).values(
                    port=start.port,
                    board_family=start.board_family,
                    board_name=start.board_name,
                    activity_slug=start.activity_slug,
                    activity_title=start.activity_title,
                    learner=start.learner,
                    started_at=now(),
                    outcome="running",
                    console="",
                    frames=0,
                    corrupted=0,
                    lost=0,
                    samples_kept=0,
                    host=owner.host,
                    pid=owner.pid,
                    pid_started=owner.started,
                )
            )
            assert result.inserted_primary_key is not None
            return int(result.inserted_primary_key[0])

    def record(self, run_id: int, batch: Batch) -> None:
        """Write ``batch`` in one transaction; a StoreError if the store cannot take it.

        Nothing of a failed batch is written, so the caller can keep it and try again (a
        completion's idempotency key makes the retry write it once).
        """
        self.record_many([(run_id, batch)])

    def record_many(self, items: Sequence[tuple[int, Batch]]) -> None:
        """Write the batches of several runs in one transaction (a classroom's last half
        second): all of them, or none and a StoreError."""
        items = [(run_id, batch) for run_id, batch in items if batch]
        if not items:
            return
        for _run_id, batch in items:
            for task in batch.tasks:
                _check_state(task)
            if batch.completion is not None:
                check_completion(batch.completion)
        with self._writing() as conn:
            write_batches(conn, merged(items))

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
        """Close a run with its outcome and the frame decoder's counters.

        The first finish wins: finishing a run again changes nothing, except that a run
        that ended short of complete becomes ``complete`` when a facilitator signs off
        its last task afterwards.
        """
        if outcome not in OUTCOMES or outcome == "running":
            known = ", ".join(o for o in OUTCOMES if o != "running")
            raise StoreError(f"finish_run: unknown outcome {outcome!r}; use one of {known}")
        values: dict[str, Any] = {"outcome": outcome, "error": error, "ended_at": now()}
        for key, count in (("frames", frames), ("corrupted", corrupted), ("lost", lost)):
            if count is not None:
                values[key] = count
        with self._writing() as conn:
            done = conn.execute(
                update(runs)
                .where(runs.c.id == run_id, runs.c.outcome.in_(_OPEN_TO[outcome]))
                .values(values)
            )
            if done.rowcount == 0:
                _run_row(conn, run_id)  # a StoreError if there is no such run

    def get_run(self, run_id: int) -> Run:
        """The run ``run_id``; a StoreError if there is none."""
        with self._reading() as conn:
            return _run(_run_row(conn, run_id))

    def list_runs(self, limit: int = 50, activity: str | None = None) -> list[Run]:
        """The latest runs first, optionally only those of one activity."""
        query = select(runs).order_by(runs.c.started_at.desc(), runs.c.id.desc()).limit(limit)
        if activity is not None:
            query = query.where(runs.c.activity_slug == activity)
        with self._reading() as conn:
            return [_run(row) for row in conn.execute(query)]

    def run_frames(self, run_id: int, kind: str | None = None) -> list[StoredFrame]:
        """A run's stored frames in arrival order, optionally of one kind."""
        query = select(frames).where(frames.c.run_id == run_id).order_by(frames.c.id)
        if kind is not None:
            query = query.where(frames.c.kind == kind)
        with self._reading() as conn:
            return [
                StoredFrame(r.run_id, r.seq, r.kind, r.t_ms, r.name, r.value)
                for r in conn.execute(query)
            ]

    def task_results(self, run_id: int) -> list[TaskResult]:
        """A run's task results, by task id."""
        query = (
            select(task_results)
            .where(task_results.c.run_id == run_id)
            .order_by(task_results.c.task_id)
        )
        with self._reading() as conn:
            return [_task_result(row) for row in conn.execute(query)]


def _check_state(task: TaskRecord) -> None:
    if task.state not in TASK_STATES:
        raise StoreError(
            f"record: unknown state {task.state!r} for task {task.task_id!r}; "
            f"use one of {', '.join(TASK_STATES)}"
        )


def _no_run(run_id: int) -> StoreError:
    return StoreError(f"no run {run_id} in the store: start it with start_run() first")


def _run_row(conn: Connection, run_id: int) -> Row[Any]:
    row = conn.execute(select(runs).where(runs.c.id == run_id)).first()
    if row is None:
        raise _no_run(run_id)
    return row


def _run(row: Row[Any]) -> Run:
    return Run(**{name: row._mapping[name] for name in Run.__dataclass_fields__})


def _task_result(row: Row[Any]) -> TaskResult:
    return TaskResult(**{name: row._mapping[name] for name in TaskResult.__dataclass_fields__})
