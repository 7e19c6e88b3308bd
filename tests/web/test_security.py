"""Who may do what: LAN sign-in, student isolation, CSRF, cookies and headers."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import PASSCODE, csrf, free_board, post
from wearkit.classroom.engine import Engine
from wearkit.errors import WearkitError
from wearkit.web import create_app

TEMPLATES = Path(__file__).parents[2] / "host" / "wearkit" / "web" / "templates"


def sign_in(client: FlaskClient, passcode: str = PASSCODE) -> int:
    page = client.get("/signin").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    return client.post(
        "/signin", data={"passcode": passcode, "csrf_token": token.group(1)}
    ).status_code


def join(client: FlaskClient, code: str, nickname: str) -> int:
    token = csrf(client)["X-CSRF-Token"]
    return client.post(
        "/join", data={"code": code, "nickname": nickname, "csrf_token": token}
    ).status_code


def test_lan_mode_refuses_to_start_without_a_passcode(engine: Engine, app: Flask) -> None:
    store = app.extensions["wearkit"].store
    with pytest.raises(WearkitError, match="passcode"):
        create_app(engine, store, lan=True)
    with pytest.raises(WearkitError, match="at least 6"):
        create_app(engine, store, lan=True, passcode="abc")


def test_lan_facilitator_pages_need_the_passcode(make_app: Callable[..., Flask]) -> None:
    client = make_app(lan=True).test_client()
    page = client.get("/")
    assert page.status_code == 302 and "/signin" in page.headers["Location"]
    api = client.get("/api/boards")
    assert api.status_code == 401 and api.get_json()["field"] == "passcode"
    assert post(client, "/api/runs", {"board": "X", "activity": "night-light"}).status_code == 401

    assert sign_in(client, "not-the-passcode") == 401
    assert client.get("/api/boards").status_code == 401
    assert sign_in(client) == 302
    assert client.get("/api/boards").status_code == 200
    assert client.get("/").status_code == 200


def test_wrong_passcodes_in_a_row_make_an_address_wait(make_app: Callable[..., Flask]) -> None:
    client = make_app(lan=True).test_client()
    for _ in range(5):
        assert sign_in(client, "guess-guess") == 401
    assert sign_in(client) == 429  # even the right one, for a while


def test_a_student_sees_and_touches_only_their_own_board(
    make_app: Callable[..., Flask], engine: Engine
) -> None:
    app = make_app(lan=True)
    teacher = app.test_client()
    sign_in(teacher)
    mine = free_board(engine, "cpx")
    other = free_board(engine, "microbit-v2")
    roster = post(teacher, "/api/roster", {"nickname": "RedFox", "board": mine}).get_json()
    code = roster["code"]

    student = app.test_client()
    assert join(student, "WRONG1", "RedFox") == 401
    assert join(student, code.lower(), "Nobody") == 404
    assert join(student, code.lower(), "RedFox") == 302

    page = student.get("/me").get_data(as_text=True)
    assert "Hello RedFox" in page and mine in page and other not in page
    assert [b["name"] for b in student.get("/api/boards").get_json()["boards"]] == [mine]
    assert student.get(f"/api/boards/{other}").status_code == 403
    assert student.get(f"/api/events?board={other}", buffered=False).status_code == 200
    events = student.get(f"/api/events?board={other}", buffered=False)
    chunks = iter(events.response)
    next(chunks)
    snapshot = next(chunks).decode()
    events.close()
    assert mine in snapshot and other not in snapshot  # forced to their own board

    for url in ("/", f"/boards/{mine}", "/session", "/completions", "/activities"):
        assert student.get(url).status_code == 403, url
    for url in ("/api/roster", "/api/completions", "/api/runs"):
        assert student.get(url).status_code == 403, url
    refused = post(student, "/api/runs", {"board": mine, "activity": "night-light"})
    assert refused.status_code == 403 and refused.get_json()["field"] == "role"
    assert post(student, "/api/roster", {"nickname": "Sneaky"}).status_code == 403
    assert post(student, f"/api/sim/{other}/sensors", {"light": 3}).status_code == 403
    assert post(student, f"/api/sim/{mine}/unplug").status_code == 403
    assert post(student, f"/api/sim/{mine}/sensors", {"light": 90}).status_code == 200
    post(student, f"/api/sim/{mine}/sensors", {"light": None})

    post(teacher, "/api/roster", {"new_code": True})  # a new code: joined again or nothing
    assert student.get("/me").status_code == 302
    assert student.get("/api/boards").status_code == 401


def test_state_changing_requests_need_the_csrf_token(client: FlaskClient, engine: Engine) -> None:
    name = free_board(engine, "cpx")
    for url, body in [
        ("/api/runs", {"board": name, "activity": "night-light"}),
        ("/api/roster", {"nickname": "RedFox"}),
        (f"/api/sim/{name}/sensors", {"light": 3}),
    ]:
        for headers in ({}, {"X-CSRF-Token": "forged"}):
            answer = client.post(url, json=body, headers=headers)
            assert answer.status_code == 403, (url, headers)
            assert answer.get_json()["field"] == "csrf_token"
    assert client.post("/join", data={"code": "X"}).status_code == 403
    assert client.get("/api/roster").get_json()["students"] == []  # nothing changed


def test_session_cookies_are_http_only_strict_and_secure_over_https(app: Flask) -> None:
    plain = app.test_client().get("/join").headers["Set-Cookie"]
    assert "HttpOnly" in plain and "SameSite=Strict" in plain and "Secure" not in plain
    over_https = app.test_client().get("/join", base_url="https://localhost")
    secure = over_https.headers["Set-Cookie"]
    assert "Secure" in secure


def test_pages_forbid_inline_scripts_and_framing(client: FlaskClient) -> None:
    headers = client.get("/").headers
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and headers["X-Content-Type-Options"] == "nosniff"
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template.name
        assert not re.search(r"\son[a-z]+=", text), template.name  # no inline handlers


def test_instructions_are_rendered_without_raw_html() -> None:
    from wearkit.web.views import _MARKDOWN

    html = _MARKDOWN.render("# Hi\n<script>alert(1)</script>\n[x](javascript:alert(1))")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html
