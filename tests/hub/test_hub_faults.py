"""Two hub processes on one PostgreSQL receiving the same completions at once: one award
per completion, whichever process answers."""

from __future__ import annotations

import json
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from tests.hub.conftest import HubProcess, completion, postgres_url
from wearkit.hub import db
from wearkit.hub.schema import awards

pytestmark = [pytest.mark.faults, pytest.mark.timeout(120)]


def post(url: str, token: str, key: str) -> tuple[int, str]:
    request = urllib.request.Request(
        url + "/api/v1/completions", data=json.dumps(completion(learner=f"L-{key[:8]}")).encode(),
        method="POST", headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key,
                                "Content-Type": "application/json"},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.status, json.loads(answer.read())["id"]


def test_two_hubs_on_one_postgresql_award_each_completion_once(
    hub_processes: list[HubProcess],
) -> None:
    url = postgres_url()
    engine = db.open_engine(url)
    token = db.add_host(engine, "lab")
    hubs = [HubProcess(url).start(), HubProcess(url).start()]
    hub_processes.extend(hubs)
    keys = [uuid.uuid4().hex for _ in range(40)]
    calls = [(hub.url, key) for key in keys for hub in hubs for _ in range(2)]  # 4 per key
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda call: (call[1], post(call[0], token, call[1])), calls))
    for key in keys:
        got = [answer for k, answer in answers if k == key]
        assert sorted(status for status, _ in got) == [200, 200, 200, 201]
        assert len({award for _, award in got}) == 1
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(awards)).scalar() == len(keys)
    engine.dispose()
