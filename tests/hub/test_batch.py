"""`POST /api/v1/completions:batch`: many completions in one request, each idempotent by
its own key, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient

from tests.hub.conftest import completion

BATCH = "/api/v1/completions:batch"


def _batch(client: FlaskClient, token: str, items: list[Any]) -> tuple[int, Any]:
    answer = client.post(BATCH, json={"completions": items},
                         headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    return answer.status_code, answer.get_json()


def _item(key: str, learner: str, **changes: Any) -> dict[str, Any]:
    return {"idempotency_key": key} | completion(learner=learner, **changes)


def test_a_batch_answers_each_completion_and_a_repeat_answers_the_same_awards(
    client: FlaskClient, host_token: str
) -> None:
    items = [_item(f"k{n}", f"L-{n}") for n in range(5)]
    items.append(_item("k2", "L-2"))  # the same key twice in one batch
    items.append(_item("k-other", "L-3"))  # a new key, but L-3 has this badge already
    items.append(_item("k-bad", "L-9", completed_at="yesterday"))
    status, body = _batch(client, host_token, items)
    assert status == 200
    results = body["results"]
    assert [r["status"] for r in results] == [201] * 5 + [200, 200, 422]
    assert [r["idempotency_key"] for r in results] == [i["idempotency_key"] for i in items]
    awards = [r["award"] for r in results[:5]]
    assert len({a["id"] for a in awards}) == 5 and all(a["claim_code"] for a in awards)
    assert results[5]["award"] == awards[2] and results[6]["award"] == awards[3]
    assert results[7]["field"] == "completed_at" and "yesterday" in results[7]["error"]
    # Sent again (the answer was lost): the same awards, none new.
    status, again = _batch(client, host_token, items[:5])
    assert [r["status"] for r in again["results"]] == [200] * 5
    assert [r["award"] for r in again["results"]] == awards
    # One at a time, the same key answers the same award.
    single = client.post("/api/v1/completions", json=completion(learner="L-0"),
                         headers={"Authorization": f"Bearer {host_token}",
                                  "Idempotency-Key": "k0"})  # fmt: skip
    assert (single.status_code, single.get_json()) == (200, awards[0])


def test_a_bad_batch_is_refused_naming_what_is_wrong(client: FlaskClient, host_token: str) -> None:
    assert _batch(client, "wkh_nope", [_item("k", "L-1")])[0] == 401
    for items in ([], [_item(f"k{n}", f"L-{n}") for n in range(501)]):
        status, body = _batch(client, host_token, items)
        assert status == 422 and body["field"] == "completions", body
    status, body = _batch(client, host_token, [completion(), "nonsense"])
    assert status == 200
    assert [(r["status"], r["field"]) for r in body["results"]] == [
        (422, "idempotency_key"), (422, "idempotency_key"),
    ]  # fmt: skip
