"""The store as a RunLog: one transaction per batch, nothing of a batch lost or half-written."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import event

from tests.store.store_helpers import F, completion, last_batch, start
from wearkit.errors import StoreError
from wearkit.runlog import Batch, RunLog, TaskRecord
from wearkit.store import CONSOLE_LIMIT, Store, open_store, schema


def test_a_store_is_a_run_log(store: Store) -> None:
    log: RunLog = store  # mypy: Store satisfies the protocol the run loop is written against
    run_id = log.start_run(start(learner="L-1"))
    log.record(run_id, Batch(console=["hi"]))
    log.finish_run(run_id, "incomplete", frames=0, corrupted=0, lost=0)
    run = store.get_run(run_id)
    assert (run.outcome, run.console, run.learner) == ("incomplete", "hi\n", "L-1")


def test_start_run_records_the_board_and_this_process(store: Store) -> None:
    import os

    run = store.get_run(store.start_run(start()))
    assert (run.port, run.board_family, run.board_name) == ("/dev/ttyACM0", "microbit-v2", "zig")
    assert (run.activity_slug, run.activity_title) == ("step-counter", "Step Counter")
    assert run.outcome == "running" and run.ended_at is None and run.started_at.tzinfo
    assert run.pid == os.getpid() and run.host


def test_record_writes_a_batch_in_one_transaction(store: Store) -> None:
    run_id = store.start_run(start())
    begins: list[object] = []
    event.listen(store._engine, "begin", lambda conn: begins.append(conn))
    done = completion()
    store.record(run_id, last_batch(done, frames=20))
    assert len(begins) == 1
    assert len(store.run_frames(run_id)) == 20
    assert store.get_run(run_id).console == "walking...\n20 steps!\n"
    assert [(t.task_id, t.state) for t in store.task_results(run_id)] == [("walk", "done")]
    (stored,) = store.completions()
    assert stored.run_id == run_id and stored.idempotency_key == done.idempotency_key
    assert [i.idempotency_key for i in store.pending_outbox()] == [done.idempotency_key]


def test_a_batch_that_fails_leaves_nothing_behind(store: Store) -> None:
    run_id = store.start_run(start())
    broken = replace(completion(), evidence={"readings": {1, 2}})  # a set is not JSON
    with pytest.raises(StoreError, match="cannot write to the store"):
        store.record(run_id, last_batch(broken))
    assert store.run_frames(run_id) == [] and store.task_results(run_id) == []
    assert store.get_run(run_id).console == "" and store.completions() == []
    # The run loop keeps the batch and tries again: all of it lands, once.
    store.record(run_id, last_batch(completion(key=broken.idempotency_key)))
    assert len(store.run_frames(run_id)) == 20 and len(store.completions()) == 1


def test_console_is_appended_once_per_batch_and_keeps_the_end(store: Store) -> None:
    run_id = store.start_run(start())
    store.record(run_id, Batch(console=["hello", ""]))
    assert store.get_run(run_id).console == "hello\n\n"
    store.record(run_id, Batch(console=["x" * CONSOLE_LIMIT, "Traceback: the end"]))
    console = store.get_run(run_id).console
    assert len(console) == CONSOLE_LIMIT and console.endswith("x\nTraceback: the end\n")


def test_frames_round_trip_and_count(store: Store) -> None:
    run_id = store.start_run(start())
    batch = [
        F(0, "hello", 0, None, {"kit": 1, "board": "microbit"}),
        F(1, "sample", 10, None, {"ax": 1.5, "light": 20}),
        F(2, "report", 20, "steps", 3),
        F(3, "event", 30, "shake", None),
        F(4, "done", 40),
    ]
    store.record(run_id, Batch(frames=list(batch)))
    store.record(run_id, Batch())
    stored = store.run_frames(run_id)
    assert [(f.seq, f.kind, f.t_ms, f.name, f.value) for f in stored] == [
        (f.seq, f.kind, f.t_ms, f.name, f.value) for f in batch
    ]
    assert [f.seq for f in store.run_frames(run_id, kind="report")] == [2]
    # A run whose host dies before finish_run still shows how many frames it got.
    assert store.get_run(run_id).frames == 5


def test_samples_are_bounded_and_summarised(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "SAMPLE_LIMIT", 50)
    run_id = store.start_run(start())
    seq = 0
    for batch_number in range(4):
        frames = []
        for i in range(30):
            n = batch_number * 30 + i
            frames.append(F(seq, "sample", n * 10, None, {"light": n, "accel": [n, -n, 0]}))
            seq += 1
        frames.append(F(seq, "report", n * 10, "steps", n))
        frames.append(F(seq + 1, "event", n * 10, "shake"))
        seq += 2
        store.record(run_id, Batch(frames=frames))
    assert len(store.run_frames(run_id, kind="sample")) == 50
    assert len(store.run_frames(run_id, kind="report")) == 4  # never dropped
    assert len(store.run_frames(run_id, kind="event")) == 4
    run = store.get_run(run_id)
    assert run.samples_kept == 50 and run.frames == 128
    assert run.samples_summary == {
        "count": 120,
        "first_t_ms": 0,
        "last_t_ms": 1190,
        "keys": {
            "light": {"min": 0, "max": 119},
            "accel[0]": {"min": 0, "max": 119},
            "accel[1]": {"min": -119, "max": 0},
            "accel[2]": {"min": 0, "max": 0},
        },
    }


def test_summary_keys_are_bounded(store: Store) -> None:
    run_id = store.start_run(start())
    wide = {f"k{i}": i for i in range(schema.SUMMARY_KEYS_LIMIT + 10)}
    store.record(run_id, Batch(frames=[F(0, "sample", 0, None, wide), F(1, "sample", 1, "x", "t")]))
    summary = store.get_run(run_id).samples_summary
    assert summary is not None and summary["count"] == 2
    assert len(summary["keys"]) == schema.SUMMARY_KEYS_LIMIT


def test_a_task_once_done_stays_done(store: Store) -> None:
    run_id = store.start_run(start())
    store.record(run_id, Batch(tasks=[TaskRecord("walk", "pending", "0 of 20 steps", 0)]))
    store.record(run_id, Batch(tasks=[TaskRecord("walk", "done", "20 steps", 1500)]))
    store.record(run_id, Batch(tasks=[TaskRecord("walk", "failed", "late", 9000)]))
    # Within one batch too: done, then a stale pending.
    store.record(
        run_id,
        Batch(
            tasks=[
                TaskRecord("strap", "done", "", None, signed_off_by="Ms Okafor"),
                TaskRecord("strap", "pending", "", None),
                TaskRecord("shake", "failed", "no shake in 30 s", 30000),
            ]
        ),
    )
    results = {t.task_id: t for t in store.task_results(run_id)}
    assert [(t, r.state) for t, r in results.items()] == [
        ("shake", "failed"),
        ("strap", "done"),
        ("walk", "done"),
    ]
    walk = results["walk"]
    assert walk.detail == "20 steps" and walk.t_ms == 1500 and walk.completed_at is not None
    assert results["strap"].signed_off_by == "Ms Okafor"


def test_unknown_task_state_outcome_and_run_are_refused(store: Store) -> None:
    run_id = store.start_run(start())
    with pytest.raises(StoreError, match="unknown state 'ok' for task 'walk'"):
        store.record(run_id, Batch(tasks=[TaskRecord("walk", "ok")]))
    with pytest.raises(StoreError, match="'done'.*complete, incomplete, error, interrupted"):
        store.finish_run(run_id, "done")
    with pytest.raises(StoreError, match="no run 99"):
        store.get_run(99)
    with pytest.raises(StoreError, match="no run 99"):
        store.record(99, Batch(console=["x"]))
    with pytest.raises(StoreError, match="no run 99"):
        store.finish_run(99, "complete")
    with pytest.raises(StoreError, match="not an opaque learner reference"):
        store.start_run(start(learner="x" * 65))


def test_the_first_finish_wins(store: Store) -> None:
    run_id = store.start_run(start())
    store.finish_run(run_id, "error", "Traceback ...", frames=12, corrupted=2, lost=1)
    store.finish_run(run_id, "complete")
    run = store.get_run(run_id)
    assert (run.outcome, run.error, run.frames, run.corrupted, run.lost) == (
        "error",
        "Traceback ...",
        12,
        2,
        1,
    )
    assert run.ended_at is not None and run.ended_at >= run.started_at


def test_list_runs_latest_first_and_by_activity(store: Store) -> None:
    ids = [store.start_run(start(slug)) for slug in ["night-light", "step-counter", "night-light"]]
    assert [r.id for r in store.list_runs()] == ids[::-1]
    assert [r.id for r in store.list_runs(limit=1)] == [ids[2]]
    assert [r.id for r in store.list_runs(activity="night-light")] == [ids[2], ids[0]]


CHILD = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, sys.argv[2])
    from store_helpers import completion, last_batch, start
    from wearkit.store import open_store
    store = open_store(sys.argv[1])
    run_id = store.start_run(start(learner="L1"))
    done = completion(learner="L1")
    store.record(run_id, last_batch(done))
    print("committed", run_id, done.idempotency_key, flush=True)
    os.kill(os.getpid(), 9)
    """
)


def test_a_batch_survives_the_host_killed_right_after_it(db_url: str) -> None:
    child = subprocess.run(
        [sys.executable, "-c", CHILD, db_url, str(Path(__file__).parent)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    said, run_id, key = child.stdout.split()
    assert said == "committed"
    with open_store(db_url) as reopened:
        (done,) = reopened.completions()
        assert done.idempotency_key == key and done.run_id == int(run_id)
        (item,) = reopened.pending_outbox()
        assert item.completion_id == done.id
        assert [t.state for t in reopened.task_results(int(run_id))] == ["done"]
        assert len(reopened.run_frames(int(run_id))) == 20
        run = reopened.get_run(int(run_id))
        assert run.outcome == "interrupted" and run.frames == 20  # closed on this open


def test_concurrent_writers_lose_nothing(db_url: str) -> None:
    threads_count, per_thread = 12, 20
    # Half the workers share one Store (one pool), half have their own (as processes would).
    shared = open_store(db_url)
    stores = [shared if i % 2 else open_store(db_url) for i in range(threads_count)]
    errors: list[BaseException] = []
    begin = threading.Barrier(threads_count)

    def worker(index: int) -> None:
        s = stores[index]
        try:
            begin.wait()
            for _n in range(per_thread):
                run_id = s.start_run(start(board=f"b{index}"))
                samples = [F(i, "sample", i, None, {"x": i}) for i in range(20)]
                s.record(run_id, Batch(frames=samples))
                s.record(run_id, last_batch(completion(learner=None), frames=5))
                s.finish_run(run_id, "complete", frames=25)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for s in {id(s): s for s in stores}.values():
        s.close()
    assert errors == []
    total = threads_count * per_thread
    with open_store(db_url) as check:
        runs = check.list_runs(limit=total + 10)
        assert len(runs) == total and all(r.outcome == "complete" for r in runs)
        assert len(check.completions()) == total
        assert len(check.pending_outbox(total + 10)) == total
        assert sum(len(check.run_frames(r.id)) for r in runs[:20]) == 20 * 25
