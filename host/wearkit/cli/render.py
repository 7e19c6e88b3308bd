"""How the CLI shows a run's events: readable lines, or JSON lines with --json."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

_MARKS = {"done": "x", "failed": "-"}  # a checklist's boxes: [x] done, [-] failed, [ ] pending


class RunRenderer:
    """Shows a run's events: readable lines, or JSON lines with --json."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json
        self.last_reading = 0.0

    def __call__(self, event: Any) -> None:
        if self.as_json:
            click.echo(json.dumps({"event": event.kind, "at": round(event.at, 3), **event.data},
                                  default=str))  # fmt: skip
            sys.stdout.flush()
            return
        data = event.data
        if event.kind == "runtime":
            click.echo(f"installing the kit runtime: {data['file']} ({data['bytes']} bytes)")
        elif event.kind == "started":
            click.echo(f"board ready: {data['runtime']}")
        elif event.kind == "reading" and event.at - self.last_reading >= 0.5:
            self.last_reading = event.at
            values = " ".join(f"{k}={v}" for k, v in (data["values"] or {}).items())
            click.echo(f"  {data['t_ms'] / 1000:7.1f}s  {values}")
        elif event.kind == "report":
            click.echo(f"  {data['t_ms'] / 1000:7.1f}s  {data['name']} = {data['value']}")
        elif event.kind == "event":
            click.echo(f"  {data['t_ms'] / 1000:7.1f}s  event: {data['name']}")
        elif event.kind == "console":
            click.echo(f"  board> {data['text']}")
        elif event.kind == "task":
            mark = _MARKS.get(data["state"], " ")
            click.echo(f"[{mark}] {data['title']}  ({data['detail']})")
        elif event.kind == "completed":
            click.echo(f"*** badge earned: {data['badge']} ***")
        elif event.kind == "finished":
            click.echo(f"run {data['outcome']}:")
            for task in data["tasks"]:
                mark = _MARKS.get(task["state"], " ")
                click.echo(f"  [{mark}] {task['title']}  ({task['detail']})")
            if data.get("traceback"):
                click.echo(data["traceback"].replace("\r\n", "\n").rstrip(), err=True)


class ClassroomRenderer:
    """One line per board event worth a facilitator's glance; a table at the end."""

    def __init__(self, as_json: bool) -> None:
        self.as_json = as_json

    def __call__(self, seat: Any, event: Any) -> None:
        if self.as_json:
            click.echo(json.dumps({"board": seat.name, "port": seat.port, "event": event.kind,
                                   **event.data}, default=str))  # fmt: skip
            return
        tag = f"[{seat.name} {seat.family}]"
        data = event.data
        if event.kind == "task" and data["state"] == "done":
            click.echo(f"{tag} [x] {data['title']}  ({data['detail']})")
        elif event.kind == "completed":
            click.echo(f"{tag} *** badge earned: {data['badge']} ***")
        elif event.kind == "state" and data["state"] in ("lost", "error"):
            click.echo(f"{tag} {data['state']}: {data['error']}")
        elif event.kind == "finished":
            click.echo(f"{tag} run {data['outcome']}")

    def summary(self, results: list[Any]) -> None:
        if self.as_json:
            return
        click.echo("")
        click.echo(f"{'board':<6} {'family':<15} {'outcome':<12} tasks done")
        for result in results:
            outcome = result.outcome.outcome if result.outcome else result.state
            done = (sum(t["state"] == "done" for t in result.outcome.tasks)
                    if result.outcome else 0)  # fmt: skip
            total = len(result.outcome.tasks) if result.outcome else 0
            click.echo(f"{result.seat.name:<6} {result.seat.family:<15} {outcome:<12} "
                       f"{done}/{total}")  # fmt: skip


def exit_for(outcome: Any) -> None:
    """Exit 0 when the run is complete, 1 when it ended incomplete."""
    sys.exit(0 if outcome.complete else 1)
