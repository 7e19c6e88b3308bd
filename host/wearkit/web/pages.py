"""The facilitator's pages: the dashboard, a board's page, the catalogue."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, render_template, request

from wearkit.classroom.engine import EngineError
from wearkit.web.security import facilitator_only
from wearkit.web.state import classroom
from wearkit.web.views import (
    activities_json,
    instructions,
    live_boards,
    sensor_table,
    sim_controls,
)

dashboard = Blueprint("dashboard", __name__)
catalogue = Blueprint("catalogue", __name__)


@dashboard.get("/")
@facilitator_only
def page() -> Any:
    """Every board, live; start, stop; what is wrong."""
    room = classroom()
    return render_template(
        "dashboard.html",
        boards=room.boards_with_students(),
        activities=activities_json(room),
        chosen=request.args.get("activity", ""),
    )


def board_context(name: str) -> dict[str, Any]:
    """What the board page and the student view show about board ``name``."""
    room = classroom()
    board = room.board(name)
    student = room.roster.on_board(name)
    board["student"] = student.nickname if student else None
    activity = room.activity(board["activity"] or "")
    tasks = {t.id: t.by_facilitator for t in activity.tasks} if activity else {}
    profile = room.engine.profiles.get(board["family"] or "")
    controls = sim_controls(profile) if profile and board["kind"] == "virtual" else []
    return {
        "board": board,
        "activity": activity,
        "facilitator_tasks": [t for t, by in tasks.items() if by],
        "instructions": instructions(activity) if activity else None,
        "controls": controls,
        "has_accel": bool(profile and "accel" in profile.capabilities),
        "own_fleet": room.virtual_board(name) is not None,
        "page_data": json.dumps(
            {
                "board": name,
                "activity": board["activity"],
                "run": board["run"],
                "sensors": sensor_table(),
                "facilitator_tasks": [t for t, by in tasks.items() if by],
            }
        ),
    }


@dashboard.get("/boards/<name>")
@facilitator_only
def board(name: str) -> Any:
    """One board: live plot, checklist, console, sign-offs, and a virtual board's panel."""
    return render_template("board.html", **board_context(name))


@catalogue.get("/activities", endpoint="page")
@facilitator_only
def catalogue_page() -> Any:
    """The activities the connected boards can run, each with its student instructions."""
    room = classroom()
    show_all = request.args.get("all") == "1"
    entries = []
    for item in activities_json(room):
        activity = room.activity(item["slug"])
        assert activity is not None
        if item["supported_by"]["boards"] or show_all:
            entries.append({**item, "instructions": instructions(activity)})
    return render_template(
        "catalogue.html",
        entries=entries,
        show_all=show_all,
        connected=len(live_boards(room)),
        total=len(room.engine.activities),
    )


__all__ = ["EngineError", "board_context", "catalogue", "dashboard"]
