"""Completions kept aside while the store cannot be written, and written on the next open.

The disk-full case runs on a real full filesystem (a small tmpfs), the read-only case on a
real read-only file (the immutable attribute, which binds root too).
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.store.store_helpers import completion, fill, last_batch, mount_tmpfs, start
from wearkit import paths
from wearkit.errors import StoreError
from wearkit.runlog import Batch
from wearkit.store import Store, open_store


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    mount_tmpfs(disk, "1m")
    yield disk
    subprocess.run(["umount", "-l", str(disk)], check=False, timeout=30)


def test_a_kept_completion_is_written_on_the_next_open(db_url: str, tmp_path: Path) -> None:
    with open_store(db_url) as first:
        run_id = first.start_run(start(learner="L-1"))
        done = completion(learner="L-1")
        where = Path(first.keep_aside(run_id, done))
        assert where == tmp_path / "wearkit.db.kept" / f"{done.idempotency_key}.json"
        kept = json.loads(where.read_text())
        assert kept["run_id"] == run_id
        assert kept["completion"]["idempotency_key"] == done.idempotency_key
        assert first.kept_aside() == [where]
    with open_store(db_url) as second:
        assert second.warnings == [] and second.kept_aside() == []
        (stored,) = second.completions()
        assert (stored.idempotency_key, stored.run_id) == (done.idempotency_key, run_id)
        assert stored.completed_at == done.completed_at
        (item,) = second.pending_outbox()
        assert item.completion_id == stored.id
    assert not where.exists()
    with open_store(db_url) as third:  # and only once
        assert len(third.completions()) == 1 and len(third.pending_outbox()) == 1


def test_a_retried_batch_and_its_kept_copy_make_one_completion(db_url: str) -> None:
    with open_store(db_url) as store:
        run_id = store.start_run(start())
        done = completion()
        store.keep_aside(run_id, done)
        store.record(run_id, last_batch(done))  # the run loop's retry got through
    with open_store(db_url) as reopened:
        assert len(reopened.completions()) == 1 and len(reopened.pending_outbox()) == 1
        assert reopened.kept_aside() == []


def test_a_completion_without_a_run_row_is_still_a_badge(store: Store) -> None:
    done = completion()
    store.keep_aside(None, done)  # the store failed before the run could even start
    assert store.write_kept_aside() == 1
    (stored,) = store.completions()
    assert stored.run_id is None and len(store.pending_outbox()) == 1


def test_kept_completions_follow_the_one_badge_rule(store: Store) -> None:
    run_id = store.start_run(start(learner="L-1"))
    store.record(run_id, Batch(completion=completion(learner="L-1")))
    store.keep_aside(run_id, completion(learner="L-1"))
    store.write_kept_aside()
    assert len(store.completions()) == 2 and len(store.pending_outbox()) == 1


def test_other_stores_kept_files_are_left_alone(home: Path, tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'a.db'}") as a:
        # The data folder is shared by every store: force the kept file there.
        (tmp_path / "a.db.kept").write_text("not a folder")
        where = Path(a.keep_aside(None, completion()))
        assert where.parent == paths.data_dir() / "kept-completions"
    with open_store(f"sqlite:///{tmp_path / 'b.db'}") as b:
        assert b.completions() == [] and where.exists()
    with open_store(f"sqlite:///{tmp_path / 'a.db'}") as again:
        assert len(again.completions()) == 1 and not where.exists()


def test_a_damaged_kept_file_is_reported_and_left(store: Store, tmp_path: Path) -> None:
    store.keep_aside(None, completion())
    bad = tmp_path / "wearkit.db.kept" / "bad.json"
    bad.write_text('{"format": "wearkit-kept-completion/1", "store": "x"')
    with open_store(store.label) as reopened:
        assert len(reopened.completions()) == 1
        assert len(reopened.warnings) == 1 and "bad.json" in reopened.warnings[0]
    assert bad.exists()


def test_a_full_disk_never_drops_a_completion(
    small_disk: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{small_disk / 'wearkit.db'}"
    store = open_store(url)
    run_id = store.start_run(start(learner="L-1"))
    store.record(run_id, Batch(console=["started"]))
    filler = fill(small_disk)
    done = completion(learner="L-1")
    with pytest.raises(StoreError, match=r"wearkit.db.*full.*free disk space"):
        store.record(run_id, last_batch(done))
    # Beside the store there is no room either: it goes to the data folder.
    where = Path(store.keep_aside(run_id, done))
    assert where.parent == home / "kept-completions"
    assert not list((small_disk / "wearkit.db.kept").glob("*"))  # no half-written file
    with open_store(url) as meanwhile:  # still full: the completion waits, and it says so
        assert meanwhile.completions() == [] and meanwhile.kept_aside() == [where]
        assert any("full" in w for w in meanwhile.warnings)
    store.close()
    filler.unlink()
    with open_store(url) as reopened:
        (stored,) = reopened.completions()
        assert (stored.idempotency_key, stored.run_id) == (done.idempotency_key, run_id)
        (item,) = reopened.pending_outbox()
        assert item.completion_id == stored.id and item.payload["learner"] == "L-1"
        assert reopened.get_run(run_id).console == "started\n"
    assert not where.exists()


def test_when_nothing_can_be_written_the_error_carries_the_badge(
    small_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(f"sqlite:///{small_disk / 'wearkit.db'}")
    run_id = store.start_run(start())
    monkeypatch.setenv("WEARKIT_HOME", str(small_disk / "home"))
    monkeypatch.setattr(tempfile, "tempdir", str(small_disk / "tmp"))
    fill(small_disk)
    done = completion()
    with pytest.raises(StoreError) as caught:
        store.keep_aside(run_id, done)
    message = str(caught.value)
    assert "\n" not in message and "free disk space" in message
    kept = json.loads(message.split("it is the badge: ", 1)[1])
    assert kept["run_id"] == run_id
    assert kept["completion"]["idempotency_key"] == done.idempotency_key
    store.close()


def test_a_read_only_store_keeps_completions_beside_it(db_url: str, tmp_path: Path) -> None:
    database = tmp_path / "wearkit.db"
    with open_store(db_url) as store:
        run_id = store.start_run(start())
    if subprocess.run(["chattr", "+i", str(database)], capture_output=True).returncode != 0:
        pytest.skip("this filesystem cannot make a file read-only for root (chattr +i)")
    try:
        with open_store(db_url) as read_only:
            assert read_only.get_run(run_id).outcome == "running"  # it still reads
            done = completion()
            with pytest.raises(StoreError, match="readonly database.*make the store writable"):
                read_only.record(run_id, last_batch(done))
            where = Path(read_only.keep_aside(run_id, done))
            assert where.parent == tmp_path / "wearkit.db.kept"
    finally:
        subprocess.run(["chattr", "-i", str(database)], check=True)
    with open_store(db_url) as writable:
        (stored,) = writable.completions()
        assert stored.idempotency_key == done.idempotency_key
        assert len(writable.pending_outbox()) == 1
