"""The record of a workshop: runs, their frames and console, task results, completions.

SQLite by default (one file in the user's data folder), any SQLAlchemy URL otherwise, so a
regional hub can run on PostgreSQL. A completion is written together with its outbox row
in one transaction: once :meth:`Store.record_completion` returns, both survive a crash.

Every write is a short transaction of its own, so one :class:`Store` can be shared by the
worker threads of a classroom (one per board). On SQLite, writes begin with
``BEGIN IMMEDIATE`` so that concurrent writers queue on the busy timeout instead of
failing with "database is locked".
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Literal, get_args

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Connection,
    DateTime,
    Dialect,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Row,
    String,
    Table,
    Text,
    TypeDecorator,
    create_engine,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from wearkit import paths
from wearkit.errors import StoreError
from wearkit.frames import FrameLike

SCHEMA_VERSION = 1

#: The console text kept per run (the end of it: that is where the traceback is).
CONSOLE_LIMIT = 16 * 1024
#: Sample frames kept per run; later ones only update the run's ``samples_summary``.
SAMPLE_LIMIT = 2000
#: Reading keys tracked in a run's ``samples_summary``.
SUMMARY_KEYS_LIMIT = 32
#: The longest learner reference accepted: an opaque code, never a name or an address.
LEARNER_LIMIT = 64
#: Seconds a writer waits for another to finish before SQLite gives up.
BUSY_TIMEOUT_S = 30

Outcome = Literal["running", "complete", "incomplete", "error", "interrupted"]
TaskState = Literal["pending", "done", "failed"]
OUTCOMES: tuple[str, ...] = get_args(Outcome)
TASK_STATES: tuple[str, ...] = get_args(TaskState)


# --------------------------------------------------------------------------------------------
# What the store gives back: plain values, no ORM objects


@dataclass(frozen=True)
class Run:
    """One activity run on one board."""

    id: int
    port: str
    board_family: str
    board_name: str
    activity_slug: str
    activity_title: str
    started_at: datetime
    ended_at: datetime | None
    outcome: str
    error: str | None
    console: str
    frames: int
    corrupted: int
    lost: int
    samples_kept: int
    samples_summary: dict[str, Any] | None


@dataclass(frozen=True)
class StoredFrame:
    """A frame as stored for a run."""

    run_id: int
    seq: int
    kind: str
    t_ms: int | None
    name: str | None
    value: Any


@dataclass(frozen=True)
class TaskResult:
    """The state of one task in one run."""

    run_id: int
    task_id: str
    state: str
    detail: str
    t_ms: int | None
    completed_at: datetime | None
    signed_off_by: str | None


@dataclass(frozen=True)
class Completion:
    """A badge earned: one per run at most."""

    id: int
    run_id: int
    activity_slug: str
    board_name: str
    learner: str | None
    completed_at: datetime
    idempotency_key: str


@dataclass(frozen=True)
class OutboxItem:
    """Something to deliver to the badge service, at least once."""

    id: int
    completion_id: int
    kind: str
    payload: dict[str, Any]
    idempotency_key: str
    attempts: int
    next_attempt_at: datetime
    delivered_at: datetime | None
    last_error: str | None


# --------------------------------------------------------------------------------------------
# Schema


class _UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise StoreError(f"naive datetime {value!r} given to the store: pass an aware one")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=timezone.utc)


def _one_of(column: str, values: Sequence[str]) -> CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=f"{column}_known")


metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", _UtcDateTime, nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("port", String(255), nullable=False),
    Column("board_family", String(64), nullable=False),
    Column("board_name", String(64), nullable=False),
    Column("activity_slug", String(100), nullable=False, index=True),
    Column("activity_title", String(200), nullable=False),
    Column("started_at", _UtcDateTime, nullable=False),
    Column("ended_at", _UtcDateTime),
    Column("outcome", String(16), nullable=False),
    Column("error", Text),
    Column("console", Text, nullable=False),
    Column("frames", Integer, nullable=False),
    Column("corrupted", Integer, nullable=False),
    Column("lost", Integer, nullable=False),
    Column("samples_kept", Integer, nullable=False),
    Column("samples_summary", JSON),
    _one_of("outcome", OUTCOMES),
)

frames = Table(
    "frames",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", ForeignKey("runs.id", ondelete="CASCADE"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("t_ms", BigInteger),
    Column("name", String(100)),
    Column("value", JSON),
    Index("frames_by_run", "run_id", "id"),
)

task_results = Table(
    "task_results",
    metadata,
    Column("run_id", ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True),
    Column("task_id", String(100), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("detail", Text, nullable=False),
    Column("t_ms", BigInteger),
    Column("completed_at", _UtcDateTime),
    Column("signed_off_by", String(100)),
    Column("updated_at", _UtcDateTime, nullable=False),
    _one_of("state", TASK_STATES),
)

completions = Table(
    "completions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run_id", ForeignKey("runs.id"), nullable=False, unique=True),
    Column("activity_slug", String(100), nullable=False, index=True),
    Column("board_name", String(64), nullable=False),
    Column("learner", String(LEARNER_LIMIT)),
    Column("completed_at", _UtcDateTime, nullable=False),
    Column("idempotency_key", String(32), nullable=False, unique=True),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("completion_id", ForeignKey("completions.id"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("idempotency_key", String(64), nullable=False, unique=True),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", _UtcDateTime, nullable=False),
    Column("delivered_at", _UtcDateTime),
    Column("last_error", Text),
    Index("outbox_pending", "delivered_at", "next_attempt_at"),
)


# --------------------------------------------------------------------------------------------
# Opening


def default_url() -> str:
    """The SQLite file in the user's data folder."""
    return f"sqlite:///{paths.data_dir() / 'wearkit.db'}"


def _shown(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except SQLAlchemyError:
        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def open_store(url: str | None = None) -> Store:
    """Open (creating if needed) the store at ``url``; the default is a SQLite file.

    Any SQLAlchemy URL works, e.g. ``postgresql+psycopg://user@host/wearkit`` (install the
    driver). The tables are created on first use.
    """
    url = url or default_url()
    fix = (
        "give a SQLAlchemy URL such as sqlite:////path/to/wearkit.db or "
        "postgresql+psycopg://user@host/wearkit (with its driver installed), whose folder "
        "or server exists and is writable"
    )
    try:
        parsed = make_url(url)
        engine = _create_engine(parsed)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise StoreError(f"cannot open the store {_shown(url)!r}: {exc}; {fix}") from exc
    store = Store(engine, _shown(url))
    try:
        store._create_schema()
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(f"cannot open the store {_shown(url)!r}: {_reason(exc)}; {fix}") from exc
    return store


def _create_engine(url: URL) -> Engine:
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    in_memory = url.database in (None, "", ":memory:")
    if in_memory:
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
        cursor.execute("PRAGMA journal_mode=WAL")
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


def _reason(exc: SQLAlchemyError) -> str:
    original = getattr(exc, "orig", None)
    return str(original) if original is not None else str(exc).splitlines()[0]


def _now() -> datetime:
    return datetime.now(timezone.utc)


# --------------------------------------------------------------------------------------------
# The store


class Store:
    """Runs, frames, task results, completions and the outbox, behind one engine.

    Thread-safe: every method is one short transaction on a pooled connection.
    """

    def __init__(self, engine: Engine, label: str) -> None:
        self._engine = engine
        self.label = label

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

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
            raise StoreError(f"cannot write to the store {self.label!r}: {_reason(exc)}") from exc

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        try:
            with self._engine.connect() as conn, conn.begin():
                yield conn
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot read the store {self.label!r}: {_reason(exc)}") from exc

    def _create_schema(self) -> None:
        with self._engine.connect() as conn:
            conn.execution_options(wearkit_write=True)
            with conn.begin():
                metadata.create_all(conn)
                found = conn.execute(select(func.max(schema_version.c.version))).scalar()
                if found is None:
                    conn.execute(
                        insert(schema_version).values(version=SCHEMA_VERSION, applied_at=_now())
                    )
                elif found > SCHEMA_VERSION:
                    raise StoreError(
                        f"the store {self.label!r} has schema version {found}, newer than this "
                        f"wearkit's {SCHEMA_VERSION}: upgrade wearkit, or use another --store"
                    )

    @property
    def schema_version(self) -> int:
        """The schema version recorded in the database."""
        with self._reading() as conn:
            return int(conn.execute(select(func.max(schema_version.c.version))).scalar_one())

    # ---- runs

    def start_run(
        self,
        *,
        port: str,
        board_family: str,
        board_name: str,
        activity_slug: str,
        activity_title: str,
    ) -> int:
        """Record that ``activity_slug`` started on a board; return the new run's id."""
        with self._writing() as conn:
            result = conn.execute(
                insert(runs).values(
                    port=port,
                    board_family=board_family,
                    board_name=board_name,
                    activity_slug=activity_slug,
                    activity_title=activity_title,
                    started_at=_now(),
                    outcome="running",
                    console="",
                    frames=0,
                    corrupted=0,
                    lost=0,
                    samples_kept=0,
                )
            )
            run_id = result.inserted_primary_key
            assert run_id is not None
            return int(run_id[0])

    def finish_run(
        self,
        run_id: int,
        outcome: str,
        error: str | None = None,
        *,
        frames: int | None = None,
        corrupted: int | None = None,
        lost: int | None = None,
    ) -> Run:
        """Close a run with its outcome and the frame decoder's counters.

        The first finish wins: finishing a run again returns it unchanged.
        """
        if outcome not in OUTCOMES or outcome == "running":
            known = ", ".join(o for o in OUTCOMES if o != "running")
            raise StoreError(f"finish_run: unknown outcome {outcome!r}; use one of {known}")
        values: dict[str, Any] = {"outcome": outcome, "error": error, "ended_at": _now()}
        for key, count in (("frames", frames), ("corrupted", corrupted), ("lost", lost)):
            if count is not None:
                values[key] = count
        with self._writing() as conn:
            row = self._run_row(conn, run_id)
            if row.outcome == "running":
                conn.execute(update(runs).where(runs.c.id == run_id).values(**values))
                row = self._run_row(conn, run_id)
            return _run(row)

    def append_console(self, run_id: int, text: str) -> None:
        """Add the board's console text to a run, keeping only the last ``CONSOLE_LIMIT``."""
        if not text:
            return
        with self._writing() as conn:
            old = conn.execute(select(runs.c.console).where(runs.c.id == run_id)).scalar()
            if old is None:
                raise _no_run(run_id)
            conn.execute(
                update(runs)
                .where(runs.c.id == run_id)
                .values(console=(old + text)[-CONSOLE_LIMIT:])
            )

    def get_run(self, run_id: int) -> Run:
        """The run ``run_id``; a StoreError if there is none."""
        with self._reading() as conn:
            return _run(self._run_row(conn, run_id))

    def list_runs(self, limit: int = 50, activity: str | None = None) -> list[Run]:
        """The latest runs first, optionally only those of one activity."""
        query = select(runs).order_by(runs.c.started_at.desc(), runs.c.id.desc()).limit(limit)
        if activity is not None:
            query = query.where(runs.c.activity_slug == activity)
        with self._reading() as conn:
            return [_run(row) for row in conn.execute(query)]

    @staticmethod
    def _run_row(conn: Connection, run_id: int) -> Row[Any]:
        row = conn.execute(select(runs).where(runs.c.id == run_id)).first()
        if row is None:
            raise _no_run(run_id)
        return row

    # ---- frames

    def add_frames(self, run_id: int, batch: Iterable[FrameLike]) -> None:
        """Store a batch of a run's frames in one transaction.

        Every frame is kept except samples beyond ``SAMPLE_LIMIT`` per run; all samples,
        kept or not, update the run's ``samples_summary`` (count, time span, min/max per key).
        """
        batch = list(batch)
        if not batch:
            return
        with self._writing() as conn:
            row = conn.execute(
                select(runs.c.samples_kept, runs.c.samples_summary).where(runs.c.id == run_id)
            ).first()
            if row is None:
                raise _no_run(run_id)
            kept = int(row.samples_kept)
            summary = _SampleSummary(row.samples_summary)
            rows: list[dict[str, Any]] = []
            for frame in batch:
                if frame.kind == "sample":
                    summary.add(frame.t_ms, frame.name, frame.value)
                    if kept >= SAMPLE_LIMIT:
                        continue
                    kept += 1
                rows.append(
                    {
                        "run_id": run_id,
                        "seq": frame.seq,
                        "kind": frame.kind,
                        "t_ms": frame.t_ms,
                        "name": frame.name,
                        "value": frame.value,
                    }
                )
            if rows:
                conn.execute(insert(frames), rows)
            if summary.changed:
                conn.execute(
                    update(runs)
                    .where(runs.c.id == run_id)
                    .values(samples_kept=kept, samples_summary=summary.data)
                )

    def run_frames(self, run_id: int, kind: str | None = None) -> list[StoredFrame]:
        """A run's stored frames in arrival order, optionally of one kind."""
        query = select(frames).where(frames.c.run_id == run_id).order_by(frames.c.id)
        if kind is not None:
            query = query.where(frames.c.kind == kind)
        with self._reading() as conn:
            return [
                StoredFrame(r.run_id, r.seq, r.kind, r.t_ms, r.name, r.value)
                for r in conn.execute(query)
            ]

    # ---- tasks

    def set_task_result(
        self,
        run_id: int,
        task_id: str,
        state: str,
        detail: str = "",
        t_ms: int | None = None,
        signed_off_by: str | None = None,
    ) -> TaskResult:
        """Record a task's state in a run. A task once done stays done (later calls are no-ops)."""
        if state not in TASK_STATES:
            raise StoreError(
                f"set_task_result: unknown state {state!r} for task {task_id!r}; "
                f"use one of {', '.join(TASK_STATES)}"
            )
        key = (task_results.c.run_id == run_id) & (task_results.c.task_id == task_id)
        now = _now()
        values: dict[str, Any] = {
            "state": state,
            "detail": detail,
            "t_ms": t_ms,
            "signed_off_by": signed_off_by,
            "completed_at": now if state == "done" else None,
            "updated_at": now,
        }
        with self._writing() as conn:
            old = conn.execute(select(task_results.c.state).where(key)).scalar()
            if old is None:
                try:
                    conn.execute(
                        insert(task_results).values(run_id=run_id, task_id=task_id, **values)
                    )
                except IntegrityError as exc:
                    raise _no_run(run_id) from exc
            elif old != "done":
                conn.execute(update(task_results).where(key).values(**values))
            return _task_result(conn.execute(select(task_results).where(key)).one())

    def task_results(self, run_id: int) -> list[TaskResult]:
        """A run's task results, by task id."""
        query = (
            select(task_results)
            .where(task_results.c.run_id == run_id)
            .order_by(task_results.c.task_id)
        )
        with self._reading() as conn:
            return [_task_result(row) for row in conn.execute(query)]

    # ---- completions and the outbox

    def record_completion(
        self,
        run_id: int,
        activity_slug: str,
        board_name: str,
        learner: str | None = None,
    ) -> Completion:
        """Record that a run earned its badge, with its outbox row, in one transaction.

        Idempotent per run: a second call returns the first completion. ``learner`` is an
        opaque short reference (at most ``LEARNER_LIMIT`` characters), never a name.
        """
        if learner is not None and len(learner) > LEARNER_LIMIT:
            raise StoreError(
                f"learner reference {learner[:16]!r}... is longer than {LEARNER_LIMIT} "
                "characters: use a short opaque code, not personal data"
            )
        for _attempt in range(2):
            try:
                with self._writing() as conn:
                    found = conn.execute(
                        select(completions).where(completions.c.run_id == run_id)
                    ).first()
                    if found is not None:
                        return _completion(found)
                    if conn.execute(select(runs.c.id).where(runs.c.id == run_id)).first() is None:
                        raise _no_run(run_id)
                    return self._insert_completion(conn, run_id, activity_slug, board_name, learner)
            except StoreError as exc:
                # Another host process (PostgreSQL) won the race: read its row.
                if not isinstance(exc.__cause__, IntegrityError):
                    raise
        raise StoreError(f"cannot record the completion of run {run_id} in {self.label!r}")

    @staticmethod
    def _insert_completion(
        conn: Connection, run_id: int, activity_slug: str, board_name: str, learner: str | None
    ) -> Completion:
        key = uuid.uuid4().hex
        now = _now()
        result = conn.execute(
            insert(completions).values(
                run_id=run_id,
                activity_slug=activity_slug,
                board_name=board_name,
                learner=learner,
                completed_at=now,
                idempotency_key=key,
            )
        )
        assert result.inserted_primary_key is not None
        completion = Completion(
            id=int(result.inserted_primary_key[0]),
            run_id=run_id,
            activity_slug=activity_slug,
            board_name=board_name,
            learner=learner,
            completed_at=now,
            idempotency_key=key,
        )
        payload = {
            "idempotency_key": key,
            "activity": activity_slug,
            "board_name": board_name,
            "learner": learner,
            "completed_at": now.isoformat(),
        }
        conn.execute(
            insert(outbox).values(
                completion_id=completion.id,
                kind="completion",
                payload=payload,
                idempotency_key=key,
                attempts=0,
                next_attempt_at=now,
            )
        )
        return completion

    def completions(self, activity: str | None = None) -> list[Completion]:
        """Every completion, oldest first, optionally of one activity."""
        query = select(completions).order_by(completions.c.id)
        if activity is not None:
            query = query.where(completions.c.activity_slug == activity)
        with self._reading() as conn:
            return [_completion(row) for row in conn.execute(query)]

    def pending_outbox(self, limit: int = 100, now: datetime | None = None) -> list[OutboxItem]:
        """Undelivered outbox items due by ``now`` (default: now), the most overdue first."""
        query = (
            select(outbox)
            .where(outbox.c.delivered_at.is_(None), outbox.c.next_attempt_at <= (now or _now()))
            .order_by(outbox.c.next_attempt_at, outbox.c.id)
            .limit(limit)
        )
        with self._reading() as conn:
            return [_outbox_item(row) for row in conn.execute(query)]

    def outbox_delivered(self, item_id: int) -> None:
        """Mark an outbox item delivered: it is never offered again."""
        with self._writing() as conn:
            conn.execute(
                update(outbox)
                .where(outbox.c.id == item_id, outbox.c.delivered_at.is_(None))
                .values(delivered_at=_now(), attempts=outbox.c.attempts + 1, last_error=None)
            )

    def outbox_failed(self, item_id: int, error: str, retry_at: datetime) -> None:
        """Record a failed delivery attempt; the item is due again at ``retry_at``."""
        with self._writing() as conn:
            conn.execute(
                update(outbox)
                .where(outbox.c.id == item_id, outbox.c.delivered_at.is_(None))
                .values(attempts=outbox.c.attempts + 1, last_error=error, next_attempt_at=retry_at)
            )


# --------------------------------------------------------------------------------------------
# Rows to values


def _no_run(run_id: int) -> StoreError:
    return StoreError(f"no run {run_id} in the store: start it with start_run() first")


def _run(row: Row[Any]) -> Run:
    return Run(**row._mapping)


def _task_result(row: Row[Any]) -> TaskResult:
    return TaskResult(**{k: v for k, v in row._mapping.items() if k != "updated_at"})


def _completion(row: Row[Any]) -> Completion:
    return Completion(**row._mapping)


def _outbox_item(row: Row[Any]) -> OutboxItem:
    return OutboxItem(**row._mapping)


class _SampleSummary:
    """Count, time span and min/max per numeric reading of all a run's samples.

    Bounded: at most ``SUMMARY_KEYS_LIMIT`` keys; a list reading counts per element
    (``accel[0]``, ``accel[1]``, ...).
    """

    def __init__(self, data: Mapping[str, Any] | None) -> None:
        self.data: dict[str, Any] = dict(data) if data else {"count": 0, "keys": {}}
        self.data["keys"] = dict(self.data.get("keys", {}))
        self.changed = False

    def add(self, t_ms: int | None, name: str | None, value: Any) -> None:
        self.changed = True
        self.data["count"] = int(self.data.get("count", 0)) + 1
        if t_ms is not None:
            self.data.setdefault("first_t_ms", t_ms)
            self.data["last_t_ms"] = t_ms
        readings: Mapping[str, Any] = value if isinstance(value, Mapping) else {name or "": value}
        for key, reading in readings.items():
            if isinstance(reading, (list, tuple)):
                for index, item in enumerate(reading):
                    self._number(f"{key}[{index}]", item)
            else:
                self._number(str(key), reading)

    def _number(self, key: str, value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return
        if not math.isfinite(value):
            return
        keys: dict[str, Any] = self.data["keys"]
        span = keys.get(key)
        if span is None:
            if len(keys) >= SUMMARY_KEYS_LIMIT:
                return
            keys[key] = {"min": value, "max": value}
        else:
            keys[key] = {"min": min(span["min"], value), "max": max(span["max"], value)}
