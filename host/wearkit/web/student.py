"""The student view: a student sees their own board only (its plot, checklist and the
activity's instructions), and can play with it if it is a virtual board."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, url_for

from wearkit.classroom.engine import EngineError
from wearkit.web.pages import board_context
from wearkit.web.security import STUDENT, current_student, role

bp = Blueprint("student", __name__)


@bp.get("/me")
def page() -> Any:
    """The joined student's board, or where to go if this browser has not joined."""
    if role() != STUDENT:
        return redirect(url_for("auth.join"))
    student = current_student()
    assert student is not None
    context: dict[str, Any] = {"nickname": student.nickname, "board": None}
    if student.board:
        try:
            context.update(board_context(student.board))
        except EngineError:
            pass  # assigned a board that is not here (yet)
    return render_template("student.html", **context)
