"""Opening a database: URLs, the SQLite settings that make a commit durable, transactions.

SQLite by default (one file in the user's data folder), PostgreSQL for a regional hub. Every
write is a short transaction of its own, so one store can be shared by the worker threads
of a classroom. On SQLite, writes begin with ``BEGIN IMMEDIATE`` so concurrent writers
queue on the busy timeout instead of failing with "database is locked".
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from wearkit import paths
from wearkit.errors import StoreError

#: Seconds a writer waits for another to finish before SQLite gives up.
BUSY_TIMEOUT_S = 30
#: The databases whose upserts and partial failures the store is written (and tested) for.
BACKENDS = ("sqlite", "postgresql")


def default_url() -> str:
    """The SQLite file in the user's data folder."""
    return f"sqlite:///{paths.data_dir() / 'wearkit.db'}"


def shown_url(url: str | URL) -> str:
    """The URL without its password, for messages."""
    if isinstance(url, URL):
        return url.render_as_string(hide_password=True)
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def sqlite_file(url: URL) -> Path | None:
    """The database file of a SQLite URL; None for another backend or an in-memory one."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    database = str(url.database)
    if database.startswith("file:"):  # a sqlite URI (uri=true): file:path?mode=ro
        database = database[5:].split("?", 1)[0]
    return Path(database).resolve()


def make_engine(url: URL) -> Engine:
    """An engine for ``url``; on SQLite with WAL, synchronous=FULL and foreign keys on."""
    if url.get_backend_name() not in BACKENDS:
        raise ValueError(f"the store runs on SQLite or PostgreSQL, not {url.drivername}")
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if sqlite_file(url) is None:
        # One shared connection, else each connection sees its own empty database.
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        engine = create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
            pool_size=8,
            max_overflow=32,
        )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN (pysqlite's own would be deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError:
            pass  # a read-only file keeps its journal mode; reading it still works
        # FULL: a commit is on disk before it returns, even in WAL mode.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A writer takes the lock up front: a deferred transaction that read first could not
        # upgrade later and would fail at once, busy timeout or not.
        write = conn.get_execution_options().get("wearkit_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def reason(exc: BaseException) -> str:
    """The database's own words for what went wrong, on one line."""
    original = getattr(exc, "orig", None)
    text = str(original) if original is not None else str(exc)
    return text.splitlines()[0] if text else type(exc).__name__


def now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(timezone.utc)


def upsert(conn: Connection, table: Table) -> Any:
    """An INSERT that can say ON CONFLICT (SQLite and PostgreSQL spell it the same)."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


class StoreBase:
    """An engine and its transactions: what every part of the store builds on."""

    def __init__(self, engine: Engine, label: str) -> None:
        self._engine = engine
        self.label = label

    def close(self) -> None:
        """Release the database connections."""
        self._engine.dispose()

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        try:
            with self._engine.connect() as conn:
                conn.execution_options(wearkit_write=True)
                with conn.begin():
                    yield conn
        except SQLAlchemyError as exc:
            fix = ""
            if isinstance(exc, OperationalError):  # full, read-only, locked, gone
                fix = "; free disk space, make the store writable, or close what holds it"
            problem = f"cannot write to the store {self.label!r}: {reason(exc)}"
            raise StoreError(problem + fix) from exc

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        try:
            with self._engine.connect() as conn, conn.begin():
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the store {self.label!r}: {reason(exc)}") from exc
