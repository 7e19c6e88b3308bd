"""What every connector is: something that sends outbox items and says what the badge
service answered for each."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from wearkit.badges.connectors.http import DeliveryError, HttpSession
from wearkit.store import OutboxItem


@dataclass(frozen=True)
class Receipt:
    """What the badge service answered for one delivered completion."""

    remote_id: str  # the service's id of the award (or of the delivery)
    claim_code: str | None = None
    claim_url: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


#: One item's outcome: the service's receipt, or why it was not delivered.
Outcome = Receipt | DeliveryError


class Connector(ABC):
    """Sends completions to one kind of badge service over one kept-alive connection. Each
    send carries the outbox item's idempotency key (or, where the service has none, asks
    it not to award twice), so sending twice never awards twice."""

    #: The name a config file's ``connector =`` gives.
    name: ClassVar[str]

    def __init__(self, settings: Mapping[str, Any], timeout: float) -> None:
        self.settings = settings
        self.timeout = timeout
        self.http = HttpSession(timeout)

    @abstractmethod
    def send(self, item: OutboxItem) -> Receipt:
        """Deliver ``item``; raise `DeliveryError` (saying whether to retry) if it failed."""

    def send_batch(self, items: Sequence[OutboxItem]) -> list[Outcome]:
        """Deliver ``items`` in order: one outcome per item tried. A retryable failure (the
        service down, slow or overloaded) ends the batch, so the outcomes may be fewer than
        the items; the rest wait for the next pass. Services with a batch call override it."""
        outcomes: list[Outcome] = []
        for item in items:
            try:
                outcomes.append(self.send(item))
            except DeliveryError as exc:
                outcomes.append(exc)
                if exc.retry:
                    break
        return outcomes

    def close(self) -> None:
        """Close the connection to the service."""
        self.http.close()

    @property
    def where(self) -> str:
        """The service, as messages name it."""
        return f"the {self.name} at {self.settings.get('url')}"
