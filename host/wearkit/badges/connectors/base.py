"""What every connector is: something that sends one outbox item and says what the badge
service answered."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from wearkit.store import OutboxItem


@dataclass(frozen=True)
class Receipt:
    """What the badge service answered for one delivered completion."""

    remote_id: str  # the service's id of the award (or of the delivery)
    claim_code: str | None = None
    claim_url: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


class Connector(ABC):
    """Sends completions to one kind of badge service. Each send carries the outbox item's
    idempotency key, so sending twice never awards twice."""

    #: The name a config file's ``connector =`` gives.
    name: ClassVar[str]

    def __init__(self, settings: Mapping[str, Any], timeout: float) -> None:
        self.settings = settings
        self.timeout = timeout

    @abstractmethod
    def send(self, item: OutboxItem) -> Receipt:
        """Deliver ``item``; raise `DeliveryError` (saying whether to retry) if it failed."""

    @property
    def where(self) -> str:
        """The service, as messages name it."""
        return f"the {self.name} at {self.settings.get('url')}"
