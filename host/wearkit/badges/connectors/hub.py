"""The programme's own badge service, `wearkit hub`: ``POST /api/v1/completions:batch``
(many completions in one request and one transaction at the hub), or one at a time with
``POST /api/v1/completions`` against a hub that predates the batch call."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from wearkit.badges.connectors.base import Connector, Outcome, Receipt
from wearkit.badges.connectors.http import DeliveryError
from wearkit.store import OutboxItem


class HubConnector(Connector):
    """Posts completions with the host's token; each answer (201 new, 200 had it) carries
    the award."""

    name = "hub"
    _batch_call = True  # until a hub answers that it has no batch call

    def _url(self, path: str) -> str:
        return str(self.settings["url"]).rstrip("/") + path

    def _headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.settings['token']}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        }

    def send(self, item: OutboxItem) -> Receipt:
        answer = self.http.exchange(
            "POST",
            self._url("/api/v1/completions"),
            headers=self._headers() | {"Idempotency-Key": item.idempotency_key},
            body=json.dumps(_completion(item)).encode("utf-8"),
            what=self.where,
        )
        return self._receipt(answer.body, answer.status)

    def send_batch(self, items: Sequence[OutboxItem]) -> list[Outcome]:
        if not self._batch_call or len(items) < 2:
            return super().send_batch(items)
        body = {"completions": [{"idempotency_key": i.idempotency_key} | _completion(i)
                                for i in items]}  # fmt: skip
        try:
            answer = self.http.exchange(
                "POST",
                self._url("/api/v1/completions:batch"),
                headers=self._headers(),
                body=json.dumps(body).encode("utf-8"),
                what=self.where,
            )
        except DeliveryError as exc:
            if exc.status in (404, 405):
                self._batch_call = False
                return super().send_batch(items)
            return [exc]  # the first item carries the failure; the rest wait
        results = answer.body.get("results") if isinstance(answer.body, dict) else None
        if not isinstance(results, list) or len(results) != len(items):
            return [DeliveryError(f"{self.where} answered a batch without its results", retry=True)]
        return [self._outcome(result) for result in results]

    def _outcome(self, result: Any) -> Outcome:
        status = result.get("status") if isinstance(result, dict) else None
        if status in (200, 201):
            try:
                return self._receipt(result.get("award"), int(status))
            except DeliveryError as exc:
                return exc
        error = result.get("error") if isinstance(result, dict) else None
        return DeliveryError(
            f"{self.where} answered {status}: {error or 'no reason given'}",
            retry=status not in (400, 409, 422),
            status=status if isinstance(status, int) else None,
        )

    def _receipt(self, award: Any, status: int) -> Receipt:
        if not isinstance(award, dict) or not isinstance(award.get("id"), str):
            raise DeliveryError(f"{self.where} answered {status} without an award id", retry=True)
        return Receipt(
            remote_id=award["id"],
            claim_code=award.get("claim_code"),
            claim_url=award.get("claim_url"),
        )


def _completion(item: OutboxItem) -> dict[str, Any]:
    payload = item.payload
    return {
        "activity": payload.get("activity"),
        "learner": payload.get("learner"),
        "completed_at": payload.get("completed_at"),
        "board_name": payload.get("board_name"),
        "evidence": payload.get("evidence") or {},
    }
