"""A learner's email is never kept or shown in clear: not in any table of the hub's
database (SQLite file and WAL bytes, every PostgreSQL row), nor in any document or page the
hub serves for the badge. Only its salted hash is."""

from __future__ import annotations

import gzip
import re
import zlib
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, text

from tests.hub.conftest import claim, completion
from wearkit.hub import db

EMAIL = "Young.Maker+badges@Example.org"


def _forms(email: str) -> list[bytes]:
    """The email as it could appear: as typed, percent-escaped, or just its local part (the
    comparison ignores case)."""
    escaped = email.replace("+", "%2B").replace("@", "%40")
    return [form.encode() for form in (email, escaped, email.split("@")[0])]


def _without_email(blob: bytes, where: str) -> None:
    lowered = blob.lower()
    for form in _forms(EMAIL):
        assert form.lower() not in lowered, f"{form!r} in clear in {where}"


def _inflated(png: bytes) -> bytes:
    """A PNG's bytes plus every compressed chunk inflated (iTXt may be compressed)."""
    found = png
    for match in re.finditer(rb"x\x9c", png):
        try:
            found += zlib.decompressobj().decompress(png[match.start() :])
        except zlib.error:
            continue
    return found


def _database_text(app: Flask) -> bytes:
    engine = app.extensions["wearkit_hub"].engine
    dump = b""
    with engine.connect() as conn:
        tables = inspect(conn).get_table_names()
        assert {"hub_awards", "hub_hosts", "hub_settings"} <= set(tables)
        for table in tables:
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):  # every column
                dump += repr(tuple(row)).encode() + b"\n"
    if engine.dialect.name == "sqlite":
        engine.dispose()  # and the file itself, WAL included, byte for byte
        path = Path(str(engine.url.database))
        for part in (path, path.with_name(path.name + "-wal")):
            if part.exists():
                dump += part.read_bytes()
    return dump


def test_the_email_a_badge_is_claimed_with_is_nowhere_in_clear(
    app: Flask, client: FlaskClient, host_token: str
) -> None:
    headers = {"Authorization": f"Bearer {host_token}", "Idempotency-Key": "k-1"}
    award = client.post("/api/v1/completions", json=completion(), headers=headers).get_json()
    award_id = claim(client, award["claim_code"], EMAIL)
    admin = db.new_admin_token(app.extensions["wearkit_hub"].engine)
    served = {
        "OB 2.0 assertion": f"/ob2/assertions/{award_id}",
        "baked OB 2.0 PNG": f"/ob2/assertions/{award_id}.png",
        "baked OB 2.0 SVG": f"/ob2/assertions/{award_id}.svg",
        "OB 3.0 credential": f"/ob3/credentials/{award_id}",
        "baked OB 3.0 PNG": f"/ob3/credentials/{award_id}.png",
        "badge page": f"/badges/{award_id}",
        "claim page once claimed": f"/claim/{award['claim_code']}",
        "award (API)": f"/api/v1/awards/{award_id}",
        "CSV export": "/api/v1/awards.csv",
        "revocation list": "/ob2/revocations",
    }
    hashed = client.get(served["OB 2.0 assertion"]).get_json()["recipient"]
    assert hashed["hashed"] is True and hashed["identity"].startswith("sha256$")
    for what, path in served.items():
        answer = client.get(path, headers={"Authorization": f"Bearer {admin}"},
                            follow_redirects=True)  # fmt: skip
        assert answer.status_code == 200, (what, answer.status_code)
        body = answer.data
        if answer.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        _without_email(_inflated(body) if path.endswith(".png") else body, what)
    _without_email(
        _database_text(app), f"the {app.extensions['wearkit_hub'].engine.dialect.name} database"
    )
