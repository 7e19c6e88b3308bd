"""The JSON API for classroom hosts and the programme: ``/api/v1``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, jsonify, request

from wearkit.badges.config import BATCH_LIMIT
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


def _key(key: Any, field: str) -> str:
    if not isinstance(key, str) or not 0 < len(key) <= KEY_LIMIT:
        raise Invalid(field, f"give an {field} of 1 to {KEY_LIMIT} characters")
    return key


NO_HOST = "give a host token: Authorization: Bearer <token from add-host>"


@bp.post("/completions")
def post_completion() -> tuple[Response, int]:
    """Record a completion: 201 with its new award, 200 with the award it already has."""
    host_id = hub().tokens.host_for(_bearer())
    if host_id is None:
        return _error(401, NO_HOST)
    try:
        key = _key(request.headers.get("Idempotency-Key", ""), "Idempotency-Key")
    except Invalid as exc:
        return _error(422, str(exc), exc.field)
    try:
        done = _completion(request.get_json(silent=True))
    except Invalid as exc:
        return _error(422, f"{exc.field}: {exc}", exc.field)
    award, new = awards.receive(hub().engine, host_id, key, done)
    return jsonify(award_json(award)), 201 if new else 200


@bp.post("/completions:batch")
def post_completions() -> tuple[Response, int]:
    """Record up to BATCH_LIMIT completions in one transaction: ``{"completions": [{
    "idempotency_key", "activity", ...}]}``. 200 with ``{"results": [...]}``, one per
    completion in order: ``{"idempotency_key", "status": 201|200, "award"}``, or ``{"status":
    422, "error", "field"}`` for one that is wrong (the others are still recorded)."""
    host_id = hub().tokens.host_for(_bearer())
    if host_id is None:
        return _error(401, NO_HOST)
    data = request.get_json(silent=True)
    items = data.get("completions") if isinstance(data, Mapping) else None
    if not isinstance(items, list) or not 0 < len(items) <= BATCH_LIMIT:
        return _error(422, f"completions: give a list of 1 to {BATCH_LIMIT} completions",
                      "completions")  # fmt: skip
    results: list[dict[str, Any]] = []
    good: list[tuple[str, NewCompletion]] = []
    for item in items:
        key = item.get("idempotency_key") if isinstance(item, Mapping) else None
        try:
            good.append((_key(key, "idempotency_key"), _completion(item)))
            results.append({"idempotency_key": key})
        except Invalid as exc:
            results.append({"idempotency_key": key, "status": 422,
                            "error": f"{exc.field}: {exc}", "field": exc.field})  # fmt: skip
    answers = iter(awards.receive_many(hub().engine, host_id, good))
    for result in results:
        if "status" not in result:
            award, new = next(answers)
            result |= {"status": 201 if new else 200, "award": award_json(award)}
    return jsonify({"results": results}), 200


@bp.get("/awards/<award_id>")
def get_award(award_id: str) -> tuple[Response, int]:
    """An award, for its host (or the programme admin)."""
    token = _bearer()
    host_id = hub().tokens.host_for(token)
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
