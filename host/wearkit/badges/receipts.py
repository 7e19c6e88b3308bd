"""What badge services answered, kept on the classroom host: award ids and claim codes for
the printed cards and `wearkit badges list`.

A small SQLite file beside the store. It is a cache, not the record: a receipt lost with a
crash between the answer and this write is had again by sending the item once more (the
service answers the same award for the same idempotency key).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from wearkit import paths
from wearkit.badges.connectors.base import Receipt
from wearkit.errors import BadgeServiceError
from wearkit.store import OutboxItem, Store
from wearkit.store.engine import now, sqlite_file

_SCHEMA = """
CREATE TABLE IF NOT EXISTS receipts (
    idempotency_key TEXT PRIMARY KEY,
    outbox_id INTEGER NOT NULL,
    activity TEXT NOT NULL,
    learner TEXT,
    board_name TEXT,
    connector TEXT NOT NULL,
    remote_id TEXT NOT NULL,
    claim_code TEXT,
    claim_url TEXT,
    delivered_at TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Delivered:
    """One completion a service has, and what it answered."""

    idempotency_key: str
    outbox_id: int
    activity: str
    learner: str | None
    board_name: str | None
    connector: str
    remote_id: str
    claim_code: str | None
    claim_url: str | None
    delivered_at: str


def receipts_path(store: Store) -> Path:
    """The receipts file of ``store``: beside a SQLite store, else in the data folder."""
    try:
        database = sqlite_file(make_url(store.label))
    except Exception:
        database = None
    if database is None:
        return paths.data_dir() / "badge-receipts.db"
    return database.with_name(database.stem + ".badge-receipts.db")


class Receipts:
    """The receipts file: written by the deliverer, read by the CLI. One connection is kept
    open (closing the last one checkpoints the WAL, an extra sync per write)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        with self._connect() as conn:
            conn.execute(_SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
                    self._conn.execute("PRAGMA journal_mode=WAL")
                with self._conn:
                    yield self._conn
            except sqlite3.Error as exc:
                raise BadgeServiceError(
                    f"cannot use the badge receipts {paths.shown(self.path)}: {exc}; "
                    "make its folder writable"
                ) from exc

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def record(self, item: OutboxItem, connector: str, receipt: Receipt) -> None:
        """Keep ``receipt`` for ``item`` (a second answer for one key replaces the first)."""
        self.record_many([(item, receipt)], connector)

    def record_many(self, answered: Sequence[tuple[OutboxItem, Receipt]], connector: str) -> None:
        """Keep every ``(item, receipt)`` of ``answered`` in one transaction."""
        moment = now().isoformat()
        rows = [
            (
                item.idempotency_key, item.id, str(item.payload.get("activity")),
                item.payload.get("learner"), item.payload.get("board_name"), connector,
                receipt.remote_id, receipt.claim_code, receipt.claim_url, moment,
            )
            for item, receipt in answered
        ]  # fmt: skip
        with self._connect() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO receipts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
            )

    def all(self) -> list[Delivered]:
        """Every receipt, in the order the completions were queued."""
        with self._connect() as conn:
            rows = conn.execute("SELECT * FROM receipts ORDER BY outbox_id").fetchall()
        return [Delivered(*row) for row in rows]
