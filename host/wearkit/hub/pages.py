"""The pages learners and parents see: claiming a badge, and a badge's own page."""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from wearkit.errors import BadgeServiceError
from wearkit.hub import awards
from wearkit.hub.app import hub

bp = Blueprint("pages", __name__, template_folder="templates", static_folder="static",
               static_url_path="/static/hub")  # fmt: skip


def csrf_token() -> str:
    """This session's form token (every form posts it back)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return str(session["csrf"])


@bp.app_context_processor
def _inject() -> dict[str, object]:
    return {"csrf_token": csrf_token, "issuer_name": hub().issuer_name}


@bp.get("/")
def index() -> str:
    """What the hub is, and where to claim."""
    return render_template("index.html")


@bp.get("/claim/<code>")
def claim_form(code: str) -> str | Response:
    """The claim page: one email field."""
    award = awards.find_by_code(hub().engine, code)
    if award is None:
        return render_template("message.html", title="Unknown claim code",
                               message="Check the code on your card and try again."), 404  # type: ignore[return-value]  # fmt: skip
    if award.claimed_at is not None:
        return redirect(url_for("pages.badge_page", award_id=award.id))
    return render_template("claim.html", award=award, activity=hub().activities[award.activity])


@bp.post("/claim/<code>")
def claim(code: str) -> str | Response:
    """Issue the badge to the email given (kept only as a salted hash)."""
    sent = request.form.get("csrf_token", "")
    if not sent or not secrets.compare_digest(sent, session.get("csrf", "")):
        abort(400, "The form expired: reload the page and send it again.")
    award = awards.find_by_code(hub().engine, code)
    if award is None:
        abort(404)
    activity = hub().activities[award.activity]
    try:
        claimed = awards.claim(
            hub().engine, award, activity, request.form.get("email", ""), hub().urls,
            hub().issuer, hub().signing_key,
        )  # fmt: skip
    except BadgeServiceError as exc:
        page = render_template("claim.html", award=award, activity=activity, error=str(exc))
        return page, 422  # type: ignore[return-value]
    return redirect(url_for("pages.badge_page", award_id=claimed.id), code=303)


@bp.get("/badges/<award_id>")
def badge_page(award_id: str) -> str:
    """A learner's badge: see it, download it, share it, add it to LinkedIn."""
    award = awards.find(hub().engine, award_id)
    if award is None or award.claimed_at is None:
        abort(404)
    activity = hub().activities[award.activity]
    urls = hub().urls
    linkedin = "https://www.linkedin.com/profile/add?" + urlencode(
        {
            "startTask": "CERTIFICATION_NAME",
            "name": activity.badge.name,
            "organizationName": hub().issuer_name,
            "issueYear": award.claimed_at.year,
            "issueMonth": award.claimed_at.month,
            "certUrl": urls.badge_page(award.id),
            "certId": award.id,
        }
    )
    return render_template(
        "badge.html", award=award, activity=activity, urls=urls, linkedin=linkedin
    )
