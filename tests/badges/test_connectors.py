"""The Badgr / Canvas Credentials v2 and webhook connectors, end to end: a classroom store's
outbox delivered by the real deliverer to local servers on loopback that follow those
services' documented envelopes (tests/badges/servers.py)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from tests.badges.servers import BadgrServer, WebhookReceiver
from wearkit.badges.config import DeliveryConfig, load_config
from wearkit.badges.deliverer import Deliverer, open_deliverer
from wearkit.badges.receipts import Receipts, receipts_path
from wearkit.runlog import Batch, CompletionRecord, RunStart
from wearkit.store import Store, open_store

ALL = datetime(9999, 1, 1, tzinfo=timezone.utc)
CLASSES = {"step-counter": "stepClass01", "night-light": "nightClass02"}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'class.db'}") as opened:
        yield opened


def complete(store: Store, slug: str, learner: str) -> str:
    run_id = store.start_run(RunStart("/dev/ttyACM0", "microbit-v2", "b", slug, "x", learner))
    key = uuid.uuid4().hex
    evidence = {"tasks": [{"id": "t", "title": "Light the way", "state": "done"}]}
    record = CompletionRecord(slug, "b", learner, datetime.now(timezone.utc), key, evidence)
    store.record(run_id, Batch(completion=record))
    store.finish_run(run_id, "complete")
    return key


def config(tmp_path: Path, text: str) -> DeliveryConfig:
    path = tmp_path / "badges.toml"
    path.write_text(text + "\n[delivery]\nfirst_retry = 0.05\nmax_retry = 0.2\n")
    return load_config(path)


@pytest.fixture
def badgr() -> Iterator[BadgrServer]:
    server = BadgrServer("programme@example.org", "s3cret", list(CLASSES.values()))
    yield server
    server.close()


def badgr_config(
    tmp_path: Path, url: str, password: str = "s3cret", template: str = ""
) -> DeliveryConfig:
    classes = "\n".join(f'{slug} = "{entity}"' for slug, entity in CLASSES.items())
    template = template or "https://school.example.org/learners/{learner}"
    text = (
        f'connector = "badgr"\n[badgr]\nurl = "{url}"\nusername = "programme@example.org"\n'
        f'password = "{password}"\nlearner_url = "{template}"\n[badgr.badgeclasses]\n{classes}'
    )
    return config(tmp_path, text)


Open = Callable[[Store, DeliveryConfig], Deliverer]


@pytest.fixture
def deliverer() -> Iterator[Open]:
    """Opens deliverers as `wearkit badges deliver` does, closing them after the test."""
    opened: list[Deliverer] = []

    def opening(store: Store, config: DeliveryConfig) -> Deliverer:
        opened.append(open_deliverer(store, config))
        return opened[-1]

    yield opening
    for each in opened:
        each.close()


def pending(store: Store) -> list[Any]:
    return store.pending_outbox(100, now=ALL)


def test_badgr_awards_each_completion_once_with_one_token_and_refreshes_it(
    store: Store, tmp_path: Path, badgr: BadgrServer, deliverer: Open
) -> None:
    complete(store, "step-counter", "L-1")
    complete(store, "night-light", "L-1")
    complete(store, "step-counter", "L-2")
    sender = deliverer(store, badgr_config(tmp_path, badgr.url))
    assert sender.deliver_due().delivered == 3
    assert badgr.grants == ["password"]  # one token for all three, kept for 86,400 s
    assert badgr.connections == 1  # the token call and the awards: one kept-alive connection
    awarded = sorted((a["badgeclass"], a["recipient"]["identity"]) for a in badgr.assertions)
    assert awarded == [
        ("nightClass02", "https://school.example.org/learners/L-1"),
        ("stepClass01", "https://school.example.org/learners/L-1"),
        ("stepClass01", "https://school.example.org/learners/L-2"),
    ]
    receipts = {r.remote_id for r in Receipts(receipts_path(store)).all()}
    assert receipts == {a["entityId"] for a in badgr.assertions}
    # A day later the token has expired: the service answers 401, the connector refreshes.
    badgr.expire_tokens()
    complete(store, "night-light", "L-2")
    assert sender.deliver_due().delivered == 1
    assert badgr.grants == ["password", "refresh_token"] and len(badgr.assertions) == 4
    assert pending(store) == []


def test_badgr_refusing_a_duplicate_award_counts_as_delivered(
    store: Store, tmp_path: Path, badgr: BadgrServer, deliverer: Open
) -> None:
    complete(store, "step-counter", "L-7")
    sender = deliverer(store, badgr_config(tmp_path, badgr.url))
    badgr.lose_next_answer = True  # Badgr awards it, but the answer never comes back
    assert sender.deliver_due().delivered == 1
    assert len(badgr.assertions) == 1  # sent again with allowDuplicateAwards false: refused
    (receipt,) = Receipts(receipts_path(store)).all()
    assert receipt.remote_id == badgr.assertions[0]["entityId"]
    assert pending(store) == []
    # The same learner finishing the activity on another classroom host: refused the same way.
    with open_store(f"sqlite:///{tmp_path / 'other.db'}") as other:
        complete(other, "step-counter", "L-7")
        elsewhere = deliverer(other, badgr_config(tmp_path, badgr.url))
        assert elsewhere.deliver_due().delivered == 1 and len(badgr.assertions) == 1
        (again,) = Receipts(receipts_path(other)).all()
        assert again.remote_id == receipt.remote_id


def test_badgr_field_errors_and_bad_settings_are_shown_and_not_retried_soon(
    store: Store, tmp_path: Path, badgr: BadgrServer, deliverer: Open
) -> None:
    complete(store, "step-counter", "L-3")
    sender = deliverer(store, badgr_config(tmp_path, badgr.url, template="{learner}"))
    result = sender.deliver_due()
    assert (result.delivered, result.failed) == (0, 1)
    (item,) = pending(store)
    assert "answered 400: bad request" in item.last_error and "Enter a valid URL" in item.last_error
    assert item.next_attempt_at > datetime.now(timezone.utc)  # waits the longest backoff
    assert badgr.assertions == []

    complete(store, "touch-glove", "L-3")  # no Badgr badge class for it in badges.toml
    complete(store, "night-light", "L-3")
    deliverer(store, badgr_config(tmp_path, badgr.url, password="wrong")).deliver_due()
    errors = {i.payload["activity"]: i.last_error for i in pending(store)}
    assert "check badgr.username and badgr.password" in errors["night-light"]
    assert "add it under [badgr.badgeclasses]" in errors["touch-glove"]


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    server = WebhookReceiver("hook-secret")
    yield server
    server.close()


def test_the_webhook_delivers_signed_completions_the_receiver_verifies(
    store: Store, tmp_path: Path, receiver: WebhookReceiver, deliverer: Open
) -> None:
    keys = [complete(store, "step-counter", f"L-{n}") for n in range(3)]
    settings = f'connector = "webhook"\n[webhook]\nurl = "{receiver.url}/hooks/badges"\n'
    sender = deliverer(store, config(tmp_path, settings + 'secret = "hook-secret"'))
    assert sender.deliver_due().delivered == 3
    assert receiver.refused == [] and sorted(receiver.received) == sorted(keys)
    assert {body["learner"] for body in receiver.received.values()} == {"L-0", "L-1", "L-2"}
    assert receiver.connections == 1  # one kept-alive connection for the three
    # A host with the wrong secret is refused by the receiver and keeps the completion.
    complete(store, "night-light", "L-9")
    forged = deliverer(store, config(tmp_path, settings + 'secret = "guess"'))
    assert forged.deliver_due().failed == 1
    assert receiver.refused == ["signature"] and len(receiver.received) == 3
    (item,) = pending(store)
    assert "answered 401: bad signature" in (item.last_error or "")
