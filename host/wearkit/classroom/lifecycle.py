"""A board's state in a classroom, and how events move it (no I/O here).

connected -> (probed) ready | needs runtime | needs firmware -> running -> complete | ready
ready | needs runtime | complete | error -> installing (provisioned: the runtime and its
name go on) -> ready | error
any state -> lost (its port went away) -> connected (it came back: probed again)

`BoardView` is what the dashboard shows about a board; `explain` says what is wrong with
a board in words a teacher understands, with what to do about it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

CONNECTED = "connected"
NEEDS_FIRMWARE = "needs firmware"
NEEDS_RUNTIME = "needs runtime"
READY = "ready"
RUNNING = "running"
COMPLETE = "complete"
LOST = "lost"
ERROR = "error"
INSTALLING = "installing"

STATES = (
    CONNECTED, NEEDS_FIRMWARE, NEEDS_RUNTIME, READY, INSTALLING, RUNNING, COMPLETE, LOST, ERROR
)  # fmt: skip
#: States in which a board takes a new run (a board still being probed runs once the
#: probe is done: its worker does one thing at a time).
STARTABLE = frozenset({CONNECTED, READY, NEEDS_RUNTIME, COMPLETE, ERROR})
#: States in which a board may be provisioned (not running, lost, being probed or flashed).
PROVISIONABLE = frozenset({READY, NEEDS_RUNTIME, COMPLETE, ERROR})


@dataclass
class BoardView:
    """Everything the dashboard shows about one board."""

    name: str
    port: str
    family: str | None
    kind: str  # the port source: usb | virtual
    state: str = CONNECTED
    problem: str = ""  # what is wrong, for a teacher (lost, error, needs ...)
    activity: str | None = None  # the slug of the current or last run
    activity_title: str | None = None
    learner: str | None = None
    run: int | None = None  # the engine's id of the current or last run
    outcome: str | None = None  # how the last run ended
    tasks: list[dict[str, Any]] = field(default_factory=list)
    latest: dict[str, Any] = field(default_factory=dict)  # the newest reading's values

    @property
    def done(self) -> int:
        """Tasks done in the current or last run."""
        return sum(1 for t in self.tasks if t["state"] == "done")

    def as_dict(self) -> dict[str, Any]:
        """The board as the JSON API and the event stream give it."""
        data = asdict(self)
        data["done"] = self.done
        data["total"] = len(self.tasks)
        return data


def probed(view: BoardView, state: str, problem: str = "") -> None:
    """A probe of a connected board said ``state`` (ready, needs runtime or firmware)."""
    if view.state in (CONNECTED, READY, NEEDS_RUNTIME, NEEDS_FIRMWARE, ERROR, INSTALLING):
        view.state, view.problem = state, problem


def installing(view: BoardView) -> None:
    """The board is queued to be provisioned: its worker reports progress, then ready."""
    view.state, view.problem = INSTALLING, explain(INSTALLING, "")


def gone(view: BoardView) -> None:
    """The board's port went away (unplugged, or its virtual board was switched off)."""
    view.state = LOST
    view.problem = explain(LOST, "")


def back(view: BoardView, port: str) -> None:
    """A lost board is plugged in again (perhaps on another port): it is probed again."""
    view.port = port
    view.state, view.problem = CONNECTED, ""


def run_started(
    view: BoardView, run: int, activity: str, title: str, tasks: list[dict[str, Any]]
) -> None:
    """A run of ``activity`` begins on the board."""
    view.state, view.problem = RUNNING, ""
    view.run, view.activity, view.activity_title, view.outcome = run, activity, title, None
    view.tasks = [dict(t) for t in tasks]
    view.latest = {}


def task_changed(view: BoardView, task_id: str, state: str, detail: str) -> None:
    """A task of the current run was done or failed."""
    for task in view.tasks:
        if task["id"] == task_id:
            task["state"], task["detail"] = state, detail


def run_finished(view: BoardView, outcome: str, tasks: list[dict[str, Any]], error: str) -> None:
    """The run ended (``outcome`` as `run_activity` says, or lost / error)."""
    if tasks:
        view.tasks = [dict(t) for t in tasks]
    view.outcome = outcome
    if outcome == LOST or view.state == LOST:
        view.state, view.problem = LOST, explain(LOST, error)
    elif outcome == "complete":
        view.state, view.problem = COMPLETE, ""
    elif outcome == ERROR:
        view.state, view.problem = ERROR, explain(ERROR, error)
    else:
        view.state, view.problem = READY, ""


def why_not(state: str) -> str:
    """What to do before a board in ``state`` takes a run or is provisioned."""
    return {
        RUNNING: "stop its run first",
        LOST: "plug it in again",
        INSTALLING: "wait until its runtime is installed",
        CONNECTED: "it is being looked at: try again in a moment",
    }.get(state, "flash MicroPython on it first")


def explain(state: str, error: str) -> str:
    """What is wrong with a board in ``state``, in a teacher's words, and what to do."""
    if state == LOST:
        return (
            "The board stopped answering: its cable may be loose or unplugged. Plug it in "
            "again; it comes back here by itself, and tasks already done are kept."
        )
    if state == NEEDS_FIRMWARE:
        return (
            "The board does not run MicroPython or CircuitPython yet. Flash it first "
            "(see 'Flashing' in the README)."
        )
    if state == NEEDS_RUNTIME:
        return "The board needs the wearkit runtime: it is installed when you start an activity."
    if state == INSTALLING:
        return "Installing the wearkit runtime and the board's name: leave it plugged in."
    if state == ERROR:
        lines = [line for line in error.strip().splitlines() if line.strip()]
        last = lines[-1] if lines else "something went wrong"
        return (
            f"The activity stopped with an error: {last}. Look at the board's page for the "
            "student's code and the whole message, then start the activity again."
        )
    return ""
