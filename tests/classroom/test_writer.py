"""The classroom's one writer: many runs' batches, one transaction, completions at once."""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from wearkit.classroom.writer import SharedLog
from wearkit.errors import StoreError
from wearkit.frames import Frame
from wearkit.runlog import Batch, CompletionRecord, RunStart, TaskRecord
from wearkit.store import Store, open_store


def sample(seq: int) -> Frame:
    return Frame(seq=seq, kind="sample", t_ms=seq * 50, name=None, value={"ax": seq})


def completion(board: str) -> CompletionRecord:
    return CompletionRecord("night-light", board, None, datetime.now(timezone.utc),
                            uuid.uuid4().hex)  # fmt: skip


def count_transactions(store: Store) -> list[int]:
    seen = [0]
    event.listen(store._engine, "commit", lambda _conn: seen.__setitem__(0, seen[0] + 1))  # type: ignore[attr-defined]
    return seen


def test_thirty_runs_share_one_transaction_and_a_completion_goes_at_once(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'w.db'}")
    ids = [store.start_run(RunStart("p", "cpx", f"b{i}", "night-light", "N")) for i in range(30)]
    commits = count_transactions(store)
    with SharedLog(store, interval=60) as log:  # no timed flush in this test
        for seq in range(10):
            for run_id in ids:
                log.record(run_id, Batch(frames=[sample(seq)], console=[f"line {seq}"]))
        assert commits[0] == 0 and store.get_run(ids[0]).frames == 0  # still pending
        commits[0] = 0
        done = Batch(tasks=[TaskRecord("cover", "done")], completion=completion("b0"))
        log.record(ids[0], done)
        assert commits[0] == 1  # everything pending went with the completion
        assert [c.board_name for c in store.completions()] == ["b0"]
        assert all(store.get_run(i).frames == 10 for i in ids)
        assert store.get_run(ids[5]).console.count("line") == 10


def test_the_writer_flushes_on_its_own_every_interval(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'w.db'}")
    run_id = store.start_run(RunStart("p", "cpx", "b", "night-light", "N"))
    with SharedLog(store, interval=0.2) as log:
        log.record(run_id, Batch(frames=[sample(1)]))
        ends = time.monotonic() + 5
        while store.get_run(run_id).frames == 0 and time.monotonic() < ends:
            time.sleep(0.05)
        assert store.get_run(run_id).frames == 1


class Refusing:
    """A real store that refuses writes while ``refuse`` is set (as a full disk does)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.refuse = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def record_many(self, items: Sequence[tuple[int, Batch]]) -> None:
        if self.refuse:
            raise StoreError("cannot write to the store: database or disk is full")
        self.store.record_many(items)


def test_refused_batches_stay_pending_and_new_ones_are_turned_back(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'w.db'}")
    run_id = store.start_run(RunStart("p", "cpx", "b", "night-light", "N"))
    refusing = Refusing(store)
    with SharedLog(refusing, interval=60) as log:  # type: ignore[arg-type]
        log.record(run_id, Batch(frames=[sample(1)]))
        refusing.refuse = True
        with pytest.raises(StoreError):
            log.flush()
        with pytest.raises(StoreError):  # not accepted: its run keeps it
            log.record(run_id, Batch(frames=[sample(2)]))
        with pytest.raises(StoreError):  # a completion is never accepted unwritten
            log.record(run_id, Batch(completion=completion("b")))
        refusing.refuse = False
        log.flush()
        assert [f.seq for f in store.run_frames(run_id)] == [1]
        log.record(run_id, Batch(frames=[sample(2)]))
    assert [f.seq for f in store.run_frames(run_id)] == [1, 2]  # closing writes the rest
