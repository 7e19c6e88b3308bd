"""What the completions page and ``GET /api/deliveries`` say about badge deliveries: the
same two sources as `wearkit badges list` (the store's undelivered outbox rows and the
deliverer's receipts), and whether a badge service is set up at all. No routes here."""

from __future__ import annotations

from typing import Any

from wearkit import paths
from wearkit.badges import status
from wearkit.badges.config import config_path, load_config
from wearkit.errors import BadgeServiceError
from wearkit.store import Store


def deliveries(store: Store, nicknames: dict[str, str]) -> list[dict[str, Any]]:
    """Every delivery (`wearkit.badges.status.deliveries`) with the learner's nickname."""
    rows = status.deliveries(store)
    for row in rows:
        row["nickname"] = nicknames.get(row["learner"] or "")
        del row["claim_url"]
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
