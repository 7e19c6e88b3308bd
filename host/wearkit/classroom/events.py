"""What happens during a run, as typed events: the CLI renders them as lines or JSON
lines (`--json`), the web app will stream them.

The JSON form is a public interface, documented in the README and versioned by
`STREAM_VERSION`: every line has ``v``, ``event`` (the kind) and ``at`` (Unix time), plus
``board`` and ``port`` when the run is on a named board; the other fields are each event's
own. Add fields freely; rename or remove one only with a new version.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from typing import Any, ClassVar

#: The version of the JSON event stream (`wearkit run/try/demo --json`).
STREAM_VERSION = 1


def checkbox(state: str) -> str:
    """A checklist's box: [x] done, [-] failed, [ ] pending."""
    return {"done": "[x]", "failed": "[-]"}.get(state, "[ ]")


@dataclass
class Event:
    """Something a facilitator or a script following the run would want to know."""

    kind: ClassVar[str] = "event"
    at: float = field(default_factory=time.time, kw_only=True)
    board: str | None = field(default=None, kw_only=True)
    port: str | None = field(default=None, kw_only=True)

    def on(self, board: str, port: str) -> Event:
        """Tag this event with the board it happened on; returns it (a run tags each
        event it makes before anyone sees it, so tagging in place is safe and cheap)."""
        self.board, self.port = board, port
        return self

    def fields(self) -> dict[str, Any]:
        """The event's own fields (without the envelope)."""
        skip = {"at", "board", "port"}
        return {
            f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in skip
        }

    def line(self) -> str | None:
        """What a person reads about this event, one line or a few (None: nothing)."""
        return None

    def to_json(self) -> dict[str, Any]:
        """The event as one line of the `--json` stream (a JSON-ready dict)."""
        data: dict[str, Any] = {"v": STREAM_VERSION, "event": self.kind, "at": round(self.at, 3)}
        if self.board is not None:
            data["board"] = self.board
            data["port"] = self.port
        data.update(self.fields())
        return data


@dataclass
class RuntimeFile(Event):
    """A file of the kit runtime was put on the board (it was missing or outdated)."""

    kind: ClassVar[str] = "runtime"
    file: str
    bytes: int

    def line(self) -> str | None:
        return f"installing the kit runtime: {self.file} ({self.bytes} bytes)"


@dataclass
class Started(Event):
    """The activity's script is running: the runtime said hello."""

    kind: ClassVar[str] = "started"
    t_ms: int
    runtime: Any

    def line(self) -> str | None:
        return f"board ready: {self.runtime}"


@dataclass
class Reading(Event):
    """A sample of the board's sensors (``values``: name -> number); ``seq`` is the
    frame's sequence number on the board."""

    kind: ClassVar[str] = "reading"
    t_ms: int
    values: dict[str, Any]
    seq: int | None = None

    def line(self) -> str | None:
        values = " ".join(f"{k}={v}" for k, v in self.values.items())
        return f"  {self.t_ms / 1000:7.1f}s  {values}"


@dataclass
class Report(Event):
    """The script reported a metric's value (``kit.report``)."""

    kind: ClassVar[str] = "report"
    t_ms: int
    name: str
    value: Any

    def line(self) -> str | None:
        return f"  {self.t_ms / 1000:7.1f}s  {self.name} = {self.value}"


@dataclass
class BoardEvent(Event):
    """Something happened on the board (``kit.event``)."""

    kind: ClassVar[str] = "event"
    t_ms: int
    name: str
    value: Any = None

    def line(self) -> str | None:
        return f"  {self.t_ms / 1000:7.1f}s  event: {self.name}"


@dataclass
class Console(Event):
    """A line the script printed that is not a frame (a student's own ``print``)."""

    kind: ClassVar[str] = "console"
    text: str

    def line(self) -> str | None:
        return f"  board> {self.text}"


@dataclass
class TaskChanged(Event):
    """A task was done or failed (``state``), with why (``detail``) and by whom (``by``)."""

    kind: ClassVar[str] = "task"
    id: str
    title: str
    state: str  # done | failed
    detail: str
    t_ms: int | None = None
    by: str | None = None

    def line(self) -> str | None:
        return f"{checkbox(self.state)} {self.title}  ({self.detail})"


@dataclass
class Completed(Event):
    """Every task is done: the badge is earned and its completion is in the store."""

    kind: ClassVar[str] = "completed"
    activity: str
    badge: str
    learner: str | None
    key: str  # the completion's idempotency key
    recorded: bool  # False when the run keeps no record (wearkit try)

    def line(self) -> str | None:
        return f"*** badge earned: {self.badge} ***"


@dataclass
class StoreTrouble(Event):
    """The store cannot be written right now; the run goes on and keeps retrying."""

    kind: ClassVar[str] = "store_error"
    message: str


@dataclass
class CompletionKept(Event):
    """The store stayed unwritable: the completion was kept aside (``path``) and goes into
    the store the next time wearkit opens it; ``path`` is None if nothing could be
    written, and then ``message`` holds the completion itself."""

    kind: ClassVar[str] = "completion_kept"
    path: str | None
    message: str


@dataclass
class Finished(Event):
    """The run ended: ``outcome`` is complete | incomplete | error | interrupted."""

    kind: ClassVar[str] = "finished"
    outcome: str
    tasks: list[dict[str, Any]]
    traceback: str
    run_id: int | None
    frames: int
    corrupted: int
    lost: int

    def line(self) -> str | None:
        tasks = [f"  {checkbox(t['state'])} {t['title']}  ({t['detail']})" for t in self.tasks]
        return "\n".join([f"run {self.outcome}:", *tasks])


@dataclass
class BoardState(Event):
    """A board of a classroom run changed state: running | done | lost | error."""

    kind: ClassVar[str] = "state"
    state: str
    error: str = ""

    def line(self) -> str | None:
        return f"{self.state}: {self.error}" if self.state in ("lost", "error") else None


@dataclass
class BoardUpdate(Event):
    """A board of a long-lived classroom (`wearkit serve`) changed: it was found, lost or
    probed, a run started or ended, a task ticked. ``status`` is the whole board, as
    ``GET /api/boards`` gives it."""

    kind: ClassVar[str] = "board"
    status: dict[str, Any]


#: Every event kind, for the README's table and for readers of the stream.
EVENT_TYPES: tuple[type[Event], ...] = (
    RuntimeFile,
    Started,
    Reading,
    Report,
    BoardEvent,
    Console,
    TaskChanged,
    Completed,
    StoreTrouble,
    CompletionKept,
    Finished,
    BoardState,
    BoardUpdate,
)
