"""Badge throughput: completions delivered host -> hub, and the hub's issue rate with 1 and
4 hub processes on one PostgreSQL.

Usage: WEARKIT_TEST_POSTGRES=postgresql://wearkit:wearkit@127.0.0.1:5432/wearkit \
       .venv/bin/python bench/badges.py [--completions 2000]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.hub.conftest import HubProcess  # noqa: E402

from wearkit.badges.config import DeliveryConfig  # noqa: E402
from wearkit.badges.connectors import CONNECTORS  # noqa: E402
from wearkit.badges.deliverer import Backoff, Deliverer  # noqa: E402
from wearkit.badges.receipts import Receipts, receipts_path  # noqa: E402
from wearkit.hub import db  # noqa: E402
from wearkit.runlog import Batch, CompletionRecord, RunStart  # noqa: E402
from wearkit.store import open_store  # noqa: E402


def pg_schema_url(base: str) -> str:
    import psycopg

    schema = f"bench_{secrets.token_hex(4)}"
    with psycopg.connect(base, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return base.replace("postgresql://", "postgresql+psycopg://", 1) + (
        f"?options=-csearch_path%3D{schema}"
    )


def host_to_hub(hub_url_db: str, count: int, folder: Path) -> float:
    engine = db.open_engine(hub_url_db)
    token = db.add_host(engine, "bench-host")
    engine.dispose()
    hub = HubProcess(hub_url_db).start()
    try:
        with open_store(f"sqlite:///{folder / 'class.db'}") as store:
            start = RunStart("/dev/ttyACM0", "microbit-v2", "b", "step-counter", "x")
            run_id = store.start_run(start)
            for n in range(count):
                record = CompletionRecord("step-counter", "b", f"L-{n}",
                                          datetime.now(timezone.utc), uuid.uuid4().hex)  # fmt: skip
                store.record(run_id, Batch(completion=record))
            config = DeliveryConfig("hub", {"url": hub.url, "token": token}, timeout=10)
            connector = CONNECTORS["hub"](config.settings, config.timeout)
            deliverer = Deliverer(store, connector, Receipts(receipts_path(store)),
                                  Backoff(0.05, 1))  # fmt: skip
            began = time.perf_counter()
            delivered = 0
            while delivered < count:
                delivered += deliverer.deliver_due().delivered
            return count / (time.perf_counter() - began)
    finally:
        hub.kill()


def issue_rate(base: str, processes: int, count: int, clients: int = 16) -> float:
    url = pg_schema_url(base)
    engine = db.open_engine(url)
    token = db.add_host(engine, "bench-host")
    engine.dispose()
    hubs = [HubProcess(url).start() for _ in range(processes)]
    keys = [uuid.uuid4().hex for _ in range(count)]
    errors: list[str] = []

    def client(index: int) -> None:
        hub = hubs[index % len(hubs)]
        conn = http.client.HTTPConnection("127.0.0.1", hub.port, timeout=30)
        for key in keys[index::clients]:
            body = json.dumps({"activity": "step-counter", "learner": f"L-{key[:12]}",
                               "completed_at": "2026-05-04T10:30:00Z"})  # fmt: skip
            conn.request("POST", "/api/v1/completions", body, {
                "Authorization": f"Bearer {token}", "Idempotency-Key": key,
                "Content-Type": "application/json"})  # fmt: skip
            answer = conn.getresponse()
            answer.read()
            if answer.status != 201:
                errors.append(str(answer.status))
        conn.close()

    try:
        threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - began
    finally:
        for hub in hubs:
            hub.kill()
    assert not errors, errors[:5]
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--completions", type=int, default=2000)
    args = parser.parse_args()
    base = os.environ.get("WEARKIT_TEST_POSTGRES")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rate = host_to_hub(f"sqlite:///{folder / 'hub.db'}", args.completions, folder)
        print(f"host -> hub (SQLite hub, 1 process): {rate:.0f} completions/s delivered")
        if base:
            (folder / "pg").mkdir()
            rate = host_to_hub(pg_schema_url(base), args.completions, folder / "pg")
            print(f"host -> hub (PostgreSQL hub, 1 process): {rate:.0f} completions/s delivered")
    if not base:
        print("set WEARKIT_TEST_POSTGRES for the PostgreSQL figures")
        return
    one = issue_rate(base, 1, args.completions)
    four = issue_rate(base, 4, args.completions)
    print(f"hub issue rate on PostgreSQL, 1 process:  {one:.0f} completions/s")
    print(
        f"hub issue rate on PostgreSQL, 4 processes: {four:.0f} completions/s ({four / one:.1f}x)"
    )
    print(f"({os.cpu_count()} cores on this machine, shared by clients, hubs and PostgreSQL)")


if __name__ == "__main__":
    main()
