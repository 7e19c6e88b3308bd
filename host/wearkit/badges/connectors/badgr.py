"""Badgr / Canvas Credentials, API v2: ``POST /v2/badgeclasses/{entityId}/assertions``.

An OAuth2 token comes from ``POST /o/token`` (password grant, then the refresh grant when
the service answers 401); every answer is ``{"status": {...}, "result": [...]}``. Badgr has
no idempotency key, so each award is sent with ``allowDuplicateAwards: false``.
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from wearkit.badges.connectors.base import Connector, Receipt
from wearkit.badges.connectors.http import DeliveryError, exchange
from wearkit.store import OutboxItem


class BadgrConnector(Connector):
    """Awards the activity's Badgr badge class to the learner's URL identity."""

    name = "badgr"
    _access: str | None = None
    _refresh: str | None = None

    def _token(self, refresh: bool) -> str:
        form: dict[str, str] = {"client_id": str(self.settings.get("client_id", "public"))}
        if refresh and self._refresh:
            form |= {"grant_type": "refresh_token", "refresh_token": self._refresh}
        else:
            form |= {
                "grant_type": "password",
                "username": str(self.settings["username"]),
                "password": str(self.settings["password"]),
                "scope": "rw:issuer",
            }
        answer = exchange(
            "POST",
            self._url("/o/token"),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            body=urllib.parse.urlencode(form).encode("ascii"),
            timeout=self.timeout,
            what=f"{self.where} (token)",
        )
        body = answer.body if isinstance(answer.body, dict) else {}
        if not isinstance(body.get("access_token"), str):
            raise DeliveryError(f"{self.where} gave no access_token", retry=False)
        self._access = str(body["access_token"])
        self._refresh = body.get("refresh_token") or self._refresh
        return self._access

    def _url(self, path: str) -> str:
        return str(self.settings["url"]).rstrip("/") + path

    def send(self, item: OutboxItem) -> Receipt:
        slug = str(item.payload.get("activity"))
        classes = self.settings.get("badgeclasses", {})
        entity = classes.get(slug) if isinstance(classes, dict) else None
        if not isinstance(entity, str):
            raise DeliveryError(
                f"no Badgr badge class for {slug!r}: add it under [badgr.badgeclasses] in "
                "badges.toml",
                retry=False,
            )
        learner = item.payload.get("learner") or item.idempotency_key
        template = str(self.settings.get("learner_url", "urn:wearkit:learner:{learner}"))
        evidence = item.payload.get("evidence") or {}
        body = {
            "recipient": {
                "identity": template.format(learner=learner),
                "type": "url",
                "hashed": False,
            },
            "issuedOn": item.payload.get("completed_at"),
            "notify": False,
            "allowDuplicateAwards": False,
            "evidence": [{"narrative": _narrative(evidence)}],
        }
        data = json.dumps(body).encode("utf-8")
        path = self._url(f"/v2/badgeclasses/{entity}/assertions")
        token = self._access or self._token(refresh=False)
        try:
            answer = self._post(path, token, data)
        except DeliveryError as exc:
            if exc.status != 401:
                raise
            answer = self._post(path, self._token(refresh=True), data)
        results = answer.get("result") if isinstance(answer, dict) else None
        first = results[0] if isinstance(results, list) and results else {}
        if not isinstance(first, dict) or not isinstance(first.get("entityId"), str):
            raise DeliveryError(f"{self.where} answered without an assertion", retry=True)
        return Receipt(remote_id=first["entityId"], extra={"openBadgeId": first.get("openBadgeId")})

    def _post(self, url: str, token: str, data: bytes) -> Any:
        return exchange(
            "POST",
            url,
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
            },
            body=data,
            timeout=self.timeout,
            what=self.where,
        ).body


def _narrative(evidence: Any) -> str:
    tasks = evidence.get("tasks") if isinstance(evidence, dict) else None
    titles = [
        str(t.get("title")) for t in tasks or [] if isinstance(t, dict) and t.get("state") == "done"
    ]
    return "Tasks done: " + "; ".join(titles) if titles else "Completed the activity."
