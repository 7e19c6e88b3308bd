"""Checking a run's tasks from its frames (sans-IO): the live checklist."""

from __future__ import annotations

from dataclasses import dataclass

from wearkit.activities._fields import fmt
from wearkit.activities.criteria import Progress
from wearkit.activities.model import Activity, Task, TaskState
from wearkit.errors import ActivityError
from wearkit.frames import FrameLike

_RUN_KINDS = frozenset({"hello", "report", "event", "sample", "done"})


@dataclass(frozen=True)
class TaskUpdate:
    """A task that just became done or failed.

    ``t_ms`` is the board clock of the frame that decided it (for a sign-off, of the last
    frame seen, or None before any), ``elapsed_ms`` the same since the run's first frame."""

    task: Task
    state: TaskState
    t_ms: int | None
    elapsed_ms: int | None
    detail: str
    by: str | None = None


@dataclass(frozen=True)
class TaskStatus:
    """One line of the live checklist."""

    task: Task
    state: TaskState
    detail: str


@dataclass
class _TaskRun:
    """One task's state in this run, and what its check has seen."""

    progress: Progress
    state: TaskState = "pending"
    elapsed_ms: int | None = None
    failed_because: str = ""


class TaskTracker:
    """Ticks an activity's tasks from one run's frames (sans-IO).

    Feed it every frame of the run in order; it ignores what it does not understand. Times are
    the board's clock. A task's ``within`` never counts from the run's start (see
    :mod:`wearkit.activities.criteria`): an event task needs its ``count`` events within any
    window of that length; a metric task fails ``within`` seconds after its first progress.
    A task once done stays done. A ``done`` frame ends the run, failing every board task not
    done yet; facilitator tasks can still be signed off afterwards."""

    def __init__(self, activity: Activity) -> None:
        self.activity = activity
        self._runs = {
            task.id: _TaskRun(
                Progress(within_ms=None if task.within is None else round(task.within * 1000))
            )
            for task in activity.tasks
        }
        self._units = {name: metric.unit for name, metric in activity.metrics.items()}
        self.started_ms: int | None = None
        self.last_ms: int | None = None
        self.finished = False

    def feed(self, frame: FrameLike) -> list[TaskUpdate]:
        """Take one frame; return the tasks it newly completed or failed."""
        if self.finished or frame.kind not in _RUN_KINDS:
            return []
        if not isinstance(frame.t_ms, int) or isinstance(frame.t_ms, bool):
            return []
        if self.started_ms is None:
            self.started_ms = frame.t_ms
        self.last_ms = frame.t_ms
        elapsed = frame.t_ms - self.started_ms
        updates = self._expire(frame.t_ms)
        if frame.kind == "done":
            return updates + self.finish()
        for task in self.activity.board_tasks:
            run = self._runs[task.id]
            if run.state != "pending" or not task.check.observe(run.progress, frame):
                continue
            if task.check.met(run.progress):
                run.state = "done"
                run.elapsed_ms = elapsed
                updates.append(self._update(task, frame.t_ms))
        return updates

    def _expire(self, t_ms: int) -> list[TaskUpdate]:
        """Fail the pending tasks whose ``within`` ran out before board time ``t_ms``."""
        updates: list[TaskUpdate] = []
        for task in self.activity.board_tasks:
            run = self._runs[task.id]
            limit = run.progress.within_ms
            if run.state != "pending" or task.within is None or limit is None:
                continue
            since = task.check.clock_start(run.progress)
            if since is not None and t_ms - since > limit:
                run.state = "failed"
                run.failed_because = (
                    f"not done within {fmt(task.within)} s of its first progress "
                    f"({self._seconds(since)})"
                )
                updates.append(self._update(task, self.last_ms))
        return updates

    def _seconds(self, t_ms: int) -> str:
        """Board time ``t_ms`` as seconds since the run's first frame: ``12.3 s``."""
        return f"{(t_ms - (self.started_ms or 0)) / 1000:.1f} s"

    def sign_off(self, task_id: str, by: str) -> TaskUpdate | None:
        """A facilitator signs off task ``task_id``; None if it was already done."""
        task = self.activity.task(task_id)
        if not task.by_facilitator:
            raise ActivityError(
                f"{self.activity.slug}: task '{task_id}' is checked by the board, "
                "not signed off by a facilitator"
            )
        if not by.strip():
            raise ActivityError(f"{self.activity.slug}: task '{task_id}': say who signs it off")
        run = self._runs[task.id]
        if run.state == "done":
            return None
        run.state = "done"
        run.progress.by = by.strip()
        if self.started_ms is not None and self.last_ms is not None:
            run.elapsed_ms = self.last_ms - self.started_ms
        return self._update(task, self.last_ms)

    def finish(self) -> list[TaskUpdate]:
        """End the run (the script finished, stopped, or its board was lost): every board task
        not done yet fails. Later frames are ignored. Returns the newly failed tasks."""
        updates: list[TaskUpdate] = []
        if self.finished:
            return updates
        self.finished = True
        for task in self.activity.board_tasks:
            run = self._runs[task.id]
            if run.state == "pending":
                run.state = "failed"
                run.failed_because = "the run ended"
                updates.append(self._update(task, self.last_ms))
        return updates

    def status(self) -> list[TaskStatus]:
        """The checklist: every task in the activity's order, its state and progress."""
        return [
            TaskStatus(task, self._runs[task.id].state, self._detail(task))
            for task in self.activity.tasks
        ]

    def state(self, task_id: str) -> TaskState:
        """The state of task ``task_id``."""
        return self._runs[self.activity.task(task_id).id].state

    @property
    def complete(self) -> bool:
        """Whether every task is done: the badge is earned."""
        return all(run.state == "done" for run in self._runs.values())

    @property
    def board_tasks_complete(self) -> bool:
        """Whether every task the board can check is done (sign-offs aside)."""
        return all(self._runs[t.id].state == "done" for t in self.activity.board_tasks)

    def _update(self, task: Task, t_ms: int | None) -> TaskUpdate:
        run = self._runs[task.id]
        elapsed = None
        if t_ms is not None and self.started_ms is not None:
            elapsed = t_ms - self.started_ms
        return TaskUpdate(task, run.state, t_ms, elapsed, self._detail(task), run.progress.by)

    def _detail(self, task: Task) -> str:
        run = self._runs[task.id]
        text = task.check.describe(run.progress, self._units)
        if run.state == "done" and run.elapsed_ms is not None and run.progress.by is None:
            text += f" (at {run.elapsed_ms / 1000:.1f} s)"
        elif run.state == "failed":
            text = f"{run.failed_because}: {text}"
        elif run.progress.within_ms is not None:
            since = task.check.clock_start(run.progress)
            if since is not None:
                text += f", by {self._seconds(since + run.progress.within_ms)}"
        return text
