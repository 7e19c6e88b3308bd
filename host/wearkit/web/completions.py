"""Completions: every badge earned, as a table and as CSV, and their badge deliveries."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request

from wearkit.web import deliveries as outbox
from wearkit.web.errors import ApiError
from wearkit.web.security import facilitator_only
from wearkit.web.state import classroom
from wearkit.web.views import completion_json, completions_csv

bp = Blueprint("completions", __name__)


def _rows() -> list[dict[str, Any]]:
    room = classroom()
    slug = request.args.get("activity") or None
    if slug is not None and room.activity(slug) is None:
        raise ApiError(f"no activity {slug!r}", field="activity", status=404)
    nicknames = room.roster.nicknames()
    found = room.store.completions(slug)
    rows = [completion_json(c, nicknames) for c in found]
    rows.sort(key=lambda r: r["completed_at"], reverse=True)
    return rows


@bp.get("/completions")
@facilitator_only
def page() -> Any:
    """The completions table, newest first."""
    room = classroom()
    rows = _rows()
    for row in rows:
        activity = room.activity(row["activity"])
        row["title"] = activity.title if activity else row["activity"]
        row["badge"] = activity.badge.name if activity else ""
    titles = {slug: a.title for slug, a in room.engine.activities.items()}
    sent = outbox.deliveries(room.store, room.roster.nicknames())
    for row in sent:
        row["title"] = titles.get(row["activity"], row["activity"])
    return render_template("completions.html", rows=rows, deliveries=sent, service=outbox.service())


@bp.get("/api/deliveries")
@facilitator_only
def deliveries() -> Any:
    """Badge deliveries, failing, pending and delivered, with the reason and next try;
    ``service`` says whether a badge service is set up (and where to set one up)."""
    room = classroom()
    return jsonify(
        {
            "deliveries": outbox.deliveries(room.store, room.roster.nicknames()),
            "service": outbox.service(),
        }
    )


@bp.get("/api/completions")
@facilitator_only
def completions() -> Any:
    """``{"completions": [...]}``, or CSV with ``?format=csv``; ``?activity=SLUG`` filters."""
    wanted = request.args.get("format", "json")
    if wanted not in ("json", "csv"):
        raise ApiError(f"format is json or csv, not {wanted!r}", field="format")
    rows = _rows()
    if wanted == "json":
        return jsonify({"completions": rows})
    return Response(
        completions_csv(classroom(), rows),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="wearkit-completions.csv"'},
    )
