"""Open Badges 3.0: an OpenBadgeCredential secured with a Data Integrity proof
(eddsa-rdfc-2022) whose verification method is a did:key, so any verifier checks it offline.

Signing and verifying are openbadgeslib's (its `[ldp]` extra: PyLD with the VC 2.0 and OB 3.0
contexts bundled, never fetched). The canonicalisation (RDFC-1.0) is the subtle part of
eddsa-rdfc-2022; a library that 1EdTech's conformance suite and npm's @digitalcredentials/vc
both agree with is worth more than a second implementation of it here.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from openbadgeslib.ob3.credential import (
    Achievement,
    Alignment,
    Evidence,
    IdentityObject,
    Issuer,
    OpenBadgeCredential,
)
from openbadgeslib.ob3.ldp import OB3LdpSigner, OB3LdpVerifier

from wearkit.badges.ob2 import IssuedAward, IssuerInfo, evidence_narrative
from wearkit.badges.urls import HubUrls
from wearkit.errors import BadgeServiceError


def new_signing_key() -> str:
    """A new Ed25519 private key, PEM (PKCS#8) text: the issuer's signing key."""
    key = Ed25519PrivateKey.generate()
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode("ascii")


def issuer_did(signing_key_pem: str) -> str:
    """The did:key of ``signing_key_pem``'s public half (the issuer's id in credentials)."""
    return _signer(signing_key_pem).verification_method.split("#", 1)[0]


def _signer(signing_key_pem: str) -> OB3LdpSigner:
    try:
        return OB3LdpSigner(signing_key_pem.encode("ascii"))
    except Exception as exc:  # the library raises its own tree; name the fix here
        raise BadgeServiceError(
            f"the issuer's signing key cannot sign OB 3.0 credentials ({exc}): "
            "give an Ed25519 private key in PEM"
        ) from exc


def credential(
    urls: HubUrls, issuer: IssuerInfo, award: IssuedAward, signing_key_pem: str
) -> dict[str, Any]:
    """The signed OpenBadgeCredential of ``award`` (a JSON-ready dict with its proof)."""
    signer = _signer(signing_key_pem)
    badge = award.activity.badge
    alignments = []
    if badge.alignment is not None:
        alignments.append(
            Alignment(
                target_name=badge.alignment.name,
                target_url=badge.alignment.url,
                target_framework=badge.alignment.framework,
                target_code=badge.alignment.code,
            )
        )
    description = badge.description
    if badge.designer:
        description = f"{description} Designed by {badge.designer}."
    achievement = Achievement(
        id=urls.badge_class(award.activity.slug),
        name=badge.name,
        description=description,
        criteria_narrative=badge.criteria,
        image_url=urls.badge_image(award.activity.slug),
        tags=list(badge.tags),
        alignments=alignments,
    )
    document = OpenBadgeCredential(
        issuer=Issuer(id=signer.verification_method.split("#", 1)[0], name=issuer.name),
        recipient_id=None,
        achievement=achievement,
        id=urls.credential(award.award_id),
        issuance_date=award.issued_on,
        evidence=[Evidence(narrative=evidence_narrative(award), name="What the learner did")],
        identifiers=[
            IdentityObject(
                identity_hash=award.recipient_identity,
                identity_type="emailAddress",
                hashed=True,
                salt=award.recipient_salt,
            )
        ],
    )
    try:
        return signer.sign(document, created=award.issued_on)
    except Exception as exc:
        raise BadgeServiceError(f"cannot sign the credential of {award.award_id}: {exc}") from exc


def dumps(document: dict[str, Any]) -> str:
    """``document`` as the one JSON text served, downloaded and baked."""
    return json.dumps(document, sort_keys=True, ensure_ascii=True)


def verify(document: str | dict[str, Any]) -> str:
    """Check ``document``'s proof offline; its credential id, or BadgeServiceError saying why
    it does not verify."""
    try:
        verified = OB3LdpVerifier().verify(document)
    except Exception as exc:
        raise BadgeServiceError(f"the credential does not verify: {exc}") from exc
    return str(verified.id)
