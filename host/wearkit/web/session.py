"""The session: the roster of students (nicknames only), their boards, the class code.

``GET /api/roster`` gives ``{"code", "students": [{"nickname", "learner", "board"}]}``;
``POST /api/roster`` changes it, one thing per request:

- ``{"nickname": "Sam J"}`` adds a student (a learner reference is made for them);
- ``{"nickname": "Sam J", "board": "ZOVIT"}`` adds them if needed and gives them the board
  (``"board": null`` takes it away);
- ``{"nickname": "Sam J", "remove": true}`` takes them off the roster;
- ``{"new_code": true}`` makes a new class code (everyone joined must join again).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, render_template, request

from wearkit.web.errors import ApiError, json_body, text_field
from wearkit.web.security import facilitator_only
from wearkit.web.state import classroom

bp = Blueprint("session", __name__)


@bp.get("/session")
@facilitator_only
def page() -> Any:
    """The roster page: the class code big enough for the projector, students, boards."""
    room = classroom()
    return render_template(
        "session.html",
        roster=room.roster.as_dict(),
        boards=room.engine.boards(),
        join_url=request.host_url + "join",
    )


@bp.get("/api/roster")
@facilitator_only
def roster() -> Any:
    """The roster."""
    return jsonify(classroom().roster.as_dict())


@bp.post("/api/roster")
@facilitator_only
def change() -> Any:
    """Add, assign, remove a student, or renew the class code (see the module)."""
    room = classroom()
    data = json_body()
    unknown = set(data) - {"nickname", "board", "remove", "new_code"}
    if unknown:
        field = sorted(unknown)[0]
        raise ApiError(
            f"unknown field {field!r}: give nickname (with board or remove) or new_code",
            field=field,
        )
    if data.get("new_code") is True:
        room.roster.renew_code()
        return jsonify(room.roster.as_dict())
    nickname = text_field(data, "nickname")
    assert nickname is not None
    status = 200
    if data.get("remove") is True:
        room.roster.remove(nickname)
        return jsonify(room.roster.as_dict())
    if room.roster.student(nickname) is None:
        room.roster.add(nickname)
        status = 201
    if "board" in data:
        board = data["board"]
        if board is not None and (not isinstance(board, str) or not board.strip()):
            raise ApiError("'board' must be a board's name or null", field="board")
        if board is not None:
            room.engine.board(board)  # 404 naming the board if there is none
        room.roster.assign(nickname, board)
    return jsonify(room.roster.as_dict()), status
