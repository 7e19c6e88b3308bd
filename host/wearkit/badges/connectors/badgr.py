"""Badgr / Canvas Credentials, API v2: ``POST /v2/badgeclasses/{entityId}/assertions``.

An OAuth2 token comes from ``POST /o/token`` (password grant, then the refresh grant when
the service answers 401); every answer is ``{"status": {...}, "result": [...]}``, and a 400
adds ``fieldErrors``/``validationErrors``. Badgr has no idempotency key, so each award is
sent with ``allowDuplicateAwards: false``: a repeat is refused with a 400, and the
recipient's award already there (``GET .../assertions?recipient=``) is the receipt.
"""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from wearkit.badges.connectors.base import Connector, Receipt
from wearkit.badges.connectors.http import DeliveryError
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
        try:
            answer = self.http.exchange(
                "POST",
                self._url("/o/token"),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                body=urllib.parse.urlencode(form).encode("ascii"),
                what=f"{self.where} (token)",
            )
        except DeliveryError as exc:
            if refresh and exc.status in (400, 401):  # the refresh token expired too
                self._refresh = None
                return self._token(refresh=False)
            if exc.status in (400, 401):
                raise DeliveryError(
                    f"{exc}; check badgr.username and badgr.password in badges.toml",
                    retry=False,
                    status=exc.status,
                ) from None
            raise
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
        identity = template.format(learner=learner)
        evidence = item.payload.get("evidence") or {}
        body = {
            "recipient": {"identity": identity, "type": "url", "hashed": False},
            "issuedOn": item.payload.get("completed_at"),
            "notify": False,
            "allowDuplicateAwards": False,
            "evidence": [{"narrative": _narrative(evidence)}],
        }
        assertions = self._url(f"/v2/badgeclasses/{urllib.parse.quote(entity)}/assertions")
        try:
            answer = self._call("POST", assertions, json.dumps(body).encode("utf-8"))
        except DeliveryError as exc:
            if exc.status != 400:
                raise
            # Refused: a duplicate award (sent before, its answer lost) or a bad request.
            # Only the recipient's award already there tells them apart.
            query = urllib.parse.urlencode({"recipient": identity})
            had = _first(self._call("GET", f"{assertions}?{query}", None))
            if had is None:
                raise
            return _receipt(had)
        first = _first(answer)
        if first is None:
            raise DeliveryError(f"{self.where} answered without an assertion", retry=True)
        return _receipt(first)

    def _call(self, method: str, url: str, data: bytes | None) -> Any:
        """One call with the bearer token; a 401 (expired token) refreshes it once."""
        token = self._access or self._token(refresh=False)
        try:
            return self._request(method, url, token, data)
        except DeliveryError as exc:
            if exc.status != 401:
                raise
        return self._request(method, url, self._token(refresh=True), data)

    def _request(self, method: str, url: str, token: str, data: bytes | None) -> Any:
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        return self.http.exchange(method, url, headers=headers, body=data, what=self.where).body


def _first(answer: Any) -> dict[str, Any] | None:
    """The first entity of a v2 envelope's ``result`` with an ``entityId``, if any."""
    results = answer.get("result") if isinstance(answer, dict) else None
    first = results[0] if isinstance(results, list) and results else None
    if isinstance(first, dict) and isinstance(first.get("entityId"), str):
        return first
    return None


def _receipt(assertion: dict[str, Any]) -> Receipt:
    return Receipt(
        remote_id=assertion["entityId"], extra={"openBadgeId": assertion.get("openBadgeId")}
    )


def _narrative(evidence: Any) -> str:
    tasks = evidence.get("tasks") if isinstance(evidence, dict) else None
    titles = [
        str(t.get("title")) for t in tasks or [] if isinstance(t, dict) and t.get("state") == "done"
    ]
    return "Tasks done: " + "; ".join(titles) if titles else "Completed the activity."
