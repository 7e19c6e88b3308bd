"""Badge throughput: completions delivered host -> hub (the real deliverer, in batches and
one at a time), and the hub's issue rate with 1 and 4 hub processes on one PostgreSQL
(clients posting one completion per request, and clients posting batches).

Everything runs on this machine: the clients, the hubs and PostgreSQL share its cores, so
the figures (and whether 4 processes beat 1) depend on them; the core count and the load
average are printed with the figures.

Usage: WEARKIT_TEST_POSTGRES=postgresql://wearkit:wearkit@127.0.0.1:5432/wearkit \
       .venv/bin/python bench/badges.py [--completions 3000]
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


def host_to_hub(hub_url_db: str, count: int, folder: Path, batch: int = 100) -> float:
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
                                  Backoff(0.05, 1), batch=batch)  # fmt: skip
            began = time.perf_counter()
            delivered = 0
            while delivered < count:
                delivered += deliverer.deliver_due().delivered
            return count / (time.perf_counter() - began)
    finally:
        hub.kill()


def issue_rate(base: str, processes: int, count: int, batch: int = 1, clients: int = 16) -> float:
    """Completions per second ``clients`` threads get awarded by ``processes`` hubs, each
    request carrying ``batch`` completions (1: ``POST /api/v1/completions``)."""
    url = pg_schema_url(base)
    engine = db.open_engine(url)
    token = db.add_host(engine, "bench-host")
    engine.dispose()
    hubs = [HubProcess(url).start() for _ in range(processes)]
    keys = [uuid.uuid4().hex for _ in range(count)]
    errors: list[str] = []
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}

    def item(key: str) -> dict[str, str]:
        return {"activity": "step-counter", "learner": f"L-{key[:12]}",
                "completed_at": "2026-05-04T10:30:00Z"}  # fmt: skip

    def client(index: int) -> None:
        hub = hubs[index % len(hubs)]
        conn = http.client.HTTPConnection("127.0.0.1", hub.port, timeout=60)
        mine = keys[index::clients]
        for start in range(0, len(mine), batch):
            chunk = mine[start : start + batch]
            if batch == 1:
                conn.request("POST", "/api/v1/completions", json.dumps(item(chunk[0])),
                             auth | {"Idempotency-Key": chunk[0]})  # fmt: skip
            else:
                body = {"completions": [{"idempotency_key": k} | item(k) for k in chunk]}
                conn.request("POST", "/api/v1/completions:batch", json.dumps(body), auth)
            answer = conn.getresponse()
            data = answer.read()
            if batch == 1 and answer.status != 201:
                errors.append(str(answer.status))
            elif batch > 1 and any(r["status"] != 201 for r in json.loads(data)["results"]):
                errors.append(data[:200].decode())
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
    parser.add_argument("--completions", type=int, default=3000)
    args = parser.parse_args()
    n = args.completions
    base = os.environ.get("WEARKIT_TEST_POSTGRES")
    print(f"{os.cpu_count()} cores on this machine, load average {os.getloadavg()[0]:.1f} "
          "before the run; clients, hubs and PostgreSQL all share them")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, batch in (("batches of 100", 100), ("one per request", 1)):
            (folder / name).mkdir()
            rate = host_to_hub(f"sqlite:///{folder / name / 'hub.db'}", n, folder / name, batch)
            print(f"host -> hub (SQLite hub, 1 process), {name}: {rate:.0f} completions/s")
        if base:
            (folder / "pg").mkdir()
            rate = host_to_hub(pg_schema_url(base), n, folder / "pg")
            print(f"host -> hub (PostgreSQL hub, 1 process), batches of 100: {rate:.0f} "
                  "completions/s")  # fmt: skip
    if not base:
        print("set WEARKIT_TEST_POSTGRES for the PostgreSQL figures")
        return
    for name, batch, clients in (("one per request, 16 clients", 1, 16),
                                 ("batches of 100, 4 clients", 100, 4)):  # fmt: skip
        one = issue_rate(base, 1, n, batch, clients)
        four = issue_rate(base, 4, n, batch, clients)
        print(f"hub issue rate on PostgreSQL, {name}: 1 process {one:.0f}/s, "
              f"4 processes {four:.0f}/s ({four / one:.1f}x)")  # fmt: skip
    print(f"load average after the run: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
