"""The outbox deliverer: sends the store's completions to the badge service, oldest first,
retrying with exponential backoff and jitter.

Its state is the store's outbox rows (attempts, next try, last error, delivered), so a
deliverer killed at any moment and started again carries on: at least once on the wire,
exactly once at the service, which keys each award on the item's idempotency key.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from wearkit.badges.config import DeliveryConfig, load_config
from wearkit.badges.connectors import CONNECTORS, Connector, Receipt
from wearkit.badges.receipts import Receipts, receipts_path
from wearkit.store import OutboxItem, Store
from wearkit.store.engine import now

#: Every undelivered item, due or not (their order is by id, which pending_outbox is not).
_ALL = datetime(9999, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class DeliveryEvent:
    """One attempt's outcome, for a progress callback (the CLI prints it, the web shows it)."""

    kind: str  # "delivered" | "failed"
    item: OutboxItem
    message: str = ""
    retry_at: datetime | None = None


@dataclass(frozen=True)
class PassResult:
    """What one pass over the outbox did, and when the next item is due."""

    delivered: int
    failed: int
    next_due: datetime | None


class Backoff:
    """Exponential backoff with jitter: the n-th retry waits between half and all of
    ``first * 2**(n-1)``, at most ``cap`` seconds, so hosts that failed together do not
    all come back at the same moment."""

    def __init__(self, first: float, cap: float, rng: random.Random | None = None) -> None:
        self.first = first
        self.cap = cap
        self.rng = rng or random.Random()

    def delay(self, attempts: int) -> float:
        """Seconds to wait after the ``attempts``-th failed try (1 for the first)."""
        ceiling = min(self.cap, self.first * 2.0 ** max(0, min(attempts - 1, 30)))
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)


class Deliverer:
    """Sends ``store``'s outbox through ``connector``, ``batch`` items to a request where
    the service takes batches; one pass at a time.

    An item is marked delivered only after the service's answer is in the receipts, and a
    batch's marks are one transaction: killed before it, the items are sent again and the
    service answers the awards it already has."""

    def __init__(
        self,
        store: Store,
        connector: Connector,
        receipts: Receipts,
        backoff: Backoff,
        on_event: Callable[[DeliveryEvent], None] | None = None,
        batch: int = 100,
    ) -> None:
        self.store = store
        self.connector = connector
        self.receipts = receipts
        self.backoff = backoff
        self.on_event = on_event or (lambda _event: None)
        self.batch = max(1, batch)

    def deliver_due(self, limit: int = 10_000) -> PassResult:
        """Send every due item in the order the completions were queued. A service that is
        down, slow or overloaded ends the pass (later items wait behind the first); an item
        it refuses waits the longest backoff and the pass goes on."""
        items = sorted(self.store.pending_outbox(limit, now=_ALL), key=lambda i: i.id)
        moment = now()
        due = [item for item in items if item.next_attempt_at <= moment]
        next_due: datetime | None = None
        for item in items:
            if item.next_attempt_at > moment:
                next_due = _earliest(next_due, item.next_attempt_at)
        delivered = failed = 0
        for start in range(0, len(due), self.batch):
            chunk = due[start : start + self.batch]
            outcomes = self.connector.send_batch(chunk)
            tried = list(zip(chunk[: len(outcomes)], outcomes, strict=True))
            answered = [(item, o) for item, o in tried if isinstance(o, Receipt)]
            if answered:
                self.receipts.record_many(answered, self.connector.name)
                self.store.outbox_delivered_many([item.id for item, _ in answered])
                delivered += len(answered)
                for item, receipt in answered:
                    self.on_event(DeliveryEvent("delivered", item, receipt.claim_code or ""))
            stop = False
            for item, outcome in tried:
                if isinstance(outcome, Receipt):
                    continue
                failed += 1
                retry = outcome.retry
                wait = self.backoff.delay(item.attempts + 1) if retry else self.backoff.cap
                retry_at = now() + timedelta(seconds=wait)
                self.store.outbox_failed(item.id, str(outcome), retry_at)
                self.on_event(DeliveryEvent("failed", item, str(outcome), retry_at))
                next_due = _earliest(next_due, retry_at)
                stop = stop or retry
            if stop or len(outcomes) < len(chunk):  # the rest wait for the next pass
                break
        return PassResult(delivered, failed, next_due)

    def run(self, stop: threading.Event, poll: float = 2.0) -> None:
        """Deliver until ``stop`` is set, looking for new items every ``poll`` seconds;
        then close the connection and the receipts."""
        try:
            while not stop.is_set():
                result = self.deliver_due()
                wait = poll
                if result.next_due is not None:
                    wait = min(poll, max(0.05, (result.next_due - now()).total_seconds()))
                stop.wait(wait)
        finally:
            self.close()

    def close(self) -> None:
        """Close the connection to the service and the receipts file."""
        self.connector.close()
        self.receipts.close()

    def __enter__(self) -> Deliverer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _earliest(a: datetime | None, b: datetime) -> datetime:
    return b if a is None or b < a else a


def open_deliverer(
    store: Store,
    config: DeliveryConfig | None = None,
    on_event: Callable[[DeliveryEvent], None] | None = None,
) -> Deliverer:
    """A deliverer for ``store`` with the connector ``config`` (default: badges.toml) names."""
    config = config or load_config()
    connector = CONNECTORS[config.connector](config.settings, config.timeout)
    backoff = Backoff(config.first_retry, config.max_retry)
    receipts = Receipts(receipts_path(store))
    return Deliverer(store, connector, receipts, backoff, on_event, batch=config.batch)


def start_deliverer(
    store: Store,
    stop: threading.Event,
    config: DeliveryConfig | None = None,
    on_event: Callable[[DeliveryEvent], None] | None = None,
) -> threading.Thread:
    """Run a deliverer in a daemon thread until ``stop`` is set (for `wearkit serve`)."""
    deliverer = open_deliverer(store, config, on_event)
    thread = threading.Thread(target=deliverer.run, args=(stop,), name="badge-deliverer")
    thread.daemon = True
    thread.start()
    return thread
