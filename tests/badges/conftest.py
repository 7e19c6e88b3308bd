"""Fixtures for the badge tests: a bundled activity, an award, and the npm verifier."""

from __future__ import annotations

import fcntl
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest

from wearkit.activities import load_catalogue
from wearkit.activities.model import Activity
from wearkit.badges.ob2 import IssuedAward, IssuerInfo
from wearkit.badges.recipient import hash_email
from wearkit.badges.urls import HubUrls

JS = Path(__file__).parent / "js"
EMAIL = "young.maker@example.org"


@pytest.fixture(scope="session")
def catalogue() -> list[Activity]:
    return load_catalogue()


@pytest.fixture(scope="session")
def step_counter(catalogue: list[Activity]) -> Activity:
    return next(a for a in catalogue if a.slug == "step-counter")


@pytest.fixture
def urls() -> HubUrls:
    return HubUrls("http://127.0.0.1:8750")


@pytest.fixture
def issuer() -> IssuerInfo:
    return IssuerInfo("Wearable Futures programme", "http://127.0.0.1:8750")


@pytest.fixture
def award(step_counter: Activity) -> IssuedAward:
    recipient = hash_email(EMAIL)
    moment = datetime(2026, 5, 4, 10, 30, tzinfo=timezone.utc)
    evidence = {
        "tasks": [{"id": "first-steps", "title": "Take your first 5 steps", "state": "done"}],
        "readings": {"steps": 23},
    }
    return IssuedAward("a1b2c3", step_counter, recipient.identity, recipient.salt, moment,
                       moment, evidence)  # fmt: skip


def install_js_verifier() -> Path:
    """tests/badges/js with its npm packages (npm ci from the lockfile, once)."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are not installed: the OB 3.0 cross-check needs them")
    with open(JS / "package.json") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one npm ci, however many test workers ask
        if not (JS / "node_modules" / "@digitalcredentials" / "vc").is_dir():
            _npm_ci()
    return JS / "verify.mjs"


def _npm_ci() -> None:
    done = subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund"], cwd=JS, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
