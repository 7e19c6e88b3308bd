"""Connectors: one class per kind of badge service, chosen by name in ``badges.toml``."""

from __future__ import annotations

from wearkit.badges.connectors.badgr import BadgrConnector
from wearkit.badges.connectors.base import Connector, Receipt
from wearkit.badges.connectors.http import DeliveryError
from wearkit.badges.connectors.hub import HubConnector
from wearkit.badges.connectors.webhook import WebhookConnector

CONNECTORS: dict[str, type[Connector]] = {
    cls.name: cls for cls in (HubConnector, BadgrConnector, WebhookConnector)
}

__all__ = ["CONNECTORS", "Connector", "DeliveryError", "Receipt"]
