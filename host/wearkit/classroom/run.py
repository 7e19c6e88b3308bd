"""Running an activity on one board: put the runtime on it, send the script, follow the
frames, tick the tasks, and hand everything to a `RunLog` in batches.

This is the one function the CLI (`wearkit run`, `try`, `demo`) and the web app call. It
reports through an ``on_event`` callback and never prints. The completion is written in
the same transaction as the task result that earned it, before anyone is told; a store
that cannot be written never loses it (it is retried, then kept aside).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from wearkit.activities import Activity, TaskTracker, TaskUpdate
from wearkit.boards import BoardProfile
from wearkit.classroom import events as ev
from wearkit.errors import LinkError, StoreError
from wearkit.frames import ConsoleLine, Frame, FrameDecoder
from wearkit.link import Link
from wearkit.provision import ensure_runtime
from wearkit.runlog import Batch, CompletionRecord, RunLog, RunStart, TaskRecord

EventCallback = Callable[[ev.Event], None]

#: Seconds between batches written to the log while a run goes on (a completion is
#: written at once): one short transaction twice a second, however fast the board talks.
FLUSH_SECONDS = 0.5
#: A store that cannot be written is retried for this long once the board is done,
#: before the completion is kept aside.
_FINAL_RETRY_SECONDS = 2.0
#: Frames held for a store that cannot be written; beyond this, samples are dropped
#: (reports, events, tasks and the completion never are).
_HELD_FRAMES = 5000


@dataclass(frozen=True)
class Seat:
    """A board as a run knows it: where it is, what it is, what students call it,
    (optionally) the opaque reference of the learner using it, and the radio group (0 to
    255) its runs use: ``kit.group(group)`` is called before the script starts, so only
    boards on the same group hear each other. None: kit's default (group 0)."""

    port: str
    family: str
    name: str
    learner: str | None = None
    group: int | None = None


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
    kept_at: str | None = None  # where a completion the store refused was kept

    @property
    def complete(self) -> bool:
        """Every task of the activity is done."""
        return self.outcome == "complete"


def deadline(activity: Activity, speed: float = 1.0) -> float:
    """Seconds a run may take before its script is stopped: the activity's time limit on
    the board's clock, with a margin for boot, runtime install and a slow line."""
    return activity.time_limit / speed * 1.5 + 15


class _Recorder:
    """Turns the board's output into tracker updates, events and log batches."""

    def __init__(
        self,
        activity: Activity,
        seat: Seat,
        log: RunLog | None,
        run_id: int | None,
        emit: EventCallback,
    ) -> None:
        self.activity = activity
        self.seat = seat
        self.log = log
        self.run_id = run_id
        self.emit = emit
        self.tracker = TaskTracker(activity)
        self.decoder = FrameDecoder()
        self.batch = Batch()
        self.console: list[str] = []
        self.reports: dict[str, Any] = {}
        self.completion: CompletionRecord | None = None
        self.completion_written = False
        self.trouble: str | None = None
        self.kept_at: str | None = None
        self.started = time.monotonic()
        self.flushed_at = self.started
        self.first_reading_s: float | None = None
        self.lock = threading.Lock()

    def take(self, data: bytes) -> None:
        with self.lock:
            for item in self.decoder.feed(data):
                self._one(item)
            if time.monotonic() - self.flushed_at >= FLUSH_SECONDS:
                self.flush()

    def finish_output(self) -> None:
        with self.lock:
            for item in self.decoder.flush():
                self._one(item)
            self.flush()

    def _one(self, item: Frame | ConsoleLine) -> None:
        if isinstance(item, ConsoleLine):
            self.console.append(item.text)
            self.batch.console.append(item.text)
            self.emit(ev.Console(item.text))
            return
        self.batch.frames.append(item)
        kind = item.kind
        if kind in ("sample", "report", "event") and self.first_reading_s is None:
            self.first_reading_s = time.monotonic() - self.started
        if kind == "sample":
            values = item.value if isinstance(item.value, dict) else {}
            self.emit(ev.Reading(item.t_ms, values, seq=item.seq))
        elif kind == "report":
            self.reports[str(item.name)] = item.value
            self.emit(ev.Report(item.t_ms, str(item.name), item.value))
        elif kind == "event":
            self.emit(ev.BoardEvent(item.t_ms, str(item.name), item.value))
        elif kind == "hello":
            self.emit(ev.Started(item.t_ms, item.value))
        self.apply(self.tracker.feed(item))

    def apply(self, updates: Iterable[TaskUpdate]) -> None:
        """Log task updates; the one that completes the activity commits with the
        completion before its event is emitted."""
        updates = list(updates)
        for u in updates:
            self.batch.tasks.append(
                TaskRecord(u.task.id, u.state, u.detail, u.t_ms, signed_off_by=u.by)
            )
        earned = self.tracker.complete and self.completion is None
        if earned:
            self.completion = CompletionRecord(
                activity_slug=self.activity.slug,
                board_name=self.seat.name,
                learner=self.seat.learner,
                completed_at=datetime.now(timezone.utc),
                idempotency_key=uuid.uuid4().hex,
                evidence={"tasks": self.checklist(), "readings": dict(self.reports)},
            )
            self.batch.completion = self.completion
            if not self.flush():
                # The store refused the badge: keep it aside now, before the tick is
                # printed (a kill a moment later must not lose what was shown as earned).
                self.keep_aside()
        for u in updates:
            self.emit(ev.TaskChanged(u.task.id, u.task.title, u.state, u.detail, u.t_ms, u.by))
        if earned and self.completion is not None:
            self.emit(
                ev.Completed(
                    self.activity.slug,
                    self.activity.badge.name,
                    self.seat.learner,
                    self.completion.idempotency_key,
                    recorded=self.completion_written or self.kept_at is not None,
                )
            )

    def flush(self) -> bool:
        """Write what is pending as one batch; keep it for the next try if the log refuses."""
        self.flushed_at = time.monotonic()
        if self.log is None or self.run_id is None:
            self.batch = Batch()
            return True
        if not self.batch:
            return True
        try:
            self.log.record(self.run_id, self.batch)
        except StoreError as exc:
            if self.trouble is None:
                self.emit(ev.StoreTrouble(f"{exc}; the run goes on and wearkit keeps trying"))
            self.trouble = str(exc)
            self._bound_held_frames()
            return False
        if self.batch.completion is not None:
            self.completion_written = True
        self.batch = Batch()
        self.trouble = None
        return True

    def _bound_held_frames(self) -> None:
        frames = self.batch.frames
        if len(frames) > _HELD_FRAMES:
            keep = [f for f in frames if f.kind != "sample"]
            self.batch.frames = keep[-_HELD_FRAMES:]

    def settle(self) -> None:
        """At the end of a run: retry a refused batch for a while, then keep the
        completion aside (if it was not already) where the next start of wearkit finds it."""
        ends = time.monotonic() + _FINAL_RETRY_SECONDS
        while self.batch and not self.flush() and time.monotonic() < ends:
            time.sleep(0.25)
        if not self.completion_written and self.kept_at is None:
            self.keep_aside()

    def keep_aside(self) -> None:
        """Hand an unwritten completion to the log's safe place; say where (or what)."""
        if self.completion is None or self.log is None:
            return
        try:
            self.kept_at = self.log.keep_aside(self.run_id, self.completion)
        except StoreError as exc:
            self.emit(ev.CompletionKept(None, str(exc)))
            return
        self.emit(
            ev.CompletionKept(
                self.kept_at,
                f"the store could not be written ({self.trouble}); the completion was kept "
                f"in {self.kept_at} and goes into the store the next time wearkit opens it",
            )
        )

    def checklist(self) -> list[dict[str, Any]]:
        return [
            {"id": s.task.id, "title": s.task.title, "state": s.state, "detail": s.detail}
            for s in self.tracker.status()
        ]

    def outcome(self, outcome: str, traceback: str) -> RunOutcome:
        stats = self.decoder.stats
        return RunOutcome(
            outcome=outcome,
            tasks=self.checklist(),
            console="\n".join(self.console),
            traceback=traceback,
            run_id=self.run_id,
            completion_key=self.completion.idempotency_key if self.completion else None,
            first_reading_s=self.first_reading_s,
            seconds=time.monotonic() - self.started,
            frames=stats.frames,
            corrupted=stats.corrupted,
            lost=stats.lost,
            kept_at=self.kept_at,
        )


class _Halt(threading.Event):
    """Set when the caller stops the run, or (optionally) once the activity is complete."""

    def __init__(self, stop: threading.Event | None, tracker: TaskTracker | None) -> None:
        super().__init__()
        self._stop = stop
        self._tracker = tracker

    def is_set(self) -> bool:
        return (self._stop is not None and self._stop.is_set()) or (
            self._tracker is not None and self._tracker.complete
        )


class RunControl:
    """A facilitator's hand on a run from another thread: sign off a task while the run
    goes on, or after it ended (the run's record then gains the task, and the completion
    if that was the last one, in one transaction)."""

    def __init__(self) -> None:
        self._rec: _Recorder | None = None
        self._ended = False
        self._lock = threading.Lock()
        self.run_id: int | None = None

    def _attach(self, rec: _Recorder) -> None:
        with self._lock:
            self._rec = rec
            self.run_id = rec.run_id

    def _end(self) -> None:
        with self._lock:
            self._ended = True

    def sign_off(self, task_id: str, by: str) -> bool:
        """Sign off ``task_id`` (an ActivityError if the board checks it or ``by`` is
        blank); False if it was already done or the run has not started yet."""
        with self._lock:
            rec, ended = self._rec, self._ended
        if rec is None:
            return False
        with rec.lock:
            update = rec.tracker.sign_off(task_id, by)
            if update is None:
                return False
            rec.apply([update])
            if ended:
                rec.settle()
                if rec.tracker.complete:
                    _close(rec.log, rec.run_id, "complete", "", rec)
        return True


def run_activity(
    link: Link,
    activity: Activity,
    *,
    seat: Seat,
    profile: BoardProfile,
    log: RunLog | None = None,
    on_event: EventCallback | None = None,
    timeout: float | None = None,
    stop: threading.Event | None = None,
    sign_off: Iterable[str] = (),
    signed_off_by: str = "facilitator",
    stop_when_complete: bool = False,
    control: RunControl | None = None,
) -> RunOutcome:
    """Run ``activity`` on the board behind ``link`` and follow it to the end.

    The runtime is put on the board if missing or outdated (from a clean, soft-reset
    board); the board is soft-reset again so the run starts clean and its clock at 0.
    The script is stopped (Ctrl-C) after ``timeout`` seconds (default: `deadline`), when
    ``stop`` is set (the run ends ``interrupted``), or once complete if
    ``stop_when_complete``. Tasks in ``sign_off`` are signed off by ``signed_off_by``;
    ``control`` takes sign-offs from another thread during and after the run.
    """

    def emit(event: ev.Event) -> None:
        if on_event is not None:
            on_event(event.on(seat.name, seat.port))

    if stop is not None and stop.is_set():
        raise StoppedBeforeStart(f"{seat.port}: stopped before the run started")
    ensure_runtime(link, profile, lambda name, size: emit(ev.RuntimeFile(name, size)))
    if stop is not None and stop.is_set():
        raise StoppedBeforeStart(f"{seat.port}: stopped before the run started")
    link.soft_reset()
    run_id = None
    if log is not None:
        run_id = log.start_run(
            RunStart(link.port, seat.family, seat.name, activity.slug, activity.title, seat.learner)
        )
    rec = _Recorder(activity, seat, log, run_id, emit)
    limit = timeout if timeout is not None else deadline(activity)
    halt = _Halt(stop, rec.tracker if stop_when_complete else None)
    if control is not None:
        control._attach(rec)
    outcome, traceback = "error", ""
    try:
        for task_id in sign_off:
            update = rec.tracker.sign_off(task_id, signed_off_by)
            if update is not None:
                rec.apply([update])
        script = activity.script.read_text(encoding="utf-8")
        if stop is not None and stop.is_set():
            raise _Stopped
        if seat.group is not None and "radio" in profile.capabilities:
            # Importing kit prints its hello and starts its clock: both belong to the run.
            link.exec(f"import kit\nkit.group({int(seat.group)})", on_output=rec.take)
        result = link.execute(script, on_output=rec.take, timeout=limit, stop=halt)
        rec.finish_output()
        rec.apply(rec.tracker.finish())
        if rec.tracker.complete:
            outcome = "complete"
        elif result.interrupted:
            outcome = "interrupted"
        else:
            outcome = "incomplete"
        traceback = "" if result.interrupted else result.error
        if result.timed_out:
            traceback = f"stopped after {limit:.0f} s: the script was still running"
    except (LinkError, _Stopped) as exc:
        stopped = isinstance(exc, _Stopped) or (stop is not None and stop.is_set())
        rec.finish_output()
        # The badge earned before the board went away is what counts.
        outcome = "complete" if rec.tracker.complete else "interrupted" if stopped else "error"
        traceback = "" if stopped else str(exc)
        if outcome == "error":
            _end(rec, log, run_id, outcome, traceback)
            raise
    except BaseException:
        # Anything else (Ctrl-C reaching a library caller, a renderer failing): the run
        # still ends on record, and a badge already earned is kept.
        rec.finish_output()
        _end(rec, log, run_id, "complete" if rec.tracker.complete else "interrupted", "")
        raise
    finally:
        if control is not None:
            control._end()
    return _end(rec, log, run_id, outcome, traceback)


class StoppedBeforeStart(LinkError):
    """``stop`` was set before the run began: nothing ran, nothing was recorded."""


def _end(
    rec: _Recorder, log: RunLog | None, run_id: int | None, outcome: str, traceback: str
) -> RunOutcome:
    """Write what is left, close the run on record, and say how it ended."""
    rec.flush()
    rec.settle()
    _close(log, run_id, outcome, traceback, rec)
    done = rec.outcome(outcome, traceback)
    rec.emit(
        ev.Finished(outcome, done.tasks, traceback, run_id, done.frames, done.corrupted, done.lost)
    )
    return done


class _Stopped(Exception):
    """The run was stopped before its script started."""


def _close(
    log: RunLog | None, run_id: int | None, outcome: str, error: str, rec: _Recorder
) -> None:
    if log is None or run_id is None:
        return
    stats = rec.decoder.stats
    try:
        log.finish_run(
            run_id,
            outcome,
            error or None,
            frames=stats.frames,
            corrupted=stats.corrupted,
            lost=stats.lost,
        )
    except StoreError:
        # The run stays open; the next open of the store closes it as interrupted. Its
        # completion, if any, is already written or kept aside.
        pass
