"""What the completions page and ``GET /api/deliveries`` say about badge deliveries: the
same two sources as `wearkit badges list` (the store's undelivered outbox rows and the
deliverer's receipts), and whether a badge service is set up at all. No routes here."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from wearkit import paths
from wearkit.badges.config import config_path, load_config
from wearkit.badges.receipts import Receipts, receipts_path
from wearkit.errors import BadgeServiceError
from wearkit.store import Store

#: Every undelivered item, due or not (as `wearkit badges list` asks the store).
_ALL = datetime(9999, 1, 1, tzinfo=timezone.utc)


def _when(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite hands back naive datetimes: they are UTC
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.isoformat(timespec="seconds")


def deliveries(store: Store, nicknames: dict[str, str]) -> list[dict[str, Any]]:
    """Every delivery: failing first, then pending, both in the order they were queued,
    then delivered ones (with the claim code the service answered)."""
    delivered = []
    path = receipts_path(store)
    if path.is_file():  # a GET makes no file: none yet is nothing delivered yet
        receipts = Receipts(path)
        try:
            delivered = receipts.all()
        finally:
            receipts.close()
    waiting = sorted(store.pending_outbox(100_000, now=_ALL), key=lambda i: i.id)
    rows = []
    for item in waiting:
        learner = item.payload.get("learner")
        rows.append(
            {
                "key": item.idempotency_key,
                "activity": str(item.payload.get("activity")),
                "learner": learner,
                "nickname": nicknames.get(learner or ""),
                "state": "failing" if item.attempts > 0 else "pending",
                "attempts": item.attempts,
                "last_error": item.last_error,
                "next_attempt_at": _when(item.next_attempt_at),
                "delivered_at": None,
                "claim_code": None,
            }
        )
    rows.sort(key=lambda r: r["state"] != "failing")  # stable: queue order is kept
    for done in delivered:
        rows.append(
            {
                "key": done.idempotency_key,
                "activity": done.activity,
                "learner": done.learner,
                "nickname": nicknames.get(done.learner or ""),
                "state": "delivered",
                "attempts": None,  # the receipt keeps the answer, not the tries
                "last_error": None,
                "next_attempt_at": None,
                "delivered_at": done.delivered_at,
                "claim_code": done.claim_code,
            }
        )
    return rows


def service() -> dict[str, Any]:
    """Whether completions go anywhere: ``{"set_up", "config", "detail"}``, in words."""
    where = paths.shown(config_path())
    if not config_path().is_file():
        return {
            "set_up": False,
            "config": where,
            "detail": (
                "No badge service is set up, so completions wait here as pending. To deliver "
                f'them, write {where} with connector = "hub" and a [hub] table (url, and the '
                "token `wearkit hub add-host NAME` printed), then restart wearkit serve "
                "(see 'Badges' in the README)."
            ),
        }
    try:
        config = load_config()
    except BadgeServiceError as exc:
        return {"set_up": False, "config": where, "detail": f"{exc}; then restart wearkit serve."}
    url = config.settings.get("url", "")
    return {
        "set_up": True,
        "config": where,
        "detail": f"Delivering to the {config.connector} service at {url} (set in {where}).",
    }
