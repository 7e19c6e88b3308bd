"""Signing in: the facilitator with the passcode (LAN mode), a student with the class code
and their nickname. The passcode is compared against its hash and never logged."""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, redirect, render_template, request, session, url_for
from werkzeug.security import check_password_hash

from wearkit.web.security import CSRF_FIELD, FACILITATOR, STUDENT, csrf_token, role
from wearkit.web.state import classroom

bp = Blueprint("auth", __name__)

#: Wrong passcodes in a row from one address before it must wait, and how long.
TRIES = 5
WAIT_SECONDS = 30.0


def _fresh_session(**values: Any) -> None:
    """A new session (no fixation: nothing of the old one survives but what is given)."""
    session.clear()
    session.update(values)
    csrf_token()


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("dashboard.page")


@bp.route("/signin", methods=["GET", "POST"])
def signin() -> Any:
    """The facilitator's sign-in (LAN mode); on 127.0.0.1 there is nothing to sign in to."""
    room = classroom()
    target = request.values.get("next")
    if not room.lan or room.passcode_hash is None:
        return redirect(_safe_next(target))
    error = None
    status = 200
    if request.method == "POST":
        address = request.remote_addr or "?"
        with room.lock:
            fails, last = room.failures.get(address, (0, 0.0))
        if fails >= TRIES and time.monotonic() - last < WAIT_SECONDS:
            error, status = f"too many wrong passcodes: wait {WAIT_SECONDS:.0f} seconds", 429
        elif check_password_hash(room.passcode_hash, request.form.get("passcode", "")):
            with room.lock:
                room.failures.pop(address, None)
            _fresh_session(**{FACILITATOR: True})
            return redirect(_safe_next(target))
        else:
            with room.lock:
                room.failures[address] = (fails + 1, time.monotonic())
            error, status = "that is not the passcode: try again", 401
    return render_template("signin.html", error=error, next=target), status


@bp.post("/signout")
def signout() -> Any:
    """Forget this browser's sign-in (facilitator or student)."""
    _fresh_session()
    return redirect(url_for("auth.join") if classroom().lan else url_for("dashboard.page"))


@bp.route("/join", methods=["GET", "POST"])
def join() -> Any:
    """A student joins: first the class code, then their nickname from the roster."""
    room = classroom()
    if role() == STUDENT:
        return redirect(url_for("student.page"))
    code = request.form.get("code", "")
    if request.method == "GET":
        return render_template("join.html", step="code", error=None)
    if not room.roster.code_matches(code):
        return (
            render_template(
                "join.html",
                step="code",
                error="that is not your class code: check the board at the front",
            ),
            401,
        )
    nickname = request.form.get("nickname")
    if nickname is None:
        names = [s.nickname for s in room.roster.students]
        return render_template("join.html", step="pick", code=code, names=names, error=None)
    student = room.roster.student(nickname)
    if student is None:
        names = [s.nickname for s in room.roster.students]
        return (
            render_template(
                "join.html",
                step="pick",
                code=code,
                names=names,
                error="that nickname is not on the roster: ask your facilitator",
            ),
            404,
        )
    _fresh_session(learner=student.learner, code=room.roster.code)
    return redirect(url_for("student.page"))


__all__ = ["CSRF_FIELD", "bp"]
