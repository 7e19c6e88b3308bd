"""Running an activity on a board: push the runtime and the script, follow the frames,
tick the tasks, record the run, and record a completion the moment it is earned.

This is the one function the CLI (`wearkit run`, `wearkit try`) and, later, the web app
call. It reports what happens through an ``on_event`` callback and never prints.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wearkit import paths
from wearkit.activities import Activity, TaskTracker, TaskUpdate
from wearkit.errors import LinkError
from wearkit.frames import ConsoleLine, Frame, FrameDecoder
from wearkit.link import Link
from wearkit.store import Store

VERSION_FILE = "kitver.txt"
_FRAME_BATCH_SECONDS = 0.5


@dataclass(frozen=True)
class RunEvent:
    """Something a user would want to see during a run."""

    kind: str  # runtime | started | reading | report | event | task | console | finished
    data: dict[str, Any] = field(default_factory=dict)
    at: float = field(default_factory=time.time)


EventCallback = Callable[[RunEvent], None]


@dataclass(frozen=True)
class RunOutcome:
    """How a run ended."""

    outcome: str  # complete | incomplete | error | interrupted
    tasks: list[dict[str, Any]]
    console: str
    traceback: str
    run_id: int | None
    completion_key: str | None
    first_reading_s: float | None
    seconds: float
    frames: int
    corrupted: int
    lost: int

    @property
    def complete(self) -> bool:
        """Every task of the activity is done."""
        return self.outcome == "complete"


# -- the on-device runtime ---------------------------------------------------------------


def runtime_files(firmware: Path | None = None) -> dict[str, bytes]:
    """The runtime that goes on a board: kit.py and every hardware layer (flat files)."""
    folder = firmware or paths.firmware_dir()
    files = {p.name: p.read_bytes() for p in sorted(folder.glob("kit*.py"))}
    if "kit.py" not in files:
        raise LinkError(f"{folder}: kit.py is missing; reinstall wearkit")
    return files


def runtime_version(files: dict[str, bytes]) -> str:
    """A short fingerprint of the runtime's files, stored on the board beside them."""
    digest = hashlib.sha256()
    for name, data in sorted(files.items()):
        digest.update(name.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()[:16]


def ensure_runtime(link: Link, on_event: EventCallback | None = None) -> bool:
    """Put the runtime on the board if it is missing or outdated; True if it was pushed."""
    files = runtime_files()
    version = runtime_version(files)
    installed = link.exec(
        f"try:\n f=open({VERSION_FILE!r})\n print(f.read())\n f.close()\n"
        "except OSError:\n print('none')"
    ).strip()
    if installed == version:
        return False
    for name, data in files.items():
        link.put(data, name)
        if on_event:
            on_event(RunEvent("runtime", {"file": name, "bytes": len(data)}))
    # Written last: an install cut short is seen as outdated next time.
    link.put(version.encode(), VERSION_FILE)
    return True


# -- a run ---------------------------------------------------------------------------------


class _RunRecorder:
    """Turns the board's output into tracker updates, events and store rows."""

    def __init__(
        self,
        activity: Activity,
        store: Store | None,
        run_id: int | None,
        board_name: str,
        on_event: EventCallback | None,
        learner: str | None,
    ) -> None:
        self.activity = activity
        self.tracker = TaskTracker(activity)
        self.decoder = FrameDecoder()
        self.store = store
        self.run_id = run_id
        self.board_name = board_name
        self.on_event = on_event
        self.learner = learner
        self.console: list[str] = []
        self.pending_frames: list[Frame] = []
        self.flushed_at = time.monotonic()
        self.started = time.monotonic()
        self.first_reading_s: float | None = None
        self.completion_key: str | None = None
        self.lock = threading.Lock()

    def emit(self, kind: str, **data: Any) -> None:
        if self.on_event:
            self.on_event(RunEvent(kind, data))

    def take(self, data: bytes) -> None:
        with self.lock:
            for item in self.decoder.feed(data):
                self._one(item)
            if time.monotonic() - self.flushed_at > _FRAME_BATCH_SECONDS:
                self.flush_frames()

    def finish_output(self) -> None:
        with self.lock:
            for item in self.decoder.flush():
                self._one(item)
            self.flush_frames()

    def _one(self, item: Frame | ConsoleLine) -> None:
        if isinstance(item, ConsoleLine):
            self.console.append(item.text)
            if self.store and self.run_id is not None:
                self.store.append_console(self.run_id, item.text + "\n")
            self.emit("console", text=item.text)
            return
        self.pending_frames.append(item)
        if item.kind in ("sample", "report", "event") and self.first_reading_s is None:
            self.first_reading_s = time.monotonic() - self.started
        if item.kind == "sample":
            self.emit("reading", t_ms=item.t_ms, values=item.value)
        elif item.kind in ("report", "event"):
            self.emit(item.kind, t_ms=item.t_ms, name=item.name, value=item.value)
        elif item.kind == "hello":
            self.emit("started", t_ms=item.t_ms, runtime=item.value)
        self.apply(self.tracker.feed(item))

    def apply(self, updates: Iterable[TaskUpdate]) -> None:
        for update in updates:
            if self.store and self.run_id is not None:
                self.store.set_task_result(
                    self.run_id, update.task.id, update.state, update.detail, update.t_ms,
                    signed_off_by=update.by,
                )  # fmt: skip
            self.emit("task", id=update.task.id, title=update.task.title, state=update.state,
                      detail=update.detail, t_ms=update.t_ms, by=update.by)  # fmt: skip
        if self.tracker.complete and self.completion_key is None:
            self.record_completion()

    def record_completion(self) -> None:
        """Written the moment the last task ticks, before anything else can go wrong."""
        if self.store and self.run_id is not None:
            self.flush_frames()
            completion = self.store.record_completion(
                self.run_id, self.activity.slug, self.board_name, learner=self.learner
            )
            self.completion_key = completion.idempotency_key
        else:
            self.completion_key = "unrecorded"
        self.emit("completed", activity=self.activity.slug, badge=self.activity.badge.name)

    def flush_frames(self) -> None:
        if self.pending_frames and self.store and self.run_id is not None:
            self.store.add_frames(self.run_id, self.pending_frames)
        self.pending_frames = []
        self.flushed_at = time.monotonic()

    def checklist(self) -> list[dict[str, Any]]:
        return [
            {"id": s.task.id, "title": s.task.title, "state": s.state, "detail": s.detail}
            for s in self.tracker.status()
        ]


def run_activity(
    link: Link,
    activity: Activity,
    *,
    board_family: str,
    board_name: str,
    store: Store | None = None,
    on_event: EventCallback | None = None,
    timeout: float | None = None,
    stop: threading.Event | None = None,
    sign_off: Iterable[str] = (),
    signed_off_by: str = "facilitator",
    learner: str | None = None,
    stop_when_complete: bool = False,
) -> RunOutcome:
    """Run ``activity`` on the board behind ``link`` and follow it to the end.

    The runtime is pushed if missing or outdated; the board is soft-reset so the run
    starts clean (and a virtual board's clock starts at 0). The script is stopped with
    Ctrl-C after ``timeout`` seconds (default: its time limit plus a margin) or when
    ``stop`` is set, or once every task is done if ``stop_when_complete``. Tasks named in
    ``sign_off`` are signed off by ``signed_off_by``.
    """
    started = time.monotonic()
    ensure_runtime(link, on_event)
    link.soft_reset()
    run_id = None
    if store is not None:
        run_id = store.start_run(
            port=getattr(link, "port", ""), board_family=board_family, board_name=board_name,
            activity_slug=activity.slug, activity_title=activity.title,
        )  # fmt: skip
    recorder = _RunRecorder(activity, store, run_id, board_name, on_event, learner)
    for task_id in sign_off:
        update = recorder.tracker.sign_off(task_id, signed_off_by)
        if update is not None:
            recorder.apply([update])
    script = activity.script.read_text(encoding="utf-8")
    limit = timeout if timeout is not None else activity.time_limit * 1.5 + 10
    try:
        halt = _Halt(stop, recorder if stop_when_complete else None)
        result = link.execute(script, on_output=recorder.take, timeout=limit, stop=halt)
    except LinkError as exc:
        recorder.finish_output()
        outcome = "complete" if recorder.tracker.complete else "error"
        _close_run(store, run_id, outcome, str(exc), recorder)
        if outcome == "complete":
            # The badge was earned before the board went away: that is what counts.
            return _outcome(recorder, outcome, str(exc), run_id, started)
        raise
    recorder.finish_output()
    recorder.apply(recorder.tracker.finish())
    if recorder.tracker.complete:
        outcome = "complete"
    elif result.interrupted:
        outcome = "interrupted"
    else:
        outcome = "incomplete"
    traceback = "" if result.interrupted else result.error
    if result.timed_out:
        traceback = f"stopped after {limit:.0f} s: the script was still running"
    _close_run(store, run_id, outcome, traceback or None, recorder)
    run_outcome = _outcome(recorder, outcome, traceback, run_id, started)
    recorder.emit("finished", outcome=outcome, tasks=run_outcome.tasks, traceback=traceback)
    return run_outcome


class _Halt(threading.Event):
    """Set when the caller stops the run, or (optionally) once the activity is complete."""

    def __init__(self, stop: threading.Event | None, recorder: _RunRecorder | None) -> None:
        super().__init__()
        self._stop = stop
        self._recorder = recorder

    def is_set(self) -> bool:
        return (self._stop is not None and self._stop.is_set()) or (
            self._recorder is not None and self._recorder.tracker.complete
        )


def _close_run(
    store: Store | None, run_id: int | None, outcome: str, error: str | None, rec: _RunRecorder
) -> None:
    if store is None or run_id is None:
        return
    stats = rec.decoder.stats
    store.finish_run(
        run_id, outcome, error=error, frames=stats.frames, corrupted=stats.corrupted,
        lost=stats.lost,
    )  # fmt: skip


def _outcome(
    rec: _RunRecorder, outcome: str, traceback: str, run_id: int | None, started: float
) -> RunOutcome:
    stats = rec.decoder.stats
    return RunOutcome(
        outcome=outcome,
        tasks=rec.checklist(),
        console="\n".join(rec.console),
        traceback=traceback,
        run_id=run_id,
        completion_key=rec.completion_key,
        first_reading_s=rec.first_reading_s,
        seconds=time.monotonic() - started,
        frames=stats.frames,
        corrupted=stats.corrupted,
        lost=stats.lost,
    )
