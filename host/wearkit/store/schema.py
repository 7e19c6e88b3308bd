"""The store's tables, and the limits that keep a run's record bounded.

One badge per learner and activity and one completion per idempotency key are unique
indexes, so any number of writers (threads, host processes, hub workers on PostgreSQL) stay
exactly-once without a check in Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Literal, get_args

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)

from wearkit.errors import StoreError

#: 1: the first store. 2: runs know their learner and owning process; completions carry
#: their evidence, are unique by key alone and may have no run row; the outbox enforces
#: one badge per learner and activity.
SCHEMA_VERSION = 2

#: The console text kept per run (the end of it: that is where the traceback is).
CONSOLE_LIMIT = 16 * 1024
#: Sample frames kept per run; later ones only update the run's ``samples_summary``.
SAMPLE_LIMIT = 2000
#: Reading keys tracked in a run's ``samples_summary``.
SUMMARY_KEYS_LIMIT = 32
#: The longest learner reference accepted: an opaque code, never a name or an address.
LEARNER_LIMIT = 64
#: The longest idempotency key accepted (the run makes it; a uuid4 hex is 32).
KEY_LIMIT = 64

Outcome = Literal["running", "complete", "incomplete", "error", "interrupted"]
TaskState = Literal["pending", "done", "failed"]
OUTCOMES: tuple[str, ...] = get_args(Outcome)
TASK_STATES: tuple[str, ...] = get_args(TaskState)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on every backend."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Store ``value`` as naive UTC; a naive one is refused (its zone is unknown)."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise StoreError(f"naive datetime {value!r} given to the store: pass an aware one")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Give back an aware UTC datetime."""
        return None if value is None else value.replace(tzinfo=timezone.utc)


def _one_of(column: str, values: Sequence[str]) -> CheckConstraint:
    listed = ", ".join(f"'{v}'" for v in values)
    return CheckConstraint(f"{column} IN ({listed})", name=f"{column}_known")


metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", UtcDateTime, nullable=False),
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
    Column("started_at", UtcDateTime, nullable=False),
    Column("ended_at", UtcDateTime),
    Column("outcome", String(16), nullable=False),
    Column("error", Text),
    Column("console", Text, nullable=False),
    Column("frames", Integer, nullable=False),
    Column("corrupted", Integer, nullable=False),
    Column("lost", Integer, nullable=False),
    Column("samples_kept", Integer, nullable=False),
    Column("samples_summary", JSON),
    # Version 2:
    Column("learner", String(LEARNER_LIMIT)),
    # The process that owns a running run: a later open closes it only once that is gone.
    Column("host", String(255)),
    Column("pid", Integer),
    Column("pid_started", BigInteger),  # /proc/<pid>/stat start time, against pid reuse
    Index("runs_open", "outcome", "host"),
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
    Column("completed_at", UtcDateTime),
    Column("signed_off_by", String(100)),
    Column("updated_at", UtcDateTime, nullable=False),
    _one_of("state", TASK_STATES),
)

completions = Table(
    "completions",
    metadata,
    Column("id", Integer, primary_key=True),
    # Nullable since version 2: a completion kept aside before its run could be recorded
    # is still a badge earned. Not unique: the idempotency key is what makes one completion.
    Column("run_id", ForeignKey("runs.id"), index=True),
    Column("activity_slug", String(100), nullable=False, index=True),
    Column("board_name", String(64), nullable=False),
    Column("learner", String(LEARNER_LIMIT)),
    Column("completed_at", UtcDateTime, nullable=False),
    Column("idempotency_key", String(KEY_LIMIT), nullable=False, unique=True),
    Column("evidence", JSON),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("completion_id", ForeignKey("completions.id"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("idempotency_key", String(KEY_LIMIT), nullable=False, unique=True),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("delivered_at", UtcDateTime),
    Column("last_error", Text),
    # The badge this delivery awards. NULLs are distinct in a unique index on SQLite and
    # PostgreSQL alike, so completions without a learner each get their own delivery.
    Column("badge_activity", String(100)),
    Column("badge_learner", String(LEARNER_LIMIT)),
    Index("outbox_pending", "delivered_at", "next_attempt_at"),
    Index("one_badge_per_learner", "badge_activity", "badge_learner", unique=True),
)
