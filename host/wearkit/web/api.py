"""The JSON API of boards, activities and runs (the roster, completions, virtual boards and
the event stream have their own blueprints). Thin: check the request, call the engine."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from wearkit.web.errors import ApiError, json_body, text_field
from wearkit.web.security import (
    FACILITATOR,
    current_student,
    facilitator_only,
    may_see_board,
    role,
    signed_in,
)
from wearkit.web.state import classroom
from wearkit.web.views import activities_json

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/boards")
@signed_in
def boards() -> Any:
    """Every board (a student: only their own), each with its student's nickname."""
    found = classroom().boards_with_students()
    if role() != FACILITATOR:
        found = [b for b in found if may_see_board(b["name"])]
    return jsonify({"boards": found})


@bp.get("/boards/<name>")
@signed_in
def board(name: str) -> Any:
    """One board."""
    if not may_see_board(name):
        raise ApiError("a student sees only their own board", field="board", status=403)
    found = classroom().board(name)
    student = classroom().roster.on_board(name)
    found["student"] = student.nickname if student else None
    return jsonify(found)


@bp.get("/activities")
@signed_in
def activities() -> Any:
    """The catalogue, each activity with ``supported_by`` families and connected boards."""
    return jsonify({"activities": activities_json(classroom())})


@bp.post("/runs")
@facilitator_only
def start_runs() -> Any:
    """Start an activity on a board or a list of boards: ``{"board": ..., "activity": ...}``."""
    data = json_body()
    slug = text_field(data, "activity")
    assert slug is not None
    names = _board_names(data.get("board"))
    room = classroom()
    learners = room.roster.learners()
    ids = room.engine.start_runs(
        names, slug, learners={n: learners[n] for n in names if n in learners}
    )
    return jsonify({"runs": [room.engine.run(i) for i in ids]}), 201


@bp.post("/provision")
@facilitator_only
def provision() -> Any:
    """Put the runtime and the board's name on boards: ``{"board": NAME | [NAMES] | "all"}``
    (``"all"`` skips running, lost and unflashed boards). Answers 202 at once with the
    boards, each ``installing`` until its worker says ``ready`` on the event stream."""
    wanted = json_body().get("board")
    engine = classroom().engine
    if wanted == "all":
        names = engine.provision()
    else:
        names = engine.provision(_board_names(wanted))
    return jsonify({"boards": [engine.board(n) for n in names]}), 202


def _board_names(wanted: Any) -> list[str]:
    """``wanted`` as a list of board names; ApiError naming ``board`` if it is not one."""
    if isinstance(wanted, str) and wanted.strip():
        return [wanted.strip()]
    if (
        isinstance(wanted, list)
        and wanted
        and all(isinstance(n, str) and n.strip() for n in wanted)
    ):
        return [n.strip() for n in wanted]
    raise ApiError(
        "'board' must be a board's name or a non-empty list of names (GET /api/boards)",
        field="board",
    )


@bp.get("/runs")
@facilitator_only
def runs() -> Any:
    """Every run since the server started, newest first."""
    return jsonify({"runs": classroom().engine.runs()})


@bp.get("/runs/<int:run_id>")
@signed_in
def run(run_id: int) -> Any:
    """One run: its board, activity, learner, state, tasks, error."""
    found = classroom().engine.run(run_id)
    if not may_see_board(found["board"]):
        raise ApiError("a student sees only their own board's runs", field="run", status=403)
    return jsonify(found)


@bp.post("/runs/<int:run_id>/stop")
@facilitator_only
def stop(run_id: int) -> Any:
    """Stop a run; it ends as interrupted and keeps the tasks already done."""
    return jsonify(classroom().engine.stop_run(run_id))


@bp.post("/runs/<int:run_id>/signoff")
@facilitator_only
def sign_off(run_id: int) -> Any:
    """The facilitator signs off a task: ``{"task": id}``, during or after the run."""
    task = text_field(json_body(), "task")
    assert task is not None
    return jsonify(classroom().engine.sign_off(run_id, task, by="facilitator"))


@bp.get("/me")
@signed_in
def me() -> Any:
    """Who this session is: ``{"role": ..., "nickname": ..., "board": ...}``."""
    student = current_student()
    return jsonify(
        {
            "role": role(),
            "nickname": student.nickname if student else None,
            "board": student.board if student else None,
        }
    )
