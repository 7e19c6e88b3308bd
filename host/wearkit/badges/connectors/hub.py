"""The programme's own badge service, `wearkit hub`: ``POST /api/v1/completions``."""

from __future__ import annotations

import json

from wearkit.badges.connectors.base import Connector, Receipt
from wearkit.badges.connectors.http import DeliveryError, exchange
from wearkit.store import OutboxItem


class HubConnector(Connector):
    """Posts each completion with the host's token; 201 or 200 answers the award."""

    name = "hub"

    def send(self, item: OutboxItem) -> Receipt:
        payload = item.payload
        body = {
            "activity": payload.get("activity"),
            "learner": payload.get("learner"),
            "completed_at": payload.get("completed_at"),
            "board_name": payload.get("board_name"),
            "evidence": payload.get("evidence") or {},
        }
        answer = exchange(
            "POST",
            str(self.settings["url"]).rstrip("/") + "/api/v1/completions",
            headers={
                "Authorization": f"Bearer {self.settings['token']}",
                "Idempotency-Key": item.idempotency_key,
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
            body=json.dumps(body).encode("utf-8"),
            timeout=self.timeout,
            what=self.where,
        )
        award = answer.body
        if not isinstance(award, dict) or not isinstance(award.get("id"), str):
            raise DeliveryError(
                f"{self.where} answered {answer.status} without an award id", retry=True
            )
        return Receipt(
            remote_id=award["id"],
            claim_code=award.get("claim_code"),
            claim_url=award.get("claim_url"),
        )
