"""A store written by an older wearkit is brought up to date in place, data kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.store.store_helpers import completion, start
from wearkit.errors import StoreError
from wearkit.runlog import Batch, TaskRecord
from wearkit.store import SCHEMA_VERSION, open_store

# The tables version 1 of the store created (store.py at commit 7abae34), as SQLite has them.
V1_SCHEMA = """
CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at DATETIME NOT NULL,
    PRIMARY KEY (version));
CREATE TABLE runs (id INTEGER NOT NULL, port VARCHAR(255) NOT NULL,
    board_family VARCHAR(64) NOT NULL, board_name VARCHAR(64) NOT NULL,
    activity_slug VARCHAR(100) NOT NULL, activity_title VARCHAR(200) NOT NULL,
    started_at DATETIME NOT NULL, ended_at DATETIME, outcome VARCHAR(16) NOT NULL, error TEXT,
    console TEXT NOT NULL, frames INTEGER NOT NULL, corrupted INTEGER NOT NULL,
    lost INTEGER NOT NULL, samples_kept INTEGER NOT NULL, samples_summary JSON,
    PRIMARY KEY (id), CONSTRAINT outcome_known CHECK (outcome IN
    ('running', 'complete', 'incomplete', 'error', 'interrupted')));
CREATE INDEX ix_runs_activity_slug ON runs (activity_slug);
CREATE TABLE frames (id INTEGER NOT NULL, run_id INTEGER NOT NULL, seq INTEGER NOT NULL,
    kind VARCHAR(16) NOT NULL, t_ms BIGINT, name VARCHAR(100), value JSON, PRIMARY KEY (id),
    FOREIGN KEY(run_id) REFERENCES runs (id) ON DELETE CASCADE);
CREATE INDEX frames_by_run ON frames (run_id, id);
CREATE TABLE task_results (run_id INTEGER NOT NULL, task_id VARCHAR(100) NOT NULL,
    state VARCHAR(16) NOT NULL, detail TEXT NOT NULL, t_ms BIGINT, completed_at DATETIME,
    signed_off_by VARCHAR(100), updated_at DATETIME NOT NULL, PRIMARY KEY (run_id, task_id),
    CONSTRAINT state_known CHECK (state IN ('pending', 'done', 'failed')),
    FOREIGN KEY(run_id) REFERENCES runs (id) ON DELETE CASCADE);
CREATE TABLE completions (id INTEGER NOT NULL, run_id INTEGER NOT NULL,
    activity_slug VARCHAR(100) NOT NULL, board_name VARCHAR(64) NOT NULL,
    learner VARCHAR(64), completed_at DATETIME NOT NULL, idempotency_key VARCHAR(32) NOT NULL,
    PRIMARY KEY (id), UNIQUE (run_id), FOREIGN KEY(run_id) REFERENCES runs (id),
    UNIQUE (idempotency_key));
CREATE INDEX ix_completions_activity_slug ON completions (activity_slug);
CREATE TABLE outbox (id INTEGER NOT NULL, completion_id INTEGER NOT NULL,
    kind VARCHAR(32) NOT NULL, payload JSON NOT NULL, idempotency_key VARCHAR(64) NOT NULL,
    attempts INTEGER NOT NULL, next_attempt_at DATETIME NOT NULL, delivered_at DATETIME,
    last_error TEXT, PRIMARY KEY (id), FOREIGN KEY(completion_id) REFERENCES completions (id),
    UNIQUE (idempotency_key));
CREATE INDEX outbox_pending ON outbox (delivered_at, next_attempt_at);
"""

V1_DATA = """
INSERT INTO schema_version VALUES (1, '2025-05-01 09:00:00');
INSERT INTO runs VALUES (1, '/dev/ttyACM0', 'microbit-v2', 'zig', 'step-counter',
    'Step Counter', '2025-05-01 09:10:00', '2025-05-01 09:11:00', 'complete', NULL, 'hi
', 3, 0, 0, 1, '{"count": 1, "keys": {}}');
INSERT INTO runs VALUES (2, '/dev/ttyACM0', 'microbit-v2', 'zig', 'step-counter',
    'Step Counter', '2025-05-01 09:20:00', NULL, 'running', NULL, '', 0, 0, 0, 0, NULL);
INSERT INTO runs VALUES (3, '/dev/ttyACM1', 'microbit-v2', 'gup', 'step-counter',
    'Step Counter', '2025-05-01 09:30:00', '2025-05-01 09:31:00', 'complete', NULL, '', 0, 0,
    0, 0, NULL);
INSERT INTO frames VALUES (1, 1, 0, 'hello', 0, NULL, '{"kit": 1}');
INSERT INTO frames VALUES (2, 1, 1, 'report', 10, 'steps', '20');
INSERT INTO task_results VALUES (1, 'walk', 'done', '20 steps', 10, '2025-05-01 09:10:30',
    NULL, '2025-05-01 09:10:30');
INSERT INTO task_results VALUES (2, 'walk', 'failed', 'too slow', 99, NULL, NULL,
    '2025-05-01 09:20:30');
INSERT INTO completions VALUES (1, 1, 'step-counter', 'zig', 'L-1', '2025-05-01 09:10:30',
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
INSERT INTO completions VALUES (2, 3, 'step-counter', 'gup', 'L-1', '2025-05-01 09:30:30',
    'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb');
INSERT INTO outbox VALUES (1, 1, 'completion', '{"idempotency_key": "aaaa"}',
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 1, '2025-05-01 09:10:30', '2025-05-01 09:12:00', NULL);
INSERT INTO outbox VALUES (2, 2, 'completion', '{"idempotency_key": "bbbb"}',
    'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 0, '2025-05-01 09:30:30', NULL, NULL);
"""


@pytest.fixture
def v1_file(tmp_path: Path, home: Path) -> Path:
    path = tmp_path / "v1.db"
    raw = sqlite3.connect(path)
    raw.executescript(V1_SCHEMA + V1_DATA)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.close()
    return path


def test_a_version_1_store_is_migrated_in_place(v1_file: Path) -> None:
    url = f"sqlite:///{v1_file}"
    with open_store(url) as store:
        assert store.schema_version == SCHEMA_VERSION == 2
        old = store.get_run(1)
        assert (old.outcome, old.console, old.frames, old.learner) == ("complete", "hi\n", 3, None)
        assert [(f.kind, f.value) for f in store.run_frames(1)] == [
            ("hello", {"kit": 1}),
            ("report", 20),
        ]
        assert [t.state for t in store.task_results(1)] == ["done"]
        assert [t.state for t in store.task_results(2)] == ["failed"]
        # A run version 1 left running has no owner to ask: it is closed.
        assert store.get_run(2).outcome == "interrupted"
        assert [c.idempotency_key[0] for c in store.completions()] == ["a", "b"]
        assert [i.idempotency_key[0] for i in store.pending_outbox()] == ["b"]  # 'a' delivered

        # Version 2 rules hold on the migrated store: L-1 has the step-counter badge already.
        run_id = store.start_run(start(learner="L-1"))
        store.record(
            run_id,
            Batch(tasks=[TaskRecord("walk", "failed")], completion=completion(learner="L-1")),
        )
        store.keep_aside(None, completion("night-light", learner="L-1"))
        assert store.write_kept_aside() == 1
        assert len(store.completions()) == 4
        pending = store.pending_outbox()
        queued = [(i.payload.get("activity"), i.payload.get("learner")) for i in pending]
        assert queued == [(None, None), ("night-light", "L-1")]

    raw = sqlite3.connect(v1_file)
    assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    assert raw.execute("SELECT count(*) FROM schema_version").fetchone() == (2,)
    raw.close()
    with open_store(url) as again:  # opening again migrates nothing
        assert again.schema_version == 2 and len(again.completions()) == 4


def test_migrated_store_keeps_foreign_keys_on(v1_file: Path) -> None:
    with open_store(f"sqlite:///{v1_file}") as store:
        with store._engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        with pytest.raises(StoreError, match="no run 99"):
            store.record(99, Batch(console=["x"]))


def test_a_newer_schema_is_refused(db_url: str, tmp_path: Path) -> None:
    open_store(db_url).close()
    raw = sqlite3.connect(tmp_path / "wearkit.db")
    raw.execute("INSERT INTO schema_version VALUES (99, '2030-01-01 00:00:00')")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError, match="schema version 99.*upgrade wearkit"):
        open_store(db_url)
