"""Badge deliveries on the completions page and GET /api/deliveries, from the real store and
the deliverer's own functions."""

from __future__ import annotations

import socket
import uuid
from datetime import datetime, timezone

from flask.testing import FlaskClient

from tests.web.conftest import post
from wearkit.badges.config import DeliveryConfig, config_path
from wearkit.badges.connectors import Receipt
from wearkit.badges.deliverer import open_deliverer
from wearkit.badges.receipts import Receipts, receipts_path
from wearkit.runlog import Batch, CompletionRecord, RunStart
from wearkit.store import Store


def earn(store: Store, learner: str, activity: str = "night-light") -> str:
    """A completion in the store, as a run writes it; its key."""
    run_id = store.start_run(RunStart("sim", "cpx", "BOARD", activity, "x", learner))
    key = uuid.uuid4().hex
    record = CompletionRecord(activity, "BOARD", learner, datetime.now(timezone.utc), key)
    store.record(run_id, Batch(completion=record))
    store.finish_run(run_id, "complete")
    return key


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the block ends


def test_deliveries_show_pending_then_failing_with_the_reason_then_delivered(
    client: FlaskClient, store: Store
) -> None:
    assert not config_path().exists()
    added = post(client, "/api/roster", {"nickname": "Ada L"}).get_json()
    learner = next(s["learner"] for s in added["students"] if s["nickname"] == "Ada L")
    key = earn(store, learner)

    listed = client.get("/api/deliveries").get_json()
    assert listed["service"]["set_up"] is False
    assert "badges.toml" in listed["service"]["detail"]
    row = next(d for d in listed["deliveries"] if d["key"] == key)
    assert row["state"] == "pending" and row["activity"] == "night-light"
    assert row["learner"] == learner and row["nickname"] == "Ada L"
    assert row["attempts"] == 0 and row["last_error"] is None and row["delivered_at"] is None
    page = client.get("/completions").get_data(as_text=True)
    assert "Badge deliveries" in page and "No badge service is set up" in page
    assert "badges.toml" in page and "pending" in page

    # The deliverer tries a badge service that is not there (a closed port).
    url = f"http://127.0.0.1:{closed_port()}"
    config = DeliveryConfig("hub", {"url": url, "token": "wkh_test"}, timeout=1, first_retry=60)
    with open_deliverer(store, config) as deliverer:
        assert deliverer.deliver_due().failed >= 1
    row = next(d for d in client.get("/api/deliveries").get_json()["deliveries"] if d["key"] == key)
    assert row["state"] == "failing" and row["attempts"] == 1
    assert row["last_error"] and row["next_attempt_at"] > datetime.now(timezone.utc).isoformat()
    page = client.get("/completions").get_data(as_text=True)
    assert "failing" in page and row["last_error"].split(":")[0] in page

    # The service answers at last: the delivery shows its claim code.
    item = next(i for i in store.pending_outbox(10, now=datetime(9999, 1, 1, tzinfo=timezone.utc)))
    receipts = Receipts(receipts_path(store))
    receipts.record(item, "hub", Receipt("award-1", claim_code="ZX81-42"))
    receipts.close()
    store.outbox_delivered(item.id)
    rows = client.get("/api/deliveries").get_json()["deliveries"]
    done = next(d for d in rows if d["key"] == key)
    assert done["state"] == "delivered" and done["claim_code"] == "ZX81-42"
    assert done["delivered_at"] and done["nickname"] == "Ada L"
    assert "ZX81-42" in client.get("/completions").get_data(as_text=True)


def test_a_badges_toml_with_a_mistake_is_named_on_the_page(client: FlaskClient) -> None:
    path = config_path()
    path.write_text('connector = "carrier-pigeon"\n', encoding="utf-8")
    try:
        service = client.get("/api/deliveries").get_json()["service"]
        assert service["set_up"] is False and "connector" in service["detail"]
        path.write_text('connector = "hub"\n[hub]\nurl = "https://badges.example.org"\n'
                        'token = "wkh_x"\n', encoding="utf-8")  # fmt: skip
        service = client.get("/api/deliveries").get_json()["service"]
        assert service["set_up"] is True and "https://badges.example.org" in service["detail"]
        assert "https://badges.example.org" in client.get("/completions").get_data(as_text=True)
    finally:
        path.unlink()
    assert client.get("/api/deliveries").status_code == 200
