"""How the CLI shows a run's events: readable lines, or JSON lines with --json.

The JSON lines are `Event.to_json()` (see classroom/events.py and the README): a public,
versioned interface. Readable lines are for people and may change.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Sequence
from typing import Any

import click

from wearkit.classroom import events as ev
from wearkit.classroom.group import SeatResult


class Output:
    """stdout that tolerates its reader going away (`wearkit run ... | head`): the first
    broken pipe sets ``stop`` (the run ends as interrupted) and output goes quiet."""

    def __init__(self, stop: threading.Event | None = None) -> None:
        self.stop = stop
        self.closed = False

    def line(self, text: str, err: bool = False) -> None:
        if self.closed and not err:
            return
        try:
            click.echo(text, err=err)
            if not err:
                sys.stdout.flush()
        except BrokenPipeError:
            self.closed = True
            if self.stop is not None:
                self.stop.set()


class RunRenderer:
    """Shows one run's events."""

    def __init__(self, as_json: bool, out: Output | None = None, tag: str = "") -> None:
        self.as_json = as_json
        self.out = out or Output()
        self.tag = tag
        self.last_reading = 0.0

    def __call__(self, event: ev.Event) -> None:
        if isinstance(event, (ev.StoreTrouble, ev.CompletionKept)):
            # Said on stderr with --json too: the facilitator must see where a badge is.
            self.out.line(f"{self._prefix(event)}warning: {event.message}", err=True)
        if self.as_json:
            self.out.line(json.dumps(event.to_json(), default=str))
            return
        text = self.text(event)
        if text is not None:
            self.out.line(text)
        if isinstance(event, ev.Finished) and event.traceback:
            self.out.line(_indent(event.traceback, self._prefix(event)), err=True)

    def _prefix(self, event: ev.Event) -> str:
        return ""  # one board: no need to say which

    def text(self, event: ev.Event) -> str | None:
        """The readable lines for ``event`` (None: not worth a line): readings at most
        twice a second, every line tagged with the board in a classroom run."""
        if isinstance(event, ev.Reading):
            if event.at - self.last_reading < 0.5:
                return None
            self.last_reading = event.at
        line = event.line()
        if line is None:
            return None
        prefix = self._prefix(event)
        return "\n".join(prefix + part for part in line.split("\n"))


class ClassroomRenderer(RunRenderer):
    """A classroom run: what matters per board, tagged with its name; readings only in
    JSON (thirty boards' readings would scroll past unread); a table at the end."""

    def _prefix(self, event: ev.Event) -> str:
        return f"[{event.board}] " if event.board else ""

    #: Readings and runtime files: thirty boards' would scroll past unread (JSON has them).
    QUIET = (ev.Reading, ev.Report, ev.BoardEvent, ev.Started, ev.RuntimeFile)

    def text(self, event: ev.Event) -> str | None:
        if isinstance(event, self.QUIET):
            return None
        if isinstance(event, ev.Finished):  # the table at the end has each board's tasks
            return f"{self._prefix(event)}run {event.outcome}"
        return super().text(event)

    def summary(self, results: Sequence[SeatResult]) -> None:
        """A table: each board's outcome, tasks done, and why it did not finish."""
        if self.as_json:
            return
        self.out.line("")
        self.out.line(f"{'board':<6} {'family':<15} {'outcome':<12} {'tasks':<6} why not")
        for result in results:
            outcome = result.outcome
            state = outcome.outcome if outcome else result.state
            tasks = outcome.tasks if outcome else []
            done = sum(t["state"] == "done" for t in tasks)
            self.out.line(
                f"{result.seat.name:<6} {result.seat.family:<15} {state:<12} "
                f"{done}/{len(tasks):<4} {why_not(result)}"
            )


def why_not(result: SeatResult) -> str:
    """In a few words, why a board's run did not complete ('' if it did)."""
    outcome = result.outcome
    if outcome is None:
        return result.error
    if outcome.complete:
        return ""
    if outcome.outcome == "interrupted":
        return "stopped before it was finished"
    if outcome.traceback:
        return outcome.traceback.strip().splitlines()[-1]
    missed = [f"{t['title']} ({t['detail']})" for t in outcome.tasks if t["state"] != "done"]
    return "; ".join(missed)


def _indent(text: str, prefix: str) -> str:
    lines = text.replace("\r\n", "\n").rstrip().splitlines()
    return "\n".join(prefix + line for line in lines)


def exit_code(outcomes: Sequence[Any]) -> int:
    """0 when every run is complete, 1 when one ended incomplete or interrupted."""
    return 0 if all(o is not None and o.complete for o in outcomes) else 1
