"""Completions and the outbox of deliveries to the badge service.

A completion is written with its outbox row in the transaction that records the task that
earned it (see `wearkit.store.runs`). Both inserts skip a duplicate instead of failing: the
same idempotency key twice is one completion, and a learner's second completion of an
activity is history, not a second badge (the ``one_badge_per_learner`` unique index).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, select, update

from wearkit.errors import StoreError
from wearkit.runlog import CompletionRecord, learner_problem
from wearkit.store.engine import StoreBase, now, upsert
from wearkit.store.schema import KEY_LIMIT, completions, outbox


@dataclass(frozen=True)
class Completion:
    """A badge earned (a run earns one): one row per idempotency key."""

    id: int
    run_id: int | None  # None: kept aside before its run could be recorded
    activity_slug: str
    board_name: str
    learner: str | None
    completed_at: datetime
    idempotency_key: str
    evidence: dict[str, Any] = field(default_factory=dict)


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


def check_learner(learner: str | None) -> None:
    """Refuse a learner reference that is not an opaque code (`runlog.learner_problem`)."""
    problem = None if learner is None else learner_problem(learner)
    if problem is not None:
        raise StoreError(problem)


def check_completion(completion: CompletionRecord) -> None:
    """Refuse a completion the store could never write, before a transaction starts."""
    check_learner(completion.learner)
    key = completion.idempotency_key
    if not key or len(key) > KEY_LIMIT:
        raise StoreError(
            f"completion of {completion.activity_slug!r} has idempotency key {key[:16]!r}: "
            f"make it 1 to {KEY_LIMIT} characters (a uuid4 hex)"
        )
    if completion.completed_at.tzinfo is None:
        raise StoreError(
            f"completion {key!r} has a naive completed_at: give an aware datetime (UTC)"
        )


def write_completion(conn: Connection, run_id: int | None, completion: CompletionRecord) -> bool:
    """Insert ``completion`` and, unless its learner has this badge queued, its outbox row.

    Returns False if a completion with its key is already there: then nothing is written.
    """
    result = conn.execute(
        upsert(conn, completions)
        .values(
            run_id=run_id,
            activity_slug=completion.activity_slug,
            board_name=completion.board_name,
            learner=completion.learner,
            completed_at=completion.completed_at,
            idempotency_key=completion.idempotency_key,
            evidence=dict(completion.evidence),
        )
        .on_conflict_do_nothing()
    )
    if result.rowcount != 1 or result.inserted_primary_key is None:
        return False
    payload = {
        "idempotency_key": completion.idempotency_key,
        "activity": completion.activity_slug,
        "board_name": completion.board_name,
        "learner": completion.learner,
        "completed_at": completion.completed_at.isoformat(),
        "evidence": dict(completion.evidence),
    }
    conn.execute(
        upsert(conn, outbox)
        .values(
            completion_id=int(result.inserted_primary_key[0]),
            kind="completion",
            payload=payload,
            idempotency_key=completion.idempotency_key,
            attempts=0,
            next_attempt_at=now(),
            badge_activity=completion.activity_slug,
            badge_learner=completion.learner,
        )
        .on_conflict_do_nothing()
    )
    return True


class OutboxMixin(StoreBase):
    """Reading completions; taking outbox items and recording their delivery."""

    def completions(self, activity: str | None = None) -> list[Completion]:
        """Every completion, oldest first, optionally of one activity."""
        query = select(completions).order_by(completions.c.id)
        if activity is not None:
            query = query.where(completions.c.activity_slug == activity)
        with self._reading() as conn:
            return [_completion(row) for row in conn.execute(query)]

    def pending_outbox(self, limit: int = 100, now: datetime | None = None) -> list[OutboxItem]:
        """Undelivered outbox items due by ``now`` (default: now), the most overdue first."""
        due = now or _now()
        query = (
            select(outbox)
            .where(outbox.c.delivered_at.is_(None), outbox.c.next_attempt_at <= due)
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

    def outbox_delivered_many(self, item_ids: Sequence[int]) -> None:
        """Mark outbox items delivered in one transaction (one sync for a whole batch)."""
        with self._writing() as conn:
            for start in range(0, len(item_ids), 500):
                conn.execute(
                    update(outbox)
                    .where(outbox.c.id.in_(item_ids[start : start + 500]))
                    .where(outbox.c.delivered_at.is_(None))
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


_now = now  # the methods above take a parameter called ``now``


def _completion(row: Row[Any]) -> Completion:
    values = dict(row._mapping)
    values["evidence"] = values.get("evidence") or {}
    return Completion(**values)


def _outbox_item(row: Row[Any]) -> OutboxItem:
    return OutboxItem(**{name: row._mapping[name] for name in OutboxItem.__dataclass_fields__})
