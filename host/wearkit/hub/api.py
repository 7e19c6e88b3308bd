"""The JSON API for classroom hosts and the programme: ``/api/v1``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, jsonify, request

from wearkit.hub import awards, db
from wearkit.hub.app import hub
from wearkit.hub.awards import Award, NewCompletion
from wearkit.hub.schema import KEY_LIMIT
from wearkit.runlog import learner_problem

bp = Blueprint("api", __name__, url_prefix="/api/v1")
EVIDENCE_LIMIT = 16 * 1024


class Invalid(Exception):
    """A request field is wrong: 422 naming it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _error(status: int, message: str, field: str | None = None) -> tuple[Response, int]:
    body: dict[str, Any] = {"error": message}
    if field is not None:
        body["field"] = field
    return jsonify(body), status


def _bearer() -> str:
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header[:7].lower() == "bearer " else ""


def award_json(award: Award) -> dict[str, Any]:
    """An award as the API answers it."""
    urls = hub().urls
    body: dict[str, Any] = {
        "id": award.id,
        "activity": award.activity,
        "learner": award.learner,
        "completed_at": award.completed_at.isoformat(),
        "claim_code": award.shown_code,
        "claim_url": urls.claim(award.shown_code),
        "claimed": award.claimed_at is not None,
        "revoked": award.revoked_at is not None,
        "badge_url": urls.badge_page(award.id),
    }
    if award.claimed_at is not None:
        body["assertion_url"] = urls.assertion(award.id)
        body["credential_url"] = urls.credential(award.id)
    return body


def _completion(data: Any) -> NewCompletion:
    if not isinstance(data, Mapping):
        raise Invalid("body", "expected a JSON object")
    activity = data.get("activity")
    if not isinstance(activity, str) or activity not in hub().activities:
        raise Invalid("activity", f"unknown activity {activity!r}")
    learner = data.get("learner")
    if learner is not None:
        problem = learner_problem(learner) if isinstance(learner, str) else "expected a string"
        if problem:
            raise Invalid("learner", problem)
    raw = data.get("completed_at")
    try:
        completed_at = datetime.fromisoformat(str(raw).replace("Z", "+00:00"))
    except ValueError:
        completed_at = None
    if not isinstance(raw, str) or completed_at is None or completed_at.tzinfo is None:
        raise Invalid("completed_at", f"expected an ISO 8601 time with its zone, got {raw!r}")
    board = data.get("board_name")
    if board is not None and (not isinstance(board, str) or len(board) > 64):
        raise Invalid("board_name", "expected a string of at most 64 characters")
    evidence = data.get("evidence", {})
    if not isinstance(evidence, Mapping) or len(json.dumps(evidence)) > EVIDENCE_LIMIT:
        raise Invalid("evidence", f"expected a JSON object of at most {EVIDENCE_LIMIT} bytes")
    return NewCompletion(activity, learner, completed_at, board, evidence)


@bp.post("/completions")
def post_completion() -> tuple[Response, int]:
    """Record a completion: 201 with its new award, 200 with the award it already has."""
    host_id = db.host_for_token(hub().engine, _bearer())
    if host_id is None:
        return _error(401, "give a host token: Authorization: Bearer <token from add-host>")
    key = request.headers.get("Idempotency-Key", "")
    if not 0 < len(key) <= KEY_LIMIT:
        return _error(422, f"give an Idempotency-Key of 1 to {KEY_LIMIT} characters",
                      "Idempotency-Key")  # fmt: skip
    try:
        done = _completion(request.get_json(silent=True))
    except Invalid as exc:
        return _error(422, f"{exc.field}: {exc}", exc.field)
    award, new = awards.receive(hub().engine, host_id, key, done)
    return jsonify(award_json(award)), 201 if new else 200


@bp.get("/awards/<award_id>")
def get_award(award_id: str) -> tuple[Response, int]:
    """An award, for its host (or the programme admin)."""
    token = _bearer()
    host_id = db.host_for_token(hub().engine, token)
    admin = host_id is None and db.is_admin_token(hub().engine, token)
    if host_id is None and not admin:
        return _error(401, "give the host token or the admin token")
    award = awards.find(hub().engine, award_id)
    if award is None or (not admin and award.host_id != host_id):
        return _error(404, f"no award {award_id!r}")
    return jsonify(award_json(award)), 200


@bp.post("/awards/<award_id>/revoke")
def revoke_award(award_id: str) -> tuple[Response, int]:
    """Withdraw an award (programme admin): its assertion then answers 410."""
    if not db.is_admin_token(hub().engine, _bearer()):
        return _error(401, "give the admin token (`wearkit hub admin-token`)")
    data = request.get_json(silent=True) or {}
    reason = data.get("reason") if isinstance(data, Mapping) else None
    if not isinstance(reason, str) or not reason.strip() or len(reason) > 500:
        return _error(422, "reason: say why, in 1 to 500 characters", "reason")
    award = awards.revoke(hub().engine, award_id, reason.strip())
    if award is None:
        return _error(404, f"no award {award_id!r}")
    return jsonify(award_json(award)), 200


@bp.get("/awards.csv")
def export_awards() -> Response | tuple[Response, int]:
    """Every award as CSV (programme admin)."""
    if not db.is_admin_token(hub().engine, _bearer()):
        return _error(401, "give the admin token (`wearkit hub admin-token`)")
    return Response(
        awards.export_csv(hub().engine),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=awards.csv"},
    )
