"""The API classroom hosts and the programme use, on SQLite and PostgreSQL."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.hub.conftest import claim, completion
from wearkit.hub import db


def _post(client: FlaskClient, token: str, key: str, body: object) -> tuple[int, dict]:  # type: ignore[type-arg]
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": key}
    answer = client.post("/api/v1/completions", json=body, headers=headers)
    return answer.status_code, answer.get_json()


def test_a_completion_gives_one_award_however_often_it_is_sent(
    client: FlaskClient, host_token: str
) -> None:
    status, first = _post(client, host_token, "key-1", completion())
    assert status == 201 and not first["claimed"]
    assert first["claim_url"] == f"http://hub.test/claim/{first['claim_code']}"
    again = [_post(client, host_token, "key-1", completion()) for _ in range(3)]
    assert again == [(200, first)] * 3
    # The same learner finishing again (a new key) still has one badge for the activity.
    assert _post(client, host_token, "key-2", completion()) == (200, first)


def test_a_bad_request_names_what_is_wrong(client: FlaskClient, host_token: str) -> None:
    assert _post(client, "wkh_nope", "k", completion())[0] == 401
    assert _post(client, host_token, "", completion()) == (
        422, {"error": "give an Idempotency-Key of 1 to 64 characters", "field": "Idempotency-Key"},
    )  # fmt: skip
    for field, value in [("activity", "moon-landing"), ("learner", "Jane Smith"),
                         ("completed_at", "yesterday"), ("evidence", [1])]:  # fmt: skip
        status, body = _post(client, host_token, "k", completion(**{field: value}))
        assert status == 422 and body["field"] == field, body


def test_an_award_is_claimed_then_answers_its_documents(
    client: FlaskClient, host_token: str
) -> None:
    _, award = _post(client, host_token, "key-1", completion())
    auth = {"Authorization": f"Bearer {host_token}"}
    assert client.get(f"/api/v1/awards/{award['id']}").status_code == 401
    assert client.get(f"/ob2/assertions/{award['id']}").status_code == 404  # not yet issued
    assert claim(client, award["claim_code"], "parent@example.org") == award["id"]
    now = client.get(f"/api/v1/awards/{award['id']}", headers=auth).get_json()
    assert now["claimed"] and now["assertion_url"].endswith(f"/ob2/assertions/{award['id']}")
    assert client.get(now["assertion_url"].removeprefix("http://hub.test")).status_code == 200
    page = client.get(f"/badges/{award['id']}").text
    assert "linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in page
    for link in (".png", ".svg"):
        assert f"/ob2/assertions/{award['id']}{link}" in page


def test_the_claim_form_refuses_a_post_without_its_token(
    client: FlaskClient, host_token: str
) -> None:
    _, award = _post(client, host_token, "key-1", completion())
    answer = client.post(f"/claim/{award['claim_code']}", data={"email": "a@example.org"})
    assert answer.status_code == 400
    auth = {"Authorization": f"Bearer {host_token}"}
    assert not client.get(f"/api/v1/awards/{award['id']}", headers=auth).get_json()["claimed"]


def test_revoked_answers_410_and_is_listed(
    app: Flask, client: FlaskClient, host_token: str
) -> None:
    _, award = _post(client, host_token, "key-1", completion())
    claim(client, award["claim_code"], "parent@example.org")
    admin = {"Authorization": f"Bearer {db.new_admin_token(app.extensions['wearkit_hub'].engine)}"}
    path = f"/api/v1/awards/{award['id']}/revoke"
    host = {"Authorization": f"Bearer {host_token}"}
    assert client.post(path, json={"reason": "x"}, headers=host).status_code == 401
    assert (
        client.post(path, json={"reason": "awarded by mistake"}, headers=admin).status_code == 200
    )
    gone = client.get(f"/ob2/assertions/{award['id']}")
    assert gone.status_code == 410 and gone.get_json()["revoked"] is True
    listed = client.get("/ob2/revocations").get_json()["revokedAssertions"]
    assert listed == [{"id": f"http://hub.test/ob2/assertions/{award['id']}",
                       "revocationReason": "awarded by mistake"}]  # fmt: skip
    csv = client.get("/api/v1/awards.csv", headers=admin).text
    assert award["id"] in csv and "awarded by mistake" in csv
