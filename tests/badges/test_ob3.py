"""OB 3.0 credentials: signed by us, verified by an independent implementation offline."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.badges.conftest import install_js_verifier
from wearkit.badges import ob3
from wearkit.badges.ob2 import IssuedAward, IssuerInfo
from wearkit.badges.urls import HubUrls
from wearkit.errors import BadgeServiceError

pytestmark = pytest.mark.timeout(400)  # npm ci on a fresh checkout


def js_verify(document: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    """What npm's @digitalcredentials/vc says of ``document``, offline."""
    script = install_js_verifier()
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(document))
    done = subprocess.run(
        ["node", str(script), str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.fixture
def signed(urls: HubUrls, issuer: IssuerInfo, award: IssuedAward) -> dict[str, Any]:
    return ob3.credential(urls, issuer, award, ob3.new_signing_key())


def test_a_credential_verifies_with_digitalcredentials_vc(
    signed: dict[str, Any], tmp_path: Path
) -> None:
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert signed["proof"]["verificationMethod"].startswith("did:key:")
    assert js_verify(signed, tmp_path) == {"verified": True, "errors": []}


def test_a_tampered_credential_fails_both_verifiers(signed: dict[str, Any], tmp_path: Path) -> None:
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["achievement"]["name"] = "Rocket Scientist"
    assert js_verify(tampered, tmp_path)["verified"] is False
    with pytest.raises(BadgeServiceError, match="does not verify"):
        ob3.verify(tampered)


def test_the_recipient_is_a_salted_hash(signed: dict[str, Any], award: IssuedAward) -> None:
    (identifier,) = signed["credentialSubject"]["identifier"]
    assert identifier["hashed"] is True and identifier["identityHash"].startswith("sha256$")
    assert "example.org" not in json.dumps(signed)
    assert ob3.verify(signed) == signed["id"]
