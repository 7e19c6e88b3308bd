"""Awards: a completion received from a classroom host becomes an unclaimed award with a
claim code; claiming it with an email issues the badge (OB 2.0 and OB 3.0)."""

from __future__ import annotations

import csv
import io
import json
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Row, select, update
from sqlalchemy.exc import DBAPIError

from wearkit.activities.model import Activity
from wearkit.badges import ob3
from wearkit.badges.ob2 import IssuedAward, IssuerInfo
from wearkit.badges.recipient import hash_email
from wearkit.badges.urls import HubUrls
from wearkit.errors import BadgeServiceError
from wearkit.hub.db import insert, now
from wearkit.hub.schema import awards

#: Claim codes avoid letters and digits a child could misread (0/O, 1/I/L, U/V).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTWXYZ23456789"
CODE_LENGTH = 10


@dataclass(frozen=True)
class Award:
    """One award as the hub keeps it."""

    id: str
    host_id: int
    idempotency_key: str
    activity: str
    learner: str | None
    board_name: str | None
    completed_at: datetime
    evidence: Mapping[str, Any]
    received_at: datetime
    claim_code: str
    claimed_at: datetime | None
    recipient_identity: str | None
    recipient_salt: str | None
    credential: str | None
    revoked_at: datetime | None
    revocation_reason: str | None

    @property
    def shown_code(self) -> str:
        """The claim code as printed: two groups of five."""
        return f"{self.claim_code[:5]}-{self.claim_code[5:]}"


@dataclass(frozen=True)
class NewCompletion:
    """A completion a host sent, already checked."""

    activity: str
    learner: str | None
    completed_at: datetime
    board_name: str | None
    evidence: Mapping[str, Any]


def normalise_code(code: str) -> str:
    """A claim code as typed (any case, with or without the dash) in its stored form."""
    return code.replace("-", "").replace(" ", "").upper()


def _new_code() -> str:
    number = secrets.randbelow(len(CODE_ALPHABET) ** CODE_LENGTH)  # one draw, not ten
    letters = []
    for _ in range(CODE_LENGTH):
        number, digit = divmod(number, len(CODE_ALPHABET))
        letters.append(CODE_ALPHABET[digit])
    return "".join(letters)


def _award(row: Row[Any] | None) -> Award | None:
    return None if row is None else Award(**row._mapping)


def receive(engine: Engine, host_id: int, key: str, done: NewCompletion) -> tuple[Award, bool]:
    """The award for completion ``key`` of host ``host_id``, and whether it is new."""
    return receive_many(engine, host_id, [(key, done)])[0]


def receive_many(
    engine: Engine, host_id: int, completions: Sequence[tuple[str, NewCompletion]]
) -> list[tuple[Award, bool]]:
    """The award for each ``(key, completion)`` of host ``host_id``, and whether it is new,
    all in one transaction (one commit for a whole batch from a classroom host)."""

    def work(conn: Connection) -> list[tuple[Award, bool]]:
        fresh = _insert_many(conn, host_id, completions)
        held = _held(conn, host_id, [key for key, _ in completions if key not in fresh])
        answers: list[tuple[Award, bool]] = []
        for key, done in completions:
            if key in fresh:  # new: the first time the key comes in this batch
                answers.append((fresh.pop(key), True))
                held[key] = answers[-1][0]
            elif key in held:
                answers.append((held[key], False))
            else:  # the learner has this badge, or (rarely) the claim code was taken
                answers.append(_receive(conn, host_id, key, done))
        return answers

    for attempt in range(3):
        try:
            with engine.begin() as conn:
                return work(conn)
        except DBAPIError as exc:
            # PostgreSQL aborts one of two transactions waiting on each other's keys.
            if getattr(exc.orig, "sqlstate", None) not in _TRY_AGAIN or attempt == 2:
                raise
    raise AssertionError("unreachable")


_TRY_AGAIN = frozenset({"40P01", "40001"})  # deadlock detected, serialization failure


def _insert_many(
    conn: Connection, host_id: int, completions: Sequence[tuple[str, NewCompletion]]
) -> dict[str, Award]:
    """Insert every completion in one statement, skipping any that conflicts with an award
    there (same key, same learner and activity, or claim code); the new awards by key."""
    if not completions:
        return {}
    moment = now()
    rows = [
        {
            "id": uuid.uuid4().hex,
            "host_id": host_id,
            "idempotency_key": key,
            "activity": done.activity,
            "learner": done.learner,
            "board_name": done.board_name,
            "completed_at": done.completed_at,
            "evidence": dict(done.evidence),
            "received_at": moment,
            "claim_code": _new_code(),
        }
        for key, done in completions
    ]
    # One compiled statement, sent as one multi-row INSERT (SQLAlchemy's insertmanyvalues).
    statement = insert(conn, awards).on_conflict_do_nothing().returning(*awards.c)
    return {row.idempotency_key: Award(**row._mapping) for row in conn.execute(statement, rows)}


def _held(conn: Connection, host_id: int, keys: Sequence[str]) -> dict[str, Award]:
    """The awards host ``host_id`` already has for ``keys``."""
    found: dict[str, Award] = {}
    for start in range(0, len(keys), 500):
        query = select(awards).where(
            awards.c.host_id == host_id, awards.c.idempotency_key.in_(keys[start : start + 500])
        )
        found |= {row.idempotency_key: Award(**row._mapping) for row in conn.execute(query)}
    return found


def _receive(conn: Connection, host_id: int, key: str, done: NewCompletion) -> tuple[Award, bool]:
    """The insert skips a conflict on any unique constraint; then the award that holds the
    key, or else the learner's award for that activity, is the answer."""
    for _ in range(5):  # a new claim code that clashes with another award's is drawn again
        inserted = conn.execute(
            insert(conn, awards)
            .values(
                id=uuid.uuid4().hex,
                host_id=host_id,
                idempotency_key=key,
                activity=done.activity,
                learner=done.learner,
                board_name=done.board_name,
                completed_at=done.completed_at,
                evidence=dict(done.evidence),
                received_at=now(),
                claim_code=_new_code(),
            )
            .on_conflict_do_nothing()
            .returning(*awards.c)
        ).first()
        if inserted is not None:
            return Award(**inserted._mapping), True
        same = awards.c.host_id == host_id
        found = conn.execute(select(awards).where(same, awards.c.idempotency_key == key)).first()
        if found is None and done.learner is not None:
            found = conn.execute(
                select(awards).where(
                    same, awards.c.learner == done.learner, awards.c.activity == done.activity
                )
            ).first()
        if found is not None:
            return Award(**found._mapping), False
    raise BadgeServiceError("could not draw a free claim code: try again")


def find(engine: Engine, award_id: str) -> Award | None:
    """The award ``award_id``; None if there is none."""
    with engine.connect() as conn:
        return _award(conn.execute(select(awards).where(awards.c.id == award_id)).first())


def find_by_code(engine: Engine, code: str) -> Award | None:
    """The award with claim code ``code``; None if there is none."""
    with engine.connect() as conn:
        query = select(awards).where(awards.c.claim_code == normalise_code(code))
        return _award(conn.execute(query).first())


def issued(award: Award, activity: Activity) -> IssuedAward:
    """What the badge documents say of a claimed ``award``."""
    assert award.claimed_at and award.recipient_identity and award.recipient_salt
    return IssuedAward(
        award.id, activity, award.recipient_identity, award.recipient_salt, award.claimed_at,
        award.completed_at, award.evidence,
    )  # fmt: skip


def claim(
    engine: Engine,
    award: Award,
    activity: Activity,
    email: str,
    urls: HubUrls,
    issuer: IssuerInfo,
    signing_key: str,
) -> Award:
    """Issue ``award`` to ``email`` (kept only as a salted hash), signing its OB 3.0
    credential; BadgeServiceError if it was claimed or revoked meanwhile."""
    if award.revoked_at is not None:
        raise BadgeServiceError("this badge was withdrawn by the programme")
    recipient = hash_email(email)
    moment = now()
    pending = IssuedAward(
        award.id, activity, recipient.identity, recipient.salt, moment, award.completed_at,
        award.evidence,
    )  # fmt: skip
    credential = ob3.dumps(ob3.credential(urls, issuer, pending, signing_key))
    with engine.begin() as conn:
        result = conn.execute(
            update(awards)
            .where(awards.c.id == award.id, awards.c.claimed_at.is_(None))
            .values(
                claimed_at=moment,
                recipient_identity=recipient.identity,
                recipient_salt=recipient.salt,
                credential=credential,
            )
        )
    if result.rowcount != 1:
        raise BadgeServiceError("this badge has already been claimed")
    claimed = find(engine, award.id)
    assert claimed is not None
    return claimed


def revoke(engine: Engine, award_id: str, reason: str) -> Award | None:
    """Withdraw award ``award_id`` (the first reason given stays); None if there is none."""
    with engine.begin() as conn:
        conn.execute(
            update(awards)
            .where(awards.c.id == award_id, awards.c.revoked_at.is_(None))
            .values(revoked_at=now(), revocation_reason=reason)
        )
    return find(engine, award_id)


def revoked(engine: Engine) -> list[tuple[str, str]]:
    """Every revoked award: ``(id, reason)``, for the revocation list."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(awards.c.id, awards.c.revocation_reason)
            .where(awards.c.revoked_at.is_not(None), awards.c.claimed_at.is_not(None))
            .order_by(awards.c.revoked_at)
        )
        return [(row.id, row.revocation_reason or "") for row in rows]


EXPORT_COLUMNS = (
    "id", "host_id", "activity", "learner", "board_name", "completed_at", "received_at",
    "claim_code", "claimed_at", "revoked_at", "revocation_reason",
)  # fmt: skip


def export_csv(engine: Engine) -> str:
    """Every award as CSV for the programme (no recipient hash: nothing about an email)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    with engine.connect() as conn:
        for row in conn.execute(select(awards).order_by(awards.c.received_at, awards.c.id)):
            values = row._mapping
            writer.writerow("" if values[c] is None else _cell(values[c]) for c in EXPORT_COLUMNS)
    return out.getvalue()


def _cell(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value) if not isinstance(value, dict) else json.dumps(value)
    # A spreadsheet must not run a cell as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
