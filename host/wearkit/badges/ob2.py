"""Open Badges 2.0 hosted verification: the issuer, badge class, assertion and revocation
list documents (JSON-LD) the hub serves at the stable URLs of `wearkit.badges.urls`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from wearkit.activities.model import Activity
from wearkit.badges.urls import HubUrls

CONTEXT = "https://w3id.org/openbadges/v2"


@dataclass(frozen=True)
class IssuerInfo:
    """Who issues the badges: the programme."""

    name: str
    url: str  # the programme's public web site
    email: str | None = None
    description: str = ""


@dataclass(frozen=True)
class IssuedAward:
    """What an OB 2.0 assertion or OB 3.0 credential says about one claimed award."""

    award_id: str
    activity: Activity
    recipient_identity: str  # sha256$...
    recipient_salt: str
    issued_on: datetime
    completed_at: datetime
    evidence: Mapping[str, Any] = field(default_factory=dict)


def iso(moment: datetime) -> str:
    """``moment`` as an ISO 8601 UTC timestamp to the second, as the documents carry it."""
    return moment.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def issuer_document(urls: HubUrls, issuer: IssuerInfo) -> dict[str, Any]:
    """The issuer profile, naming its revocation list."""
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": urls.issuer,
        "name": issuer.name,
        "url": issuer.url,
        "revocationList": urls.revocations,
    }
    if issuer.email:
        doc["email"] = issuer.email
    if issuer.description:
        doc["description"] = issuer.description
    return doc


def badge_class(urls: HubUrls, activity: Activity) -> dict[str, Any]:
    """The badge class of ``activity``: name, description, image, criteria, tags, alignment."""
    badge = activity.badge
    doc: dict[str, Any] = {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": urls.badge_class(activity.slug),
        "name": badge.name,
        "description": badge.description,
        "image": urls.badge_image(activity.slug),
        "criteria": {"narrative": badge.criteria},
        "issuer": urls.issuer,
        "tags": list(badge.tags),
    }
    if badge.alignment is not None:
        doc["alignment"] = [
            {
                "targetName": badge.alignment.name,
                "targetUrl": badge.alignment.url,
                "targetFramework": badge.alignment.framework,
                "targetCode": badge.alignment.code,
            }
        ]
    if badge.designer:
        # OB 2.0 has no term for the partner who designed a badge (OB 3.0's is `creator`).
        doc["description"] = f"{badge.description} Designed by {badge.designer}."
    return doc


def evidence_narrative(award: IssuedAward) -> str:
    """What the learner did, in words: the tasks done and the key readings."""
    tasks = award.evidence.get("tasks")
    readings = award.evidence.get("readings")
    parts = [f"Completed {award.activity.title} on {iso(award.completed_at)[:10]}."]
    if isinstance(tasks, list) and tasks:
        titles = {t.id: t.title for t in award.activity.tasks}
        done = []
        for task in tasks:  # a run sends {"id", "title", "state", "detail"}; ids also do
            if isinstance(task, Mapping):
                if task.get("state", "done") == "done":
                    done.append(str(task.get("title") or titles.get(str(task.get("id")), "")))
            else:
                done.append(titles.get(str(task), str(task)))
        if any(done):
            parts.append("Tasks done: " + "; ".join(t for t in done if t) + ".")
    if isinstance(readings, Mapping) and readings:
        shown = ", ".join(f"{name} {value}" for name, value in sorted(readings.items()))
        parts.append(f"Key readings: {shown}.")
    return " ".join(parts)


def assertion(urls: HubUrls, award: IssuedAward) -> dict[str, Any]:
    """The hosted assertion of ``award``: recipient hashed with its salt, verification hosted."""
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": urls.assertion(award.award_id),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": award.recipient_salt,
            "identity": award.recipient_identity,
        },
        "badge": urls.badge_class(award.activity.slug),
        "issuedOn": iso(award.issued_on),
        "image": urls.assertion(award.award_id, ".png"),
        "verification": {"type": "hosted"},
        "evidence": [{"narrative": evidence_narrative(award)}],
    }


def revoked_assertion(urls: HubUrls, award_id: str, reason: str) -> dict[str, Any]:
    """What a revoked assertion's URL answers (with status 410)."""
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": urls.assertion(award_id),
        "revoked": True,
        "revocationReason": reason,
    }


def revocation_list(urls: HubUrls, revoked: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """The issuer's revocation list: each ``(award_id, reason)`` revoked."""
    return {
        "@context": CONTEXT,
        "type": "RevocationList",
        "id": urls.revocations,
        "issuer": urls.issuer,
        "revokedAssertions": [
            {"id": urls.assertion(award_id), "revocationReason": reason}
            for award_id, reason in revoked
        ],
    }
