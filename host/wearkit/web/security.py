"""Who may do what, CSRF, cookies and security headers.

Roles: on 127.0.0.1 whoever opens the app is the facilitator; in LAN mode the facilitator
signs in with the passcode. A student joins with the class code and a nickname and is a
student from then on: one board, their own view, nothing else (checked here, on the
server, for every page and API call).

CSRF is our own small check rather than Flask-WTF's CSRFProtect: the pages post JSON with
``fetch`` far more than forms, WTForms would be a dependency for three forms, and the
whole rule fits here: a random token per session, in a ``<meta>`` tag for scripts (sent
back as ``X-CSRF-Token``) and a hidden field for forms, compared in constant time on
every request that is not GET, HEAD or OPTIONS.
"""

from __future__ import annotations

import functools
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from flask import Flask, Response, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface

from wearkit import paths
from wearkit.classroom.roster import Student
from wearkit.web.errors import error_response
from wearkit.web.state import classroom

F = TypeVar("F", bound=Callable[..., Any])

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
FACILITATOR = "facilitator"
STUDENT = "student"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def secret_key(folder: Path | None = None) -> bytes:
    """This install's session key: random, made once, kept in the data folder (0600)."""
    path = (folder or paths.data_dir()) / "web-secret.key"
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        pass
    key = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as out:
            out.write(key.hex())
    except OSError:
        pass  # a read-only home: sessions last until the server stops
    return key


class SessionCookies(SecureCookieSessionInterface):
    """Session cookies marked Secure whenever the request came over https."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def csrf_token() -> str:
    """This session's CSRF token (made on first use)."""
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return token


def current_student() -> Student | None:
    """The student this session joined as, if it did and the class code still holds."""
    learner = session.get("learner")
    if not learner:
        return None
    room = classroom()
    student = room.roster.by_learner(learner)
    if student is None or session.get("code") != room.roster.code:
        return None
    return student


def role() -> str | None:
    """``facilitator``, ``student`` or None (LAN mode, not signed in)."""
    if "role" not in g:
        if current_student() is not None:
            g.role = STUDENT
        elif not classroom().lan or session.get(FACILITATOR) is True:
            g.role = FACILITATOR
        else:
            g.role = None
    found: str | None = g.role
    return found


def _refuse(student_message: str) -> Any:
    if role() == STUDENT:
        return error_response(student_message, "role", 403)
    if request.path.startswith("/api/"):
        return error_response(
            "sign in as the facilitator first (POST /signin with the passcode)", "passcode", 401
        )
    return redirect(url_for("auth.signin", next=request.full_path.rstrip("?")))


def facilitator_only(view: F) -> F:
    """The view is for the facilitator: students get 403, others are sent to sign in."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if role() != FACILITATOR:
            return _refuse("this is the facilitator's; a student sees only their own board")
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def signed_in(view: F) -> F:
    """The view is for the facilitator and for students (each sees what is theirs)."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if role() is None:
            return _refuse("")
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def may_see_board(name: str) -> bool:
    """Whether this session may see (and, for a student, play with) board ``name``."""
    if role() == FACILITATOR:
        return True
    student = current_student()
    return student is not None and student.board == name


def init_app(app: Flask) -> None:
    """Session cookies, the CSRF check and the security headers."""
    app.session_interface = SessionCookies()
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.jinja_env.globals["role"] = role

    @app.before_request
    def check_csrf() -> Any:
        if request.method in SAFE_METHODS:
            return None
        sent = request.headers.get(CSRF_HEADER) or request.form.get(CSRF_FIELD) or ""
        expected = session.get(CSRF_FIELD)
        if not isinstance(expected, str) or not secrets.compare_digest(
            sent.encode(), expected.encode()
        ):
            return error_response(
                "this request has no valid CSRF token: reload the page and try again "
                f"(scripts send the page's token as {CSRF_HEADER})",
                CSRF_FIELD,
                403,
            )
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        if not request.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response
