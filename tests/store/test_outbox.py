"""Completions and their outbox rows: once per key, one badge per learner and activity."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex

from tests.store.store_helpers import completion, last_batch, start
from wearkit.errors import StoreError
from wearkit.runlog import Batch
from wearkit.store import Store, open_store, schema


def test_a_completion_comes_with_its_outbox_row(store: Store) -> None:
    run_id = store.start_run(start(learner="L-7F3A"))
    done = completion(learner="L-7F3A")
    store.record(run_id, Batch(completion=done))
    (stored,) = store.completions()
    assert (stored.run_id, stored.learner) == (run_id, "L-7F3A")
    assert stored.evidence == {"tasks": {"walk": "done"}, "steps": 20}
    assert store.completions(activity="night-light") == []
    (item,) = store.pending_outbox(10)
    assert item.completion_id == stored.id and item.kind == "completion" and item.attempts == 0
    assert item.payload == {
        "idempotency_key": done.idempotency_key,
        "activity": "step-counter",
        "board_name": "zig",
        "learner": "L-7F3A",
        "completed_at": done.completed_at.isoformat(),
        "evidence": {"tasks": {"walk": "done"}, "steps": 20},
    }


def test_the_same_key_twice_is_one_completion(store: Store) -> None:
    run_id = store.start_run(start())
    done = completion()
    store.record(run_id, Batch(completion=done))
    store.record(run_id, Batch(completion=done))  # a retry after a lost reply
    assert len(store.completions()) == 1 and len(store.pending_outbox()) == 1


def test_a_rerun_by_the_same_learner_is_history_not_a_second_badge(store: Store) -> None:
    for _rerun in range(3):
        run_id = store.start_run(start(learner="L-1"))
        store.record(run_id, last_batch(completion(learner="L-1")))
    other = store.start_run(start("night-light", learner="L-1"))
    store.record(other, Batch(completion=completion("night-light", learner="L-1")))
    friend = store.start_run(start(learner="L-2"))
    store.record(friend, Batch(completion=completion(learner="L-2")))
    assert len(store.completions()) == 5
    queued = [(i.payload["activity"], i.payload["learner"]) for i in store.pending_outbox()]
    assert queued == [("step-counter", "L-1"), ("night-light", "L-1"), ("step-counter", "L-2")]


def test_completions_without_a_learner_each_get_their_own_delivery(store: Store) -> None:
    for _run in range(3):
        run_id = store.start_run(start())
        store.record(run_id, Batch(completion=completion(learner=None)))
    assert len(store.pending_outbox()) == 3


def test_one_badge_per_learner_is_a_database_constraint(store: Store, tmp_path: Path) -> None:
    run_id = store.start_run(start(learner="L-1"))
    store.record(run_id, Batch(completion=completion(learner="L-1")))
    (item,) = store.pending_outbox()
    raw = sqlite3.connect(tmp_path / "wearkit.db")
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        raw.execute(
            "INSERT INTO outbox (completion_id, kind, payload, idempotency_key, attempts, "
            "next_attempt_at, badge_activity, badge_learner) VALUES "
            "(?, 'completion', '{}', 'another-key', 0, '2030-01-01', 'step-counter', 'L-1')",
            (item.completion_id,),
        )
    raw.close()
    # The same index on PostgreSQL, where a regional hub keeps its outbox.
    index = next(i for i in schema.outbox.indexes if i.name == "one_badge_per_learner")
    assert str(CreateIndex(index).compile(dialect=postgresql.dialect())) == (
        "CREATE UNIQUE INDEX one_badge_per_learner ON outbox (badge_activity, badge_learner)"
    )


def test_racing_writers_of_one_completion_write_it_once(db_url: str) -> None:
    with open_store(db_url) as first:
        run_id = first.start_run(start())
    done = completion()
    stores = [open_store(db_url) for _ in range(6)]
    gate = threading.Barrier(len(stores))
    errors: list[BaseException] = []

    def write(s: Store) -> None:
        try:
            gate.wait()
            s.record(run_id, Batch(completion=done))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for s in stores:
        s.close()
    assert errors == []
    with open_store(db_url) as check:
        assert len(check.completions()) == 1 and len(check.pending_outbox()) == 1


def test_bad_completions_are_refused_before_writing(store: Store) -> None:
    run_id = store.start_run(start())
    with pytest.raises(StoreError, match="not an opaque learner reference"):
        store.record(run_id, Batch(completion=completion(learner="x" * 65)))
    with pytest.raises(StoreError, match="1 to 64 characters"):
        store.record(run_id, Batch(completion=completion(key="k" * 65)))
    naive = replace(completion(), completed_at=datetime(2030, 1, 1))
    with pytest.raises(StoreError, match="naive completed_at"):
        store.record(run_id, Batch(completion=naive))
    assert store.completions() == []


def test_outbox_delivery_bookkeeping(store: Store) -> None:
    keys = []
    for board in ["b1", "b2", "b3"]:
        run_id = store.start_run(start(board=board))
        done = completion(learner=None, board=board)
        store.record(run_id, Batch(completion=done))
        keys.append(done.idempotency_key)
    items = store.pending_outbox(10)
    assert [i.idempotency_key for i in items] == keys
    assert len(store.pending_outbox(2)) == 2
    store.outbox_delivered(items[0].id)
    later = datetime.now(timezone.utc) + timedelta(minutes=5)
    store.outbox_failed(items[1].id, "503 from the badge service", later)
    assert [i.id for i in store.pending_outbox(10)] == [items[2].id]
    (retried,) = [i for i in store.pending_outbox(10, now=later) if i.id == items[1].id]
    assert retried.attempts == 1 and retried.last_error == "503 from the badge service"


def test_naive_datetimes_are_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="naive datetime"):
        store.pending_outbox(10, now=datetime(2030, 1, 1))
