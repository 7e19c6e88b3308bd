"""The record of a workshop: runs, their frames and console, task results, completions.

SQLite by default (one file in the user's data folder), PostgreSQL for a regional hub. The
`Store` is the `wearkit.runlog.RunLog` runs write to: a batch is one transaction, and a
completion commits with the task result that earned it and its outbox row. Opening a store
closes the runs a killed wearkit left ``running`` on this host and writes the completions
kept aside while the store could not be written.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from wearkit.errors import StoreError
from wearkit.runlog import RunLog
from wearkit.store.engine import default_url, make_engine, reason, shown_url
from wearkit.store.kept import KeptMixin, write_kept_on_open
from wearkit.store.migrate import prepare_schema
from wearkit.store.outbox import Completion, OutboxItem, OutboxMixin
from wearkit.store.owners import abandoned, close_abandoned, this_process
from wearkit.store.runs import Run, RunsMixin, StoredFrame, TaskResult
from wearkit.store.schema import (
    CONSOLE_LIMIT,
    LEARNER_LIMIT,
    SAMPLE_LIMIT,
    SCHEMA_VERSION,
    schema_version,
)

__all__ = [
    "CONSOLE_LIMIT",
    "LEARNER_LIMIT",
    "SAMPLE_LIMIT",
    "SCHEMA_VERSION",
    "Completion",
    "OutboxItem",
    "Run",
    "Store",
    "StoredFrame",
    "TaskResult",
    "default_url",
    "open_store",
]


class Store(RunsMixin, OutboxMixin, KeptMixin):
    """Runs, frames, task results, completions and the outbox, behind one engine.

    Thread-safe: every method is one short transaction on a pooled connection.
    """

    #: One-line notes from opening: what had to wait (kept completions not yet written).
    warnings: list[str]

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        """The schema version recorded in the database."""
        with self._reading() as conn:
            return int(conn.execute(select(func.max(schema_version.c.version))).scalar_one())

    def close_abandoned_runs(self) -> list[int]:
        """Close as interrupted this host's running runs whose process is gone; their ids."""
        me = this_process()
        with self._reading() as conn:
            gone = abandoned(conn, me)
        if gone:  # a read first: opening a read-only store must not need a write
            with self._writing() as conn:
                close_abandoned(conn, me, gone)
        return [run_id for run_id, _pid in gone]


def _as_run_log(store: Store) -> RunLog:
    return store  # mypy checks here that a Store is a RunLog


def open_store(url: str | None = None) -> Store:
    """Open (creating or upgrading if needed) the store at ``url``; default: a SQLite file.

    ``postgresql+psycopg://user@host/wearkit`` works too (install the driver). Opening
    closes this host's abandoned runs and writes kept completions; if the store cannot be
    written now, that waits for the next open and ``Store.warnings`` says so.
    """
    url = url or default_url()
    fix = (
        "give a SQLAlchemy URL such as sqlite:////path/to/wearkit.db or "
        "postgresql+psycopg://user@host/wearkit (with its driver installed), whose folder "
        "or server exists and is writable"
    )
    shown = shown_url(url)
    try:
        parsed = make_url(url)
        shown = shown_url(parsed)
        engine = make_engine(parsed)
    except (ArgumentError, SQLAlchemyError, ImportError, ValueError) as exc:
        raise StoreError(f"cannot open the store {shown!r}: {exc}; {fix}") from exc
    store = Store(engine, shown)
    try:
        prepare_schema(engine, shown)
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(f"cannot open the store {shown!r}: {reason(exc)}; {fix}") from exc
    except StoreError:
        engine.dispose()
        raise
    store.warnings = []
    try:
        store.close_abandoned_runs()
    except StoreError as exc:
        store.warnings.append(str(exc))
    store.warnings += write_kept_on_open(store)
    return store
