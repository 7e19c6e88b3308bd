"""JSON over HTTP for the connectors: one kept-alive connection per service, and failures
sorted into those worth retrying (the service is down, slow or overloaded) and those that
are not."""

from __future__ import annotations

import http.client
import json
import socket
import ssl
import threading
import urllib.parse
from dataclasses import dataclass
from typing import Any

from wearkit.errors import BadgeServiceError

#: Answers after which the same request may succeed later.
RETRYABLE = frozenset({408, 425, 429, 500, 502, 503, 504})

#: What a server closing an idle kept-alive connection looks like to the next request.
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


class DeliveryError(BadgeServiceError):
    """A delivery failed; ``retry`` says whether sending it again later may work."""

    def __init__(
        self, message: str, *, retry: bool, status: int | None = None, body: Any = None
    ) -> None:
        super().__init__(message)
        self.retry = retry
        self.status = status
        self.body = body


@dataclass(frozen=True)
class Answer:
    """A service's answer: status and JSON body (``{}`` if it had none)."""

    status: int
    body: Any


class HttpSession:
    """Requests to one or more services over connections kept open between them (one per
    scheme, host and port), so a deliverer does not pay a TCP (and TLS) handshake per
    completion. Thread-safe: requests are made one at a time."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._connections: dict[tuple[str, str, int], http.client.HTTPConnection] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close every open connection."""
        with self._lock:
            for conn in self._connections.values():
                conn.close()
            self._connections.clear()

    def exchange(
        self, method: str, url: str, *, headers: dict[str, str], body: bytes | None, what: str
    ) -> Answer:
        """Send one request; an Answer for 2xx, DeliveryError otherwise (saying if
        retryable). Every request we send is safe to repeat (idempotency keys, or no
        duplicate awards), so a kept-alive connection the server had closed is retried
        once on a new one."""
        parts = urllib.parse.urlsplit(url)
        try:
            key = _key(parts)
        except ValueError as exc:
            raise DeliveryError(f"cannot reach {what}: {exc}", retry=False) from None
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        with self._lock:
            try:
                try:
                    status, raw = self._request(key, method, target, headers, body, True)
                except _STALE:
                    status, raw = self._request(key, method, target, headers, body, False)
            except (http.client.HTTPException, OSError) as exc:
                self._drop(key)
                reason: Any = exc
                if isinstance(exc, socket.timeout | TimeoutError):
                    reason = f"no answer within {self.timeout:g} s"
                raise DeliveryError(f"cannot reach {what} at {url}: {reason}", retry=True) from None
        if 200 <= status < 300:
            return Answer(status, _json(raw))
        detail = _detail(raw)
        raise DeliveryError(
            f"{what} answered {status}{': ' + detail if detail else ''}",
            retry=status in RETRYABLE,
            status=status,
            body=_json(raw[:20000]),
        )

    def _request(
        self,
        key: tuple[str, str, int],
        method: str,
        target: str,
        headers: dict[str, str],
        body: bytes | None,
        reuse: bool,
    ) -> tuple[int, bytes]:
        conn = self._connection(key, reuse)
        try:
            conn.request(method, target, body=body, headers=headers)
            response = conn.getresponse()
            raw = response.read()
        except BaseException:
            self._drop(key)
            raise
        if response.will_close:
            self._drop(key)
        return response.status, raw

    def _connection(self, key: tuple[str, str, int], reuse: bool) -> http.client.HTTPConnection:
        conn = self._connections.get(key) if reuse else None
        if conn is None:
            self._drop(key)
            scheme, host, port = key
            if scheme == "https":
                context = ssl.create_default_context()
                conn = http.client.HTTPSConnection(
                    host, port, timeout=self.timeout, context=context
                )
            else:
                conn = http.client.HTTPConnection(host, port, timeout=self.timeout)
            self._connections[key] = conn
        return conn

    def _drop(self, key: tuple[str, str, int]) -> None:
        conn = self._connections.pop(key, None)
        if conn is not None:
            conn.close()


def _key(parts: urllib.parse.SplitResult) -> tuple[str, str, int]:
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"expected an http(s) address, got {parts.geturl()!r}")
    default = 443 if parts.scheme == "https" else 80
    return parts.scheme, parts.hostname, parts.port or default


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
            text = str(status["description"])
            problems = body.get("fieldErrors") or body.get("validationErrors")
            if problems:
                text += f" {json.dumps(problems)[:250]}"
            return text[:300]
    return ""
