"""Opening a store: where it lives, SQLite settings for durability, clear errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.store.store_helpers import completion, start
from wearkit.errors import StoreError
from wearkit.runlog import Batch
from wearkit.store import SCHEMA_VERSION, Run, Store, open_store


def test_default_store_is_a_sqlite_file_in_the_data_folder(home: Path) -> None:
    with open_store() as opened:
        assert opened.schema_version == SCHEMA_VERSION
    assert (home / "wearkit.db").is_file()


def test_sqlite_settings(store: Store, tmp_path: Path) -> None:
    store.start_run(start())
    raw = sqlite3.connect(tmp_path / "wearkit.db")
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()
    with store._engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_reopening_keeps_everything(db_url: str) -> None:
    with open_store(db_url) as first:
        run_id = first.start_run(start())
        first.finish_run(run_id, "incomplete")
    with open_store(db_url) as second:
        assert second.get_run(run_id).outcome == "incomplete"
        assert type(second.get_run(run_id)) is Run


def test_bad_url_names_it_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"'nonsense'.*give a SQLAlchemy URL"):
        open_store("nonsense")
    with pytest.raises(StoreError, match=r"'nosuchdb://x'.*give a SQLAlchemy URL"):
        open_store("nosuchdb://x")
    with pytest.raises(StoreError, match=r"SQLite or PostgreSQL.*give a SQLAlchemy URL"):
        open_store("mysql://user@host/wearkit")
    missing = tmp_path / "no" / "such" / "folder" / "w.db"
    with pytest.raises(StoreError, match=rf"{missing}.*unable to open.*folder"):
        open_store(f"sqlite:///{missing}")


def test_password_is_not_shown() -> None:
    with pytest.raises(StoreError) as caught:
        open_store("nosuchdb://user:hunter2@host/db")
    assert "hunter2" not in str(caught.value) and "***" in str(caught.value)


def test_in_memory_store_works_for_quick_tests() -> None:
    with open_store("sqlite://") as memory:
        run_id = memory.start_run(start())
        memory.record(run_id, Batch(completion=completion()))
        assert len(memory.completions()) == 1 and memory.warnings == []
