"""``GET /api/events``: the classroom's events as server-sent events.

Each client has its own bus subscription, read by the waitress thread serving it: a slow
client only falls behind on its own readings (the bus drops its oldest readings and console
lines), never slows a board or another client. A client that reconnects with
``Last-Event-ID`` gets every state, task and completion event it missed; one that cannot
be resumed (a first visit, a restarted server) first gets a ``snapshot`` event with every
board. A keep-alive comment goes out when nothing else has for a while, so a client that
went away is noticed (the write fails, waitress closes the generator, the subscription
ends).

Query: ``board=NAME`` only that board's events (a student always gets only their own
board's); ``only=board,task`` only those event kinds; ``last_id=ID`` as Last-Event-ID.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Response, request

from wearkit.classroom.bus import Posted
from wearkit.web.security import FACILITATOR, current_student, role, signed_in
from wearkit.web.state import classroom

bp = Blueprint("stream", __name__, url_prefix="/api")

#: What a student without a board is subscribed to: no board has this name.
NO_BOARD = "\x00"
#: Seconds a stream lets events gather after sending some (at most this much latency).
GATHER = 0.02
#: Milliseconds a browser waits before reconnecting.
RETRY_MS = 2000


def sse(data: dict[str, Any], *, event: str | None = None, event_id: str | None = None) -> str:
    """One server-sent event."""
    head = f"id: {event_id}\n" if event_id else ""
    if event:
        head += f"event: {event}\n"
    return f"{head}data: {json.dumps(data, separators=(',', ':'))}\n\n"


def _posted(posted: Posted) -> str:
    return f"id: {posted.id}\ndata: {posted.text}\n\n"


@bp.get("/events")
@signed_in
def events() -> Response:
    """The event stream (see the module's docstring)."""
    room = classroom()
    board = request.args.get("board") or None
    if role() != FACILITATOR:
        student = current_student()
        board = student.board if student and student.board else NO_BOARD
    elif board is not None:
        room.engine.board(board)  # 404 naming the board if there is none
    kinds = {k.strip() for k in request.args.get("only", "").split(",") if k.strip()}
    last_id = request.headers.get("Last-Event-ID") or request.args.get("last_id")
    sub, resumed = room.engine.bus.subscribe(last_id, board=board)
    with room.lock:
        room.streams.add(sub)
    snapshot = None
    if not resumed:
        snapshot = [b for b in room.boards_with_students() if board in (None, b["name"])]

    def generate() -> Iterator[str]:
        try:
            yield f"retry: {RETRY_MS}\n\n"
            if snapshot is not None:
                yield sse({"event": "snapshot", "boards": snapshot}, event="snapshot")
            while not room.closing.is_set() and not sub.closed:
                posted = sub.get(room.keepalive)
                if not posted:
                    yield ": keep-alive\n\n"
                    continue
                chunk = "".join(
                    _posted(p) for p in posted if not kinds or p.data.get("event") in kinds
                )
                if chunk:
                    yield chunk
                    # Let the next events gather: a client wakes at most 1/GATHER times a
                    # second, however many boards stream, so 30 pages following 30 boards
                    # cost the host tens of wake-ups a second each, not hundreds.
                    room.closing.wait(GATHER)
        finally:
            sub.close()
            with room.lock:
                room.streams.discard(sub)

    response = Response(generate(), mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"
    return response
