"""A plain webhook: the completion as JSON, signed with HMAC-SHA256.

Headers: ``Idempotency-Key``, ``X-Wearkit-Timestamp`` (Unix seconds) and
``X-Wearkit-Signature: sha256=<hex>``, the HMAC of ``<timestamp>.<body>`` under the shared
secret, so a receiver can refuse a forged or replayed call (check the timestamp is recent).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from wearkit.badges.connectors.base import Connector, Receipt
from wearkit.store import OutboxItem


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The ``X-Wearkit-Signature`` value of ``body`` sent at ``timestamp``."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, "sha256")
    return "sha256=" + mac.hexdigest()


class WebhookConnector(Connector):
    """Posts ``{"idempotency_key", "activity", "learner", ...}``; any 2xx is delivered."""

    name = "webhook"

    def send(self, item: OutboxItem) -> Receipt:
        body = json.dumps(
            {"idempotency_key": item.idempotency_key, **item.payload}, sort_keys=True
        ).encode("utf-8")
        stamp = str(int(time.time()))
        answer = self.http.exchange(
            "POST",
            str(self.settings["url"]),
            headers={
                "Content-Type": "application/json",
                "Idempotency-Key": item.idempotency_key,
                "X-Wearkit-Timestamp": stamp,
                "X-Wearkit-Signature": signature(str(self.settings["secret"]), stamp, body),
            },
            body=body,
            what=self.where,
        )
        remote = answer.body.get("id") if isinstance(answer.body, dict) else None
        return Receipt(remote_id=str(remote or hashlib.sha256(body).hexdigest()[:16]))
