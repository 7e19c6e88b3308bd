"""What the web app serves: the classroom engine, the store, the roster, the virtual fleet.

One `Classroom` per application, kept in ``app.extensions["wearkit"]``; views reach it with
`classroom()`. Views stay thin: they check the request, call the engine, the roster or
the store, and answer.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import current_app

from wearkit.activities import Activity
from wearkit.classroom.bus import Subscription
from wearkit.classroom.engine import Engine, EngineError
from wearkit.classroom.roster import Roster
from wearkit.store import Store

if TYPE_CHECKING:
    from wearkit.sim import Fleet, VirtualBoard

#: Seconds between two keep-alive comments on an idle event stream.
KEEPALIVE_SECONDS = 15.0


@dataclass
class Classroom:
    """Everything one `wearkit serve` shares between requests."""

    engine: Engine
    store: Store
    roster: Roster
    fleet: Fleet | None = None
    lan: bool = False
    passcode_hash: str | None = None
    keepalive: float = KEEPALIVE_SECONDS
    closing: threading.Event = field(default_factory=threading.Event)
    #: Board name -> the stop event of the shake or walk feeding its accelerometer.
    motions: dict[str, threading.Event] = field(default_factory=dict)
    #: Remote address -> (failed sign-ins in a row, monotonic time of the last one).
    failures: dict[str, tuple[int, float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: The open event streams' subscriptions, ended at once when the server stops.
    streams: set[Subscription] = field(default_factory=set)

    def close_streams(self) -> None:
        """The server is stopping: every event stream ends now (its thread is freed)."""
        self.closing.set()
        with self.lock:
            streams = list(self.streams)
        for sub in streams:
            sub.close()

    def activity(self, slug: str) -> Activity | None:
        """The activity ``slug`` of the engine's catalogue, or None."""
        return self.engine.activities.get(slug)

    def virtual_board(self, name: str) -> VirtualBoard | None:
        """The fleet's virtual board called ``name`` (None if this app started no such one)."""
        if self.fleet is None:
            return None
        return next((b for b in self.fleet.boards if b.name == name), None)

    def board(self, name: str) -> dict[str, Any]:
        """The engine's board ``name``; EngineError (404) if there is none."""
        return self.engine.board(name)

    def boards_with_students(self) -> list[dict[str, Any]]:
        """Every board, each with ``student`` (the nickname assigned to it, or None)."""
        nicknames = {s.board: s.nickname for s in self.roster.students if s.board}
        boards = self.engine.boards()
        for board in boards:
            board["student"] = nicknames.get(board["name"])
        return boards


def classroom() -> Classroom:
    """The classroom of the application handling this request."""
    found: Classroom = current_app.extensions["wearkit"]
    return found


__all__ = ["KEEPALIVE_SECONDS", "Classroom", "EngineError", "classroom"]
