"""One JSON-over-HTTP exchange for the connectors, with the failures sorted into those
worth retrying (the service is down, slow or overloaded) and those that are not."""

from __future__ import annotations

import http.client
import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from wearkit.errors import BadgeServiceError

#: Answers after which the same request may succeed later.
RETRYABLE = frozenset({408, 425, 429, 500, 502, 503, 504})


class DeliveryError(BadgeServiceError):
    """A delivery failed; ``retry`` says whether sending it again later may work."""

    def __init__(self, message: str, *, retry: bool, status: int | None = None) -> None:
        super().__init__(message)
        self.retry = retry
        self.status = status


@dataclass(frozen=True)
class Answer:
    """A service's answer: status and JSON body (``{}`` if it had none)."""

    status: int
    body: Any


def exchange(
    method: str,
    url: str,
    *,
    headers: dict[str, str],
    body: bytes | None,
    timeout: float,
    what: str,
) -> Answer:
    """Send one request; an Answer for 2xx, DeliveryError otherwise (saying if retryable)."""
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return Answer(response.status, _json(response.read()))
    except urllib.error.HTTPError as exc:
        text = exc.read()[:2000]
        detail = _detail(text)
        retry = exc.code in RETRYABLE
        raise DeliveryError(
            f"{what} answered {exc.code}{': ' + detail if detail else ''}",
            retry=retry,
            status=exc.code,
        ) from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, socket.timeout | TimeoutError):
            reason = f"no answer within {timeout:g} s"
        raise DeliveryError(f"cannot reach {what} at {url}: {reason}", retry=True) from None


def _json(raw: bytes) -> Any:
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except ValueError:
        return {"text": raw[:500].decode("utf-8", "replace")}


def _detail(raw: bytes) -> str:
    body = _json(raw)
    if isinstance(body, dict):
        for key in ("error", "message", "text"):
            if isinstance(body.get(key), str):
                return str(body[key])[:300]
        status = body.get("status")
        if isinstance(status, dict) and isinstance(status.get("description"), str):
            return str(status["description"])[:300]
    return ""
