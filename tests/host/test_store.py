"""The store on real SQLite files: round trips, bounds, idempotency, durability, threads."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy

from wearkit import store as store_module
from wearkit.errors import StoreError
from wearkit.store import Store, open_store


@dataclass(frozen=True)
class F:
    """A stand-in for ``wearkit.frames.Frame`` (the store duck-types it)."""

    seq: int
    kind: str
    t_ms: int
    name: str | None = None
    value: Any = None


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'wearkit.db'}"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with open_store(db_url) as opened:
        yield opened


def new_run(store: Store, slug: str = "step-counter", board: str = "zig") -> int:
    return store.start_run(
        port="/dev/ttyACM0",
        board_family="microbit-v2",
        board_name=board,
        activity_slug=slug,
        activity_title=slug.replace("-", " ").title(),
    )


def test_default_store_is_a_sqlite_file_in_the_data_folder(wearkit_home: Path) -> None:
    with open_store() as opened:
        assert opened.schema_version == store_module.SCHEMA_VERSION
    assert (wearkit_home / "wearkit.db").is_file()


def test_sqlite_settings(store: Store, tmp_path: Path) -> None:
    new_run(store)
    raw = sqlite3.connect(tmp_path / "wearkit.db")
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with store._engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
    raw.close()


def test_reopening_keeps_everything(db_url: str) -> None:
    with open_store(db_url) as first:
        run_id = new_run(first)
        first.finish_run(run_id, "incomplete")
    with open_store(db_url) as second:
        assert second.get_run(run_id).outcome == "incomplete"
        assert second.schema_version == store_module.SCHEMA_VERSION


def test_run_round_trip(store: Store) -> None:
    run_id = new_run(store)
    run = store.get_run(run_id)
    assert (run.port, run.board_family, run.board_name) == ("/dev/ttyACM0", "microbit-v2", "zig")
    assert (run.activity_slug, run.activity_title) == ("step-counter", "Step Counter")
    assert run.outcome == "running" and run.ended_at is None
    assert run.started_at.tzinfo is not None

    finished = store.finish_run(run_id, "error", "Traceback ...", frames=12, corrupted=2, lost=1)
    assert finished.outcome == "error" and finished.error == "Traceback ..."
    assert (finished.frames, finished.corrupted, finished.lost) == (12, 2, 1)
    assert finished.ended_at is not None and finished.ended_at >= finished.started_at
    # The first finish wins.
    assert store.finish_run(run_id, "complete") == finished


def test_finish_rejects_an_unknown_outcome(store: Store) -> None:
    run_id = new_run(store)
    with pytest.raises(StoreError, match="'done'.*complete, incomplete, error, interrupted"):
        store.finish_run(run_id, "done")


def test_unknown_run_is_a_store_error(store: Store) -> None:
    with pytest.raises(StoreError, match="no run 99"):
        store.get_run(99)
    with pytest.raises(StoreError, match="no run 99"):
        store.append_console(99, "x")
    with pytest.raises(StoreError, match="no run 99"):
        store.add_frames(99, [F(1, "report", 0, "steps", 1)])
    with pytest.raises(StoreError, match="no run 99"):
        store.set_task_result(99, "walk", "done")
    with pytest.raises(StoreError, match="no run 99"):
        store.record_completion(99, "step-counter", "zig")


def test_list_runs_latest_first_and_by_activity(store: Store) -> None:
    ids = [new_run(store, slug) for slug in ["night-light", "step-counter", "night-light"]]
    assert [r.id for r in store.list_runs()] == ids[::-1]
    assert [r.id for r in store.list_runs(limit=1)] == [ids[2]]
    assert [r.id for r in store.list_runs(activity="night-light")] == [ids[2], ids[0]]


def test_console_keeps_the_end(store: Store) -> None:
    run_id = new_run(store)
    store.append_console(run_id, "hello\n")
    store.append_console(run_id, "")
    assert store.get_run(run_id).console == "hello\n"
    store.append_console(run_id, "x" * store_module.CONSOLE_LIMIT)
    store.append_console(run_id, "Traceback: the end\n")
    console = store.get_run(run_id).console
    assert len(console) == store_module.CONSOLE_LIMIT
    assert console.endswith("xTraceback: the end\n")


def test_frames_round_trip(store: Store) -> None:
    run_id = new_run(store)
    batch = [
        F(0, "hello", 0, None, {"kit": 1, "board": "microbit"}),
        F(1, "sample", 10, None, {"ax": 1.5, "light": 20}),
        F(2, "report", 20, "steps", 3),
        F(3, "event", 30, "shake", None),
        F(4, "done", 40),
    ]
    store.add_frames(run_id, batch)
    store.add_frames(run_id, [])
    stored = store.run_frames(run_id)
    assert [(f.seq, f.kind, f.t_ms, f.name, f.value) for f in stored] == [
        (f.seq, f.kind, f.t_ms, f.name, f.value) for f in batch
    ]
    assert [f.seq for f in store.run_frames(run_id, kind="report")] == [2]


def test_samples_are_bounded_and_summarised(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "SAMPLE_LIMIT", 50)
    run_id = new_run(store)
    seq = 0
    for batch_number in range(4):
        batch = []
        for i in range(30):
            n = batch_number * 30 + i
            batch.append(F(seq, "sample", n * 10, None, {"light": n, "accel": [n, -n, 0]}))
            seq += 1
        batch.append(F(seq, "report", n * 10, "steps", n))
        seq += 1
        store.add_frames(run_id, batch)
    assert len(store.run_frames(run_id, kind="sample")) == 50
    assert len(store.run_frames(run_id, kind="report")) == 4  # never dropped
    run = store.get_run(run_id)
    assert run.samples_kept == 50
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
    run_id = new_run(store)
    wide = {f"k{i}": i for i in range(store_module.SUMMARY_KEYS_LIMIT + 10)}
    store.add_frames(run_id, [F(0, "sample", 0, None, wide), F(1, "sample", 1, "x", "text")])
    summary = store.get_run(run_id).samples_summary
    assert summary is not None and summary["count"] == 2
    assert len(summary["keys"]) == store_module.SUMMARY_KEYS_LIMIT


def test_task_results_and_done_stays_done(store: Store) -> None:
    run_id = new_run(store)
    assert store.set_task_result(run_id, "walk", "pending", "0 of 20 steps", 0).state == "pending"
    store.set_task_result(run_id, "walk", "failed", "too slow", 100)
    done = store.set_task_result(run_id, "walk", "done", "20 steps", 1500)
    assert done.state == "done" and done.completed_at is not None and done.t_ms == 1500
    # Later updates cannot undo it.
    assert store.set_task_result(run_id, "walk", "failed", "late", 9000) == done
    assert store.set_task_result(run_id, "walk", "pending", "", 9001) == done
    signed = store.set_task_result(run_id, "strap", "done", "", None, signed_off_by="Ms Okafor")
    assert signed.signed_off_by == "Ms Okafor" and signed.t_ms is None
    assert [(t.task_id, t.state) for t in store.task_results(run_id)] == [
        ("strap", "done"),
        ("walk", "done"),
    ]
    with pytest.raises(StoreError, match="unknown state 'ok' for task 'walk'"):
        store.set_task_result(run_id, "walk", "ok")


def test_completion_comes_with_its_outbox_row_and_is_idempotent(store: Store) -> None:
    run_id = new_run(store)
    first = store.record_completion(run_id, "step-counter", "zig", learner="L-7F3A")
    again = store.record_completion(run_id, "step-counter", "zig", learner="L-7F3A")
    assert again == first
    assert len(first.idempotency_key) == 32 and first.learner == "L-7F3A"
    assert store.completions() == [first]
    assert store.completions(activity="night-light") == []
    (item,) = store.pending_outbox(10)
    assert item.completion_id == first.id and item.kind == "completion"
    assert item.idempotency_key == first.idempotency_key and item.attempts == 0
    assert item.payload == {
        "idempotency_key": first.idempotency_key,
        "activity": "step-counter",
        "board_name": "zig",
        "learner": "L-7F3A",
        "completed_at": first.completed_at.isoformat(),
    }


def test_completion_and_outbox_roll_back_together(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_id = new_run(store)
    real_insert = sqlalchemy.insert

    def insert_failing_on_outbox(table: Any) -> Any:
        if table is store_module.outbox:
            raise RuntimeError("the host died between the two inserts")
        return real_insert(table)

    monkeypatch.setattr("wearkit.store.insert", insert_failing_on_outbox)
    with pytest.raises(RuntimeError, match="host died"):
        store.record_completion(run_id, "step-counter", "zig")
    monkeypatch.setattr("wearkit.store.insert", real_insert)
    assert store.completions() == []
    assert store.pending_outbox(10) == []
    completion = store.record_completion(run_id, "step-counter", "zig")
    assert [i.completion_id for i in store.pending_outbox(10)] == [completion.id]


def test_learner_reference_is_short(store: Store) -> None:
    run_id = new_run(store)
    with pytest.raises(StoreError, match="short opaque code, not personal data"):
        store.record_completion(run_id, "step-counter", "zig", learner="x" * 65)


def test_outbox_delivery_bookkeeping(store: Store) -> None:
    ids = [new_run(store, board=f"b{i}") for i in range(3)]
    keys = [store.record_completion(r, "step-counter", f"b{r}").idempotency_key for r in ids]
    items = store.pending_outbox(10)
    assert [i.idempotency_key for i in items] == keys
    assert len(store.pending_outbox(2)) == 2
    store.outbox_delivered(items[0].id)
    later = datetime.now(timezone.utc) + timedelta(minutes=5)
    store.outbox_failed(items[1].id, "503 from the badge service", later)
    assert [i.id for i in store.pending_outbox(10)] == [items[2].id]
    (retried,) = [i for i in store.pending_outbox(10, now=later) if i.id == items[1].id]
    assert retried.attempts == 1 and retried.last_error == "503 from the badge service"


CHILD = textwrap.dedent(
    """
    import os, sys
    from wearkit.store import open_store
    store = open_store(sys.argv[1])
    run_id = store.start_run(port="p", board_family="microbit-v2", board_name="zig",
                             activity_slug="step-counter", activity_title="Step Counter")
    completion = store.record_completion(run_id, "step-counter", "zig", learner="L1")
    print("committed", completion.idempotency_key, flush=True)
    os.kill(os.getpid(), 9)
    """
)


def test_a_completion_survives_a_crash_right_after_commit(db_url: str) -> None:
    child = subprocess.run(
        [sys.executable, "-c", CHILD, db_url], capture_output=True, text=True, timeout=60
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    said, key = child.stdout.split()
    assert said == "committed"
    with open_store(db_url) as reopened:
        (completion,) = reopened.completions()
        assert completion.idempotency_key == key
        (item,) = reopened.pending_outbox(10)
        assert item.completion_id == completion.id and item.idempotency_key == key


def test_concurrent_writers_lose_nothing(db_url: str) -> None:
    threads_count, per_thread = 12, 25
    # Half the workers share one Store (one pool), half have their own (as processes would).
    shared = open_store(db_url)
    stores = [shared if i % 2 else open_store(db_url) for i in range(threads_count)]
    errors: list[BaseException] = []
    start = threading.Barrier(threads_count)

    def worker(index: int) -> None:
        s = stores[index]
        try:
            start.wait()
            for n in range(per_thread):
                run_id = new_run(s, board=f"b{index}")
                s.add_frames(run_id, [F(i, "sample", i, None, {"light": i}) for i in range(20)])
                s.append_console(run_id, f"run {n}\n")
                s.set_task_result(run_id, "walk", "done", "", 5)
                s.record_completion(run_id, "step-counter", f"b{index}")
                s.finish_run(run_id, "complete", frames=20)
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
        assert sum(len(check.run_frames(r.id)) for r in runs[:20]) == 20 * 20


def test_bad_url_names_it_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"'nonsense'.*give a SQLAlchemy URL"):
        open_store("nonsense")
    with pytest.raises(StoreError, match=r"'nosuchdb://x'.*give a SQLAlchemy URL"):
        open_store("nosuchdb://x")
    missing = tmp_path / "no" / "such" / "folder" / "w.db"
    with pytest.raises(StoreError, match=rf"{missing}.*unable to open.*folder"):
        open_store(f"sqlite:///{missing}")


def test_password_is_not_shown() -> None:
    with pytest.raises(StoreError) as caught:
        open_store("nosuchdb://user:hunter2@host/db")
    assert "hunter2" not in str(caught.value) and "***" in str(caught.value)


def test_newer_schema_is_refused(db_url: str, tmp_path: Path) -> None:
    open_store(db_url).close()
    raw = sqlite3.connect(tmp_path / "wearkit.db")
    raw.execute("INSERT INTO schema_version VALUES (99, '2030-01-01 00:00:00')")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError, match="schema version 99.*upgrade wearkit"):
        open_store(db_url)


def test_in_memory_store_works_for_quick_tests() -> None:
    with open_store("sqlite://") as memory:
        run_id = new_run(memory)
        memory.record_completion(run_id, "step-counter", "zig")
        assert len(memory.completions()) == 1


def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="naive datetime"):
        store.pending_outbox(10, now=datetime(2030, 1, 1))


def test_values_are_plain_dataclasses(store: Store) -> None:
    run_id = new_run(store)
    assert type(store.get_run(run_id)) is store_module.Run
    completion = store.record_completion(run_id, "step-counter", "zig")
    assert type(completion) is store_module.Completion
