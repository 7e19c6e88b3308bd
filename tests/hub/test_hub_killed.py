"""The hub SIGKILLed while requests are in flight (a classroom host's deliverer and other
hosts posting batches), then started again: every completion is at the hub exactly once,
and every sender got the award the hub kept."""

from __future__ import annotations

import http.client
import json
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.badges.test_deliverer_faults import fill
from tests.hub.conftest import HubProcess
from wearkit.badges.config import DeliveryConfig
from wearkit.badges.deliverer import open_deliverer
from wearkit.hub import db
from wearkit.hub.schema import awards
from wearkit.store import open_store

pytestmark = [pytest.mark.faults, pytest.mark.timeout(150)]
ALL = datetime(9999, 1, 1, tzinfo=timezone.utc)


class Senders:
    """Threads posting batches of new completions, each retried (same keys) until the hub
    answers; counts the requests in flight and those a kill cut off."""

    def __init__(self, port: int, token: str, threads: int = 3) -> None:
        self.port, self.token = port, token
        self.in_flight = 0
        self.cut_off = 0
        self.answers: dict[str, str] = {}  # idempotency key -> award id answered
        self.keys: list[str] = []  # every key sent
        self.enough = threading.Event()  # set: finish the batch being sent, then stop
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._send) for _ in range(threads)]

    def _post(self, conn: http.client.HTTPConnection, keys: list[str]) -> dict[str, str]:
        items = [{"idempotency_key": k, "activity": "night-light", "learner": f"L-{k[:10]}",
                  "completed_at": "2026-05-04T10:30:00Z"} for k in keys]  # fmt: skip
        with self.lock:
            self.in_flight += 1
        try:
            conn.request("POST", "/api/v1/completions:batch", json.dumps({"completions": items}),
                         {"Authorization": f"Bearer {self.token}",
                          "Content-Type": "application/json"})  # fmt: skip
            answer = conn.getresponse()
            body = answer.read()
        finally:
            with self.lock:
                self.in_flight -= 1
        assert answer.status == 200, body[:300]
        results = json.loads(body)["results"]
        assert all(r["status"] in (200, 201) for r in results), results
        return {r["idempotency_key"]: r["award"]["id"] for r in results}

    def _send(self) -> None:
        deadline = time.monotonic() + 90
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        while not self.enough.is_set():
            keys = [uuid.uuid4().hex for _ in range(40)]
            with self.lock:
                self.keys += keys
            while True:
                assert time.monotonic() < deadline, "the hub never answered this batch"
                try:
                    got = self._post(conn, keys)
                    break
                except (OSError, http.client.HTTPException):
                    conn.close()  # cut off by the kill, or refused while the hub is down
                    with self.lock:
                        self.cut_off += 1
                    time.sleep(0.1)
            with self.lock:
                self.answers |= got
        conn.close()

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def join(self) -> None:
        self.enough.set()
        for thread in self.threads:
            thread.join(100)


def kill_mid_request(hub: HubProcess, senders: Senders) -> None:
    """SIGKILL the hub at a moment at least two requests are waiting on its answer."""
    deadline = time.monotonic() + 30
    while senders.in_flight < 2:
        assert time.monotonic() < deadline, "no request was ever in flight"
        time.sleep(0.002)
    hub.kill()


@pytest.fixture(params=["sqlite", "postgresql"])
def hub_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "postgresql":
        from tests.hub.conftest import postgres_url

        yield postgres_url()
    else:
        yield f"sqlite:///{tmp_path / 'hub.db'}"


def test_a_hub_killed_mid_request_and_restarted_keeps_each_completion_once(
    tmp_path: Path, hub_url: str
) -> None:
    engine = db.open_engine(hub_url)
    token, other = db.add_host(engine, "lab"), db.add_host(engine, "other-schools")
    with open_store(f"sqlite:///{tmp_path / 'class.db'}") as store:
        class_keys = fill(store, 300)
        hub = HubProcess(hub_url).start()
        senders = Senders(hub.port, other)
        stop = threading.Event()
        config = DeliveryConfig("hub", {"url": hub.url, "token": token}, timeout=10,
                                first_retry=0.05, max_retry=0.3, batch=5)  # fmt: skip
        deliverer = open_deliverer(store, config)
        delivering = threading.Thread(target=deliverer.run, args=(stop, 0.05))
        try:
            senders.start()
            delivering.start()
            for _ in range(2):
                time.sleep(0.3)
                kill_mid_request(hub, senders)
                time.sleep(0.5)  # down a while: requests are refused and retried
                hub.start()
            senders.join()
            deadline = time.monotonic() + 60
            while store.pending_outbox(1000, now=ALL):
                assert time.monotonic() < deadline, "the classroom's outbox did not drain"
                time.sleep(0.1)
        finally:
            stop.set()
            delivering.join(20)
            hub.kill()
    assert senders.cut_off >= 2  # the kills did cut requests off mid-flight
    with engine.connect() as conn:
        kept = {row.idempotency_key: row.id for row in conn.execute(select(awards))}
    engine.dispose()
    sent = senders.keys + class_keys
    assert sorted(kept) == sorted(sent)  # nothing lost, nothing doubled
    assert all(kept[key] == award for key, award in senders.answers.items())
