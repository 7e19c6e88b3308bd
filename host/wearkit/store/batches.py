"""Writing runs' batches: every run of a classroom's half second in a handful of
statements (one read of the runs, one insert of all frames, one update of all runs),
not three statements a run: a statement costs far more than a frame."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from wearkit.errors import StoreError
from wearkit.runlog import Batch, TaskRecord
from wearkit.store import schema
from wearkit.store.engine import now, upsert
from wearkit.store.outbox import write_completion
from wearkit.store.schema import frames, runs, task_results
from wearkit.store.summary import SampleSummary

_UPDATE_RUN = (
    update(runs)
    .where(runs.c.id == bindparam("b_id"))
    .values(
        frames=runs.c.frames + bindparam("b_frames"),
        samples_kept=bindparam("b_kept"),
        samples_summary=bindparam("b_summary"),
        console=bindparam("b_console"),
    )
)


def merged(items: Sequence[tuple[int, Batch]]) -> dict[int, Batch]:
    """The batches by run, in order (a run may appear twice: pending, then its completion)."""
    by_run: dict[int, Batch] = {}
    for run_id, batch in items:
        if not batch:
            continue
        into = by_run.get(run_id)
        if into is None:
            by_run[run_id] = Batch(
                list(batch.frames), list(batch.console), list(batch.tasks), batch.completion
            )
            continue
        into.frames.extend(batch.frames)
        into.console.extend(batch.console)
        into.tasks.extend(batch.tasks)
        into.completion = batch.completion or into.completion
    return by_run


def write_batches(conn: Connection, by_run: dict[int, Batch]) -> None:
    """Write every run's batch on ``conn`` (inside the caller's transaction)."""
    found = {
        row.id: row
        for row in conn.execute(
            select(runs.c.id, runs.c.console, runs.c.samples_kept, runs.c.samples_summary).where(
                runs.c.id.in_(list(by_run))
            )
        )
    }
    missing = sorted(set(by_run) - set(found))
    if missing:
        raise StoreError(f"no run {missing[0]} in the store: start it with start_run() first")
    frame_rows: list[dict[str, Any]] = []
    run_rows: list[dict[str, Any]] = []
    for run_id, batch in by_run.items():
        row = found[run_id]
        kept, summary = _frames(run_id, batch, int(row.samples_kept), row.samples_summary,
                                frame_rows)  # fmt: skip
        console = row.console
        if batch.console:
            text = "".join(line + "\n" for line in batch.console)
            console = (console + text)[-schema.CONSOLE_LIMIT :]
        run_rows.append({"b_id": run_id, "b_frames": len(batch.frames), "b_kept": kept,
                         "b_summary": summary, "b_console": console})  # fmt: skip
    if frame_rows:
        conn.execute(insert(frames), frame_rows)
    # The frame count grows with each batch, so a run whose host died shows what it got.
    conn.execute(_UPDATE_RUN, run_rows)
    for run_id, batch in by_run.items():
        if batch.tasks:
            _write_tasks(conn, run_id, batch.tasks)
        if batch.completion is not None:
            write_completion(conn, run_id, batch.completion)


def _frames(
    run_id: int, batch: Batch, kept: int, summary_data: Any, rows: list[dict[str, Any]]
) -> tuple[int, Any]:
    """Add the batch's frame rows to ``rows``; the run's samples kept and summary after."""
    summary = SampleSummary(summary_data)
    for frame in batch.frames:
        if frame.kind == "sample":
            summary.add(frame.t_ms, frame.name, frame.value)
            if kept >= schema.SAMPLE_LIMIT:
                continue
            kept += 1
        rows.append(
            {
                "run_id": run_id,
                "seq": frame.seq,
                "kind": frame.kind,
                "t_ms": frame.t_ms,
                "name": frame.name,
                "value": frame.value,
            }
        )
    return kept, summary.data if summary.changed else summary_data


def _write_tasks(conn: Connection, run_id: int, tasks: list[TaskRecord]) -> None:
    stamp = now()
    statement = upsert(conn, task_results)
    changing = ("state", "detail", "t_ms", "completed_at", "signed_off_by", "updated_at")
    statement = statement.on_conflict_do_update(
        index_elements=[task_results.c.run_id, task_results.c.task_id],
        set_={name: statement.excluded[name] for name in changing},
        where=task_results.c.state != "done",  # a task once done stays done
    )
    # One statement per row: a task may appear twice in a batch (pending, then done).
    for task in tasks:
        conn.execute(
            statement,
            {
                "run_id": run_id,
                "task_id": task.task_id,
                "state": task.state,
                "detail": task.detail,
                "t_ms": task.t_ms,
                "completed_at": stamp if task.state == "done" else None,
                "signed_off_by": task.signed_off_by,
                "updated_at": stamp,
            },
        )
