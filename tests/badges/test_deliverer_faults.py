"""Delivery from a classroom store to a real hub process through real faults: the hub down,
answering 500, too slow, killed mid-run; the deliverer SIGKILLed. Every completion ends at
the hub exactly once."""

from __future__ import annotations

import http.server
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.hub.conftest import HubProcess
from wearkit.badges.config import DeliveryConfig
from wearkit.badges.connectors import CONNECTORS
from wearkit.badges.deliverer import Backoff, Deliverer
from wearkit.badges.receipts import Receipts, receipts_path
from wearkit.hub import db
from wearkit.hub.schema import awards
from wearkit.runlog import Batch, CompletionRecord, RunStart
from wearkit.store import Store, open_store

pytestmark = [pytest.mark.faults, pytest.mark.timeout(180)]
SLUGS = ["step-counter", "night-light", "touch-glove"]


def fill(store: Store, count: int) -> list[str]:
    keys = []
    for n in range(count):
        start = RunStart("/dev/ttyACM0", "microbit-v2", f"b{n}", SLUGS[n % 3], "x", f"L-{n}")
        run_id = store.start_run(start)
        key = uuid.uuid4().hex
        record = CompletionRecord(SLUGS[n % 3], f"b{n}", f"L-{n}", datetime.now(timezone.utc), key,
                                  {"readings": {"n": n}})  # fmt: skip
        store.record(run_id, Batch(completion=record))
        store.finish_run(run_id, "complete")
        keys.append(key)
    return keys


def hub_keys(db_url: str) -> list[str]:
    engine = db.open_engine(db_url)
    try:
        with engine.connect() as conn:
            return [r[0] for r in conn.execute(select(awards.c.idempotency_key))]
    finally:
        engine.dispose()


class FaultyProxy:
    """Forwards to the hub, but answers 500 to some requests and stalls others past the
    client's timeout (after the hub has recorded them)."""

    def __init__(self, target: str, plan: list[str]) -> None:
        self.plan = plan  # "500", "slow" or "ok" per request, then "ok"
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                kind = proxy.plan.pop(0) if proxy.plan else "ok"
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if kind == "500":
                    self.send_response(500)
                    self.end_headers()
                    return
                request = urllib.request.Request(target + self.path, data=body, method="POST",
                                                 headers=dict(self.headers))  # fmt: skip
                with urllib.request.urlopen(request, timeout=10) as answer:
                    data, status = answer.read(), answer.status
                if kind == "slow":
                    time.sleep(1.5)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hub_db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'hub.db'}"


@pytest.fixture
def token(hub_db: str) -> str:
    engine = db.open_engine(hub_db)
    try:
        return db.add_host(engine, "lab")
    finally:
        engine.dispose()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'class.db'}") as opened:
        yield opened


def deliverer(store: Store, url: str, token: str, timeout: float = 1.0) -> Deliverer:
    config = DeliveryConfig("hub", {"url": url, "token": token}, timeout=timeout)
    connector = CONNECTORS["hub"](config.settings, config.timeout)
    return Deliverer(store, connector, Receipts(receipts_path(store)), Backoff(0.05, 0.3))


def drain(d: Deliverer, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while d.store.pending_outbox(1000, now=datetime(9999, 1, 1, tzinfo=timezone.utc)):
        assert time.monotonic() < deadline, "the outbox did not drain"
        d.deliver_due()
        time.sleep(0.05)


def test_hub_down_500_slow_and_killed_still_exactly_once(
    store: Store, hub_db: str, token: str
) -> None:
    keys = fill(store, 30)
    hub = HubProcess(hub_db)
    proxy = FaultyProxy(hub.url, ["500", "500", "slow", "ok", "500", "slow"])
    try:
        d = deliverer(store, proxy.url, token)
        first = d.deliver_due()  # the hub is not running yet
        assert first.delivered == 0 and first.failed == 1
        failing = store.pending_outbox(100, now=datetime(9999, 1, 1, tzinfo=timezone.utc))
        assert any("answered 500" in (i.last_error or "") for i in failing)
        hub.start()
        d.deliver_due()
        hub.kill()  # mid-run: whatever it had not answered is sent again
        d.deliver_due()
        hub.start()
        drain(d, 60)
    finally:
        hub.kill()
        proxy.close()
    got = hub_keys(hub_db)
    assert sorted(got) == sorted(keys)  # nothing lost, nothing doubled
    codes = [r.claim_code for r in Receipts(receipts_path(store)).all()]
    assert len(codes) == 30 and all(codes)


def test_a_deliverer_killed_at_any_moment_loses_and_doubles_nothing(
    tmp_path: Path, hub_db: str, token: str
) -> None:
    with open_store(f"sqlite:///{tmp_path / 'class.db'}") as store:
        keys = fill(store, 60)
    home = tmp_path / "home"
    home.mkdir()
    hub = HubProcess(hub_db).start()
    (home / "badges.toml").write_text(
        f'connector = "hub"\n[hub]\nurl = "{hub.url}"\ntoken = "{token}"\n'
        "[delivery]\nfirst_retry = 0.05\nmax_retry = 0.3\n"
    )
    env = os.environ | {"WEARKIT_HOME": str(home)}
    command = [sys.executable, "-m", "wearkit.cli", "badges", "deliver",
               "--store", f"sqlite:///{tmp_path / 'class.db'}"]  # fmt: skip
    try:
        for pause in (0.9, 1.1, 1.3):
            proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)  # fmt: skip
            time.sleep(pause)
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
        done = subprocess.run([*command, "--once"], env=env, capture_output=True, text=True,
                              timeout=120)  # fmt: skip
        assert done.returncode == 0, done.stderr
    finally:
        hub.kill()
    assert sorted(hub_keys(hub_db)) == sorted(keys)
    with open_store(f"sqlite:///{tmp_path / 'class.db'}") as store:
        assert store.pending_outbox(1000, now=datetime(9999, 1, 1, tzinfo=timezone.utc)) == []
