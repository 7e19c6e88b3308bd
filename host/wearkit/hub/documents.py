"""Open Badges documents at stable URLs: OB 2.0 hosted verification and OB 3.0 credentials,
plain and baked into images."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, abort

from wearkit.activities.model import Activity
from wearkit.badges import baking, images, ob2
from wearkit.hub import awards
from wearkit.hub.app import hub
from wearkit.hub.awards import Award

bp = Blueprint("documents", __name__)
LD_JSON = "application/ld+json"


def _json(document: Any, status: int = 200, mimetype: str = LD_JSON) -> Response:
    return Response(json.dumps(document, indent=1), status=status, mimetype=mimetype)


def _activity(slug: str) -> Activity:
    activity = hub().activities.get(slug)
    if activity is None:
        abort(404)
    return activity


def _claimed(award_id: str) -> tuple[Award, Activity]:
    award = awards.find(hub().engine, award_id)
    if award is None or award.claimed_at is None:
        abort(404)  # an unclaimed award is no badge yet: it has no recipient
    return award, _activity(award.activity)


def _gone(award: Award) -> Response:
    reason = award.revocation_reason or "revoked"
    return _json(ob2.revoked_assertion(hub().urls, award.id, reason), 410)


@bp.get("/ob2/issuer")
def issuer() -> Response:
    """The issuer profile."""
    return _json(ob2.issuer_document(hub().urls, hub().issuer))


@bp.get("/ob2/revocations")
def revocations() -> Response:
    """The issuer's revocation list."""
    return _json(ob2.revocation_list(hub().urls, awards.revoked(hub().engine)))


@bp.get("/ob2/badges/<slug>")
def badge_class(slug: str) -> Response:
    """An activity's badge class."""
    return _json(ob2.badge_class(hub().urls, _activity(slug)))


@bp.get("/ob2/badges/<slug>.png")
def badge_image(slug: str) -> Response:
    """An activity's badge image."""
    return Response(images.badge_png(_activity(slug)), mimetype="image/png")


@bp.get("/ob2/badges/<slug>.svg")
def badge_image_svg(slug: str) -> Response:
    """An activity's badge image, as SVG."""
    return Response(images.badge_image_svg(_activity(slug)), mimetype="image/svg+xml")


def _assertion(award: Award, activity: Activity) -> str:
    return json.dumps(ob2.assertion(hub().urls, awards.issued(award, activity)), indent=1)


@bp.get("/ob2/assertions/<award_id>")
def assertion(award_id: str) -> Response:
    """A hosted assertion; 410 once revoked."""
    award, activity = _claimed(award_id)
    if award.revoked_at is not None:
        return _gone(award)
    return Response(_assertion(award, activity), mimetype=LD_JSON)


@bp.get("/ob2/assertions/<award_id>.png")
def assertion_png(award_id: str) -> Response:
    """The badge image with its assertion baked in."""
    award, activity = _claimed(award_id)
    if award.revoked_at is not None:
        return _gone(award)
    png = baking.bake_png(images.badge_png(activity), _assertion(award, activity))
    return Response(png, mimetype="image/png")


@bp.get("/ob2/assertions/<award_id>.svg")
def assertion_svg(award_id: str) -> Response:
    """The badge SVG with its assertion baked in."""
    award, activity = _claimed(award_id)
    if award.revoked_at is not None:
        return _gone(award)
    svg = baking.bake_svg(images.badge_image_svg(activity), _assertion(award, activity))
    return Response(svg, mimetype="image/svg+xml")


@bp.get("/ob3/credentials/<award_id>")
def credential(award_id: str) -> Response:
    """The signed OB 3.0 credential (the same text every time); 410 once revoked."""
    award, _ = _claimed(award_id)
    if award.revoked_at is not None:
        return _gone(award)
    return Response(award.credential or "", mimetype="application/vc+ld+json")


@bp.get("/ob3/credentials/<award_id>.png")
def credential_png(award_id: str) -> Response:
    """The badge image with the OB 3.0 credential baked in."""
    award, activity = _claimed(award_id)
    if award.revoked_at is not None:
        return _gone(award)
    png = baking.bake_credential_png(images.badge_png(activity), award.credential or "")
    return Response(png, mimetype="image/png")
