"""Local stand-ins for the services the connectors talk to, on loopback, written from the
services' documented envelopes (not from our connector code):

- `BadgrServer`: Badgr / Canvas Credentials API v2. ``POST /o/token`` (form body; password
  and refresh_token grants; 86,400 s bearer tokens), ``POST`` and ``GET
  /v2/badgeclasses/{entityId}/assertions``; every answer ``{"status": {"success",
  "description"}, "result": [...]}``, a 400 adding ``fieldErrors`` and ``validationErrors``,
  a 401 when the token is unknown or expired. ``allowDuplicateAwards`` defaults to true; when
  false, a second award to one recipient is refused as Badgr refuses it.
- `WebhookReceiver`: a receiver that checks ``X-Wearkit-Signature`` (HMAC-SHA256 of
  ``<timestamp>.<body>``) and that ``X-Wearkit-Timestamp`` is recent, and keeps one
  delivery per ``Idempotency-Key``.
"""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import secrets
import threading
import time
import urllib.parse
from typing import Any

TOKEN_LIFETIME = 86_400
DUPLICATE = "A previous award of this badge already exists for this recipient."
RECIPIENT_TYPES = ("email", "url", "telephone", "openBadgeId")


def envelope(result: list[Any], description: str = "ok", **errors: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "status": {"success": not errors and description == "ok", "description": description},
        "result": result,
    }
    return body | errors


class _Server:
    def __init__(self, handler: type[http.server.BaseHTTPRequestHandler]) -> None:
        handler.protocol_version = "HTTP/1.1"  # keep-alive, as real services do
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.connections = 0
        self.lock = threading.Lock()
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class _Handler(http.server.BaseHTTPRequestHandler):
    server_side: Any

    def setup(self) -> None:
        super().setup()
        with self.server_side.lock:
            self.server_side.connections += 1

    def answer(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))

    def log_message(self, *_args: object) -> None:
        pass


class BadgrServer(_Server):
    """Badgr's v2 API for one user, ``username``/``password``, and ``badgeclasses``."""

    def __init__(self, username: str, password: str, badgeclasses: list[str]) -> None:
        self.username, self.password = username, password
        self.badgeclasses = set(badgeclasses)
        self.access: dict[str, float] = {}  # token -> expires at (monotonic)
        self.refresh: set[str] = set()
        self.grants: list[str] = []  # grant_type of every token request
        self.assertions: list[dict[str, Any]] = []
        self.lose_next_answer = False  # award, then drop the connection unanswered
        server = self

        class Handler(_Handler):
            server_side = server

            def do_POST(self) -> None:  # noqa: N802
                if self.path == "/o/token":
                    self.answer(*server.token(urllib.parse.parse_qs(self.body().decode())))
                    return
                status, body = server.award(self.path, self.headers, self.body())
                if status == 201 and server.lose_next_answer:
                    server.lose_next_answer = False
                    self.close_connection = True
                    self.connection.close()
                    return
                self.answer(status, body)

            def do_GET(self) -> None:  # noqa: N802
                self.answer(*server.list_assertions(self.path, self.headers))

        super().__init__(Handler)

    def expire_tokens(self) -> None:
        """Move the clock past every access token's 86,400 s."""
        self.access = {token: 0.0 for token in self.access}

    def token(self, form: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        grant = form.get("grant_type", [""])[0]
        self.grants.append(grant)
        if grant == "password":
            ok = form.get("username") == [self.username] and form.get("password") == [self.password]
        elif grant == "refresh_token":
            ok = form.get("refresh_token", [""])[0] in self.refresh
        else:
            return 400, {"error": "unsupported_grant_type"}
        if not ok:
            return 400, {"error": "invalid_grant"}
        access, refresh = secrets.token_hex(16), secrets.token_hex(16)
        self.access[access] = time.monotonic() + TOKEN_LIFETIME
        self.refresh.add(refresh)
        return 200, {"access_token": access, "token_type": "Bearer", "expires_in": TOKEN_LIFETIME,
                     "refresh_token": refresh, "scope": "rw:issuer"}  # fmt: skip

    def _authorised(self, headers: Any) -> bool:
        token = str(headers.get("Authorization", "")).removeprefix("Bearer ")
        return self.access.get(token, 0.0) > time.monotonic()

    def _badgeclass(self, path: str) -> str | None:
        parts = urllib.parse.urlsplit(path).path.strip("/").split("/")
        if len(parts) == 4 and parts[:2] == ["v2", "badgeclasses"] and parts[3] == "assertions":
            return parts[2]
        return None

    def award(self, path: str, headers: Any, raw: bytes) -> tuple[int, dict[str, Any]]:
        if not self._authorised(headers):
            return 401, envelope([], "no valid auth token found", fieldErrors={},
                                 validationErrors=[])  # fmt: skip
        entity = self._badgeclass(path)
        if entity not in self.badgeclasses:
            return 404, envelope([], "entity not found or insufficient privileges",
                                 fieldErrors={}, validationErrors=[])  # fmt: skip
        data = json.loads(raw)
        recipient = data.get("recipient") or {}
        identity, kind = recipient.get("identity"), recipient.get("type", "email")
        problems: dict[str, Any] = {}
        if kind not in RECIPIENT_TYPES:
            problems["recipient"] = {"type": [f'"{kind}" is not a valid choice.']}
        elif not identity:
            problems["recipient"] = {"identity": ["This field is required."]}
        elif kind == "url" and ":" not in identity:
            problems["recipient"] = {"identity": ["Enter a valid URL."]}
        if problems:
            return 400, envelope([], "bad request", fieldErrors=problems, validationErrors=[])
        if data.get("allowDuplicateAwards", True) is False and self._held(entity, identity):
            return 400, envelope([], "bad request",
                                 fieldErrors={"non_field_errors": [DUPLICATE]},
                                 validationErrors=[])  # fmt: skip
        assertion = {
            "entityType": "Assertion",
            "entityId": secrets.token_urlsafe(16),
            "openBadgeId": f"{self.url}/public/assertions/{len(self.assertions)}",
            "badgeclass": entity,
            "recipient": {"identity": identity, "type": kind, "hashed": False},
            "issuedOn": data.get("issuedOn"),
            "evidence": data.get("evidence", []),
            "revoked": False,
        }
        self.assertions.append(assertion)
        return 201, envelope([assertion])

    def _held(self, entity: str, identity: str) -> list[dict[str, Any]]:
        return [a for a in self.assertions if a["badgeclass"] == entity
                and a["recipient"]["identity"].lower() == identity.lower()]  # fmt: skip

    def list_assertions(self, path: str, headers: Any) -> tuple[int, dict[str, Any]]:
        if not self._authorised(headers):
            return 401, envelope([], "no valid auth token found", fieldErrors={},
                                 validationErrors=[])  # fmt: skip
        entity = self._badgeclass(path)
        if entity not in self.badgeclasses:
            return 404, envelope([], "entity not found or insufficient privileges")
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(path).query)
        wanted = query.get("recipient")
        found = [a for a in self.assertions if a["badgeclass"] == entity
                 and (not wanted or a["recipient"]["identity"] in wanted)]  # fmt: skip
        return 200, envelope(found)


class WebhookReceiver(_Server):
    """Accepts signed completions; refuses a bad signature or a stale timestamp with 401."""

    def __init__(self, secret: str, tolerance: float = 300.0) -> None:
        self.received: dict[str, dict[str, Any]] = {}  # by Idempotency-Key
        self.refused: list[str] = []
        server = self

        class Handler(_Handler):
            server_side = server

            def do_POST(self) -> None:  # noqa: N802
                raw = self.body()
                stamp = self.headers.get("X-Wearkit-Timestamp", "")
                mac = hmac.new(secret.encode(), f"{stamp}.".encode() + raw, hashlib.sha256)
                given = self.headers.get("X-Wearkit-Signature", "")
                if not hmac.compare_digest(given, f"sha256={mac.hexdigest()}"):
                    server.refused.append("signature")
                    self.answer(401, {"error": "bad signature"})
                elif not stamp.isdigit() or abs(time.time() - int(stamp)) > tolerance:
                    server.refused.append("timestamp")
                    self.answer(401, {"error": "stale timestamp"})
                else:
                    key = self.headers["Idempotency-Key"]
                    server.received.setdefault(key, json.loads(raw))
                    self.answer(200, {"id": f"hook-{key[:8]}"})

        super().__init__(Handler)
