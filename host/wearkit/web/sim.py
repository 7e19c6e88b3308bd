"""The virtual boards' panel: set their sensors, shake them, walk with them, unplug them.

``POST /api/sim/<board>/sensors`` ``{name: value}`` (null clears a value) works for any
running virtual board; ``shake`` and ``walk`` feed its accelerometer from a host thread
for a few seconds, as a shaken or walking wrist would; ``unplug`` and ``replug`` are for
the boards this server started (`wearkit serve --sim N`). A student may play with their
own board only.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from flask import Blueprint, jsonify

from wearkit.classroom import lifecycle as lc
from wearkit.errors import SimError
from wearkit.sensors import LIVE
from wearkit.sim import registry, write_live
from wearkit.web.errors import ApiError, json_body
from wearkit.web.security import facilitator_only, may_see_board, signed_in
from wearkit.web.state import Classroom, classroom

bp = Blueprint("sim", __name__, url_prefix="/api/sim")

#: Seconds of motion a button press gives, and updates a second while it lasts.
WALK_SECONDS = 12.0
SHAKE_SECONDS = 2.0
MOTION_HZ = 25


def _virtual(room: Classroom, name: str) -> dict[str, Any]:
    if not may_see_board(name):
        raise ApiError("a student can play with their own board only", field="board", status=403)
    board = room.board(name)
    if board["kind"] != "virtual":
        raise ApiError(
            f"board {name} is a real board: move it, or its sensors, with your hands",
            field="board",
            status=409,
        )
    return board


def _setter(room: Classroom, board: dict[str, Any]) -> Callable[[Mapping[str, Any]], Any]:
    own = room.virtual_board(board["name"])
    if own is not None:
        return lambda values: write_live(own.state_dir, values)
    state_dir = registry.state_dir_of(board["port"])
    return lambda values: write_live(state_dir, values)


@bp.post("/<name>/sensors")
@signed_in
def sensors(name: str) -> Any:
    """Set live sensor values: ``{"light": 20, "button_a": 1, "temp": null}``."""
    room = classroom()
    board = _virtual(room, name)
    data = json_body()
    values: dict[str, float | int | None] = {}
    for key, value in data.items():
        if key not in LIVE:
            raise ApiError(f"unknown sensor {key!r}; known: {', '.join(LIVE)}", field=key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise ApiError(f"{key} must be a number or null, not {value!r}", field=key)
        problem = None if value is None else LIVE[key].problem(value)
        if problem is not None:
            raise ApiError(problem, field=key)
        values[key] = value
    if not values:
        raise ApiError('give at least one sensor value, like {"light": 20}', field="body")
    try:
        live = _setter(room, board)(values)
    except SimError as exc:
        raise ApiError(str(exc), field="board", status=409) from None
    return jsonify({"board": name, "live": live})


def _walk(t: float) -> dict[str, float]:
    # Two steps a second: the body's bounce at the cadence (the pull on z swings 300 mg
    # either side of 1 g) and the arm's swing at half the cadence on x. Live values reach a
    # virtual board 20 times a second, so a heel strike's 30 ms spike would be lost: a
    # smooth bounce is what the board can see.
    step = 2 * math.pi * 2.0 * t
    return {
        "ax": round(150 * math.sin(step / 2)),
        "ay": round(40 * math.sin(step / 2)),
        "az": round(-1000 - 300 * math.cos(step)),
    }


def _shake(t: float) -> dict[str, float]:
    # About 6 shakes a second, strong on x and a little on y.
    return {
        "ax": round(1500 * math.sin(2 * math.pi * 6 * t)),
        "ay": round(400 * math.cos(2 * math.pi * 6 * t)),
        "az": -1000,
    }


MOTIONS: dict[str, tuple[Callable[[float], dict[str, float]], float]] = {
    "walk": (_walk, WALK_SECONDS),
    "shake": (_shake, SHAKE_SECONDS),
}


def _move(setter: Callable[[Mapping[str, Any]], Any], kind: str, stop: threading.Event) -> None:
    shape, seconds = MOTIONS[kind]
    start = time.monotonic()
    try:
        while not stop.is_set() and (t := time.monotonic() - start) < seconds:
            setter(shape(t))
            stop.wait(1 / MOTION_HZ)
    except (SimError, OSError):
        return  # the board went away; nothing to clear
    if not stop.is_set():
        setter({"ax": None, "ay": None, "az": None})


@bp.post("/<name>/<any(shake, walk):kind>")
@signed_in
def motion(name: str, kind: str) -> Any:
    """Shake the board for 2 s, or walk with it for 12 s (two steps a second)."""
    room = classroom()
    board = _virtual(room, name)
    profile = room.engine.profiles.get(board["family"] or "")
    if profile is None or "accel" not in profile.capabilities:
        raise ApiError(f"board {name} has no accelerometer to {kind}", field="board", status=409)
    try:
        setter = _setter(room, board)
    except SimError as exc:
        raise ApiError(str(exc), field="board", status=409) from None
    stop = threading.Event()
    with room.lock:
        previous = room.motions.get(name)
        if previous is not None:
            previous.set()
        room.motions[name] = stop
    threading.Thread(
        target=_move, args=(setter, kind, stop), name=f"sim-{kind}-{name}", daemon=True
    ).start()
    return jsonify({"board": name, "motion": kind, "seconds": MOTIONS[kind][1]}), 202


@bp.post("/<name>/<any(unplug, replug):action>")
@facilitator_only
def plug(name: str, action: str) -> Any:
    """Pull a virtual board's cable out, or plug it back in."""
    room = classroom()
    board = _virtual(room, name)
    own = room.virtual_board(name)
    if own is None:
        raise ApiError(
            f"board {name} was not started by this server: use `wearkit fault PORT unplug` "
            "in the terminal that runs it",
            field="board",
            status=409,
        )
    if action == "unplug":
        if board["state"] == lc.LOST and own.unplugged:
            raise ApiError(f"board {name} is already unplugged", field="board", status=409)
        own.unplug()
    else:
        if not own.unplugged:
            raise ApiError(f"board {name} is plugged in already", field="board", status=409)
        own.replug()
    return jsonify({"board": name, "action": action}), 202
