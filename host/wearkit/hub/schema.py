"""The hub's tables. Exactly-once is in the database, never a check in Python: one award per
host and idempotency key, one badge per host, learner and activity, one award per claim
code; any number of hub processes on one PostgreSQL stay exactly-once."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)

KEY_LIMIT = 64
LEARNER_LIMIT = 64


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on SQLite and PostgreSQL alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Store as naive UTC."""
        if value is None:
            return None
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Give back an aware UTC datetime."""
        return None if value is None else value.replace(tzinfo=timezone.utc)


metadata = MetaData()

settings = Table(
    "hub_settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

hosts = Table(
    "hub_hosts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
)

awards = Table(
    "hub_awards",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("host_id", ForeignKey("hub_hosts.id"), nullable=False),
    Column("idempotency_key", String(KEY_LIMIT), nullable=False),
    Column("activity", String(100), nullable=False),
    Column("learner", String(LEARNER_LIMIT)),
    Column("board_name", String(64)),
    Column("completed_at", UtcDateTime, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("claim_code", String(16), nullable=False, unique=True),
    # Set when claimed: the email is hashed with the salt, never kept in clear.
    Column("claimed_at", UtcDateTime),
    Column("recipient_identity", String(80)),
    Column("recipient_salt", String(64)),
    Column("credential", Text),  # the signed OB 3.0 credential, as served
    Column("revoked_at", UtcDateTime),
    Column("revocation_reason", Text),
    UniqueConstraint("host_id", "idempotency_key", name="one_award_per_key"),
    # NULL learners are distinct: completions without a learner each get their award.
    UniqueConstraint("host_id", "learner", "activity", name="one_badge_per_learner"),
)
