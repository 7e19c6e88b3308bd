"""Where each completion's badge stands with the badge service: what `wearkit badges list`
and the web app's completions page show. Two sources: the store's undelivered outbox rows
(pending, or failing with the reason and the next try) and the deliverer's receipts
(delivered, with the claim code the service answered)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from wearkit.badges.receipts import Receipts, receipts_path
from wearkit.store import Store

#: Every undelivered item, due or not.
_ALL = datetime(9999, 1, 1, tzinfo=timezone.utc)


def _when(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite hands back naive datetimes: they are UTC
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat(timespec="seconds")


def deliveries(store: Store) -> list[dict[str, Any]]:
    """Every delivery: failing first, then pending, both in the order they were queued,
    then delivered ones. Each is ``{key, activity, learner, state (pending | failing |
    delivered), attempts, last_error, next_attempt_at, delivered_at, claim_code,
    claim_url}``."""
    delivered = []
    path = receipts_path(store)
    if path.is_file():  # reading makes no file: none yet is nothing delivered yet
        receipts = Receipts(path)
        try:
            delivered = receipts.all()
        finally:
            receipts.close()
    waiting = sorted(store.pending_outbox(100_000, now=_ALL), key=lambda i: i.id)
    rows = []
    for item in waiting:
        rows.append(
            {
                "key": item.idempotency_key,
                "activity": str(item.payload.get("activity")),
                "learner": item.payload.get("learner"),
                "state": "failing" if item.attempts > 0 else "pending",
                "attempts": item.attempts,
                "last_error": item.last_error,
                "next_attempt_at": _when(item.next_attempt_at),
                "delivered_at": None,
                "claim_code": None,
                "claim_url": None,
            }
        )
    rows.sort(key=lambda r: r["state"] != "failing")  # stable: queue order is kept
    for done in delivered:
        rows.append(
            {
                "key": done.idempotency_key,
                "activity": done.activity,
                "learner": done.learner,
                "state": "delivered",
                "attempts": None,  # the receipt keeps the answer, not the tries
                "last_error": None,
                "next_attempt_at": None,
                "delivered_at": done.delivered_at,
                "claim_code": done.claim_code,
                "claim_url": done.claim_url or done.remote_id,
            }
        )
    return rows
