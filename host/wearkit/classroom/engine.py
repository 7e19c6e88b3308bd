"""The long-lived classroom: every board the port sources see, a worker per board, runs
started and stopped without waiting, sign-offs at any time, one event bus.

`wearkit serve` puts the web app on an `Engine`; tests and scripts can drive one directly.
A watcher thread asks the port sources (`wearkit.discovery`) for boards twice a second:
a new board gets a worker that probes it; a board whose port went away is lost (its run
ends as its link breaks, keeping the tasks already done); when it comes back, perhaps on
another port, it is probed again. Every change is published on `bus` as a ``board`` event
carrying the whole board; the run's own events (readings, tasks, completions) go there too.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from wearkit.activities import Activity
from wearkit.boards import BoardProfile
from wearkit.classroom import events as ev
from wearkit.classroom import lifecycle as lc
from wearkit.classroom.bus import EventBus
from wearkit.classroom.group import pair_groups
from wearkit.classroom.run import RunControl, RunOutcome, Seat
from wearkit.classroom.worker import BoardWorker, RunOrder, WorkerHost
from wearkit.classroom.writer import SharedLog
from wearkit.discovery import FoundBoard, PortSource, find_boards
from wearkit.errors import ActivityError, WearkitError
from wearkit.runlog import RunLog, learner_problem

#: Seconds between two looks at the port sources.
POLL_SECONDS = 0.5


class EngineError(WearkitError):
    """A request the classroom cannot do; ``field`` names what was wrong, ``status`` is
    the HTTP status the web app answers with (404 unknown, 409 not now, 422 invalid)."""

    def __init__(self, message: str, *, field: str, status: int = 422) -> None:
        super().__init__(message)
        self.field = field
        self.status = status


@dataclass
class RunInfo:
    """A run the engine started: what ``GET /api/runs/<id>`` answers."""

    id: int
    board: str
    activity: str
    learner: str | None
    state: str = "queued"  # queued | running | complete | incomplete | interrupted | error | lost
    started_at: float = field(default_factory=time.time)
    ended_at: float | None = None
    error: str = ""
    store_run: int | None = None
    tasks: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "board": self.board,
            "activity": self.activity,
            "learner": self.learner,
            "state": self.state,
            "started_at": round(self.started_at, 3),
            "ended_at": None if self.ended_at is None else round(self.ended_at, 3),
            "error": self.error,
            "store_run": self.store_run,
            "tasks": [dict(t) for t in self.tasks],
        }


class Engine(WorkerHost):
    """A classroom of boards, long-lived. Thread-safe; no method waits for a board."""

    def __init__(
        self,
        profiles: Mapping[str, BoardProfile],
        activities: Iterable[Activity],
        *,
        log: RunLog | None = None,
        sources: Mapping[str, PortSource] | None = None,
        poll_seconds: float = POLL_SECONDS,
        timeout: float | None = None,
    ) -> None:
        self.profiles = dict(profiles)
        self.activities = {a.slug: a for a in activities}
        # One writer for every board: one transaction per half second for the classroom,
        # not one per board (a completion is still written at once).
        self._shared = SharedLog(log) if log is not None else None
        self.log: RunLog | None = self._shared
        self.sources = sources
        self.poll_seconds = poll_seconds
        self.timeout = timeout
        self.bus = EventBus()
        self._lock = threading.RLock()
        self._views: dict[str, lc.BoardView] = {}
        self._workers: dict[str, BoardWorker] = {}
        self._runs: dict[int, RunInfo] = {}
        self._orders: dict[int, RunOrder] = {}
        self._run_ids = itertools.count(1)
        self._closing = threading.Event()
        self._watcher: threading.Thread | None = None

    # -- lifetime ------------------------------------------------------------------------

    def start(self) -> Engine:
        """Look for boards now, then keep looking in the background."""
        self.scan()
        self._watcher = threading.Thread(target=self._watch, name="engine-watch", daemon=True)
        self._watcher.start()
        return self

    def close(self) -> None:
        """Stop every run (each ends on record as interrupted) and every worker."""
        self._closing.set()
        if self._watcher is not None:
            self._watcher.join(5)
        with self._lock:
            workers = list(self._workers.values())
        for worker in workers:
            if worker.current is not None:
                worker.current.stop.set()
        for worker in workers:
            worker.close()
        if self._shared is not None:
            self._shared.close()

    def __enter__(self) -> Engine:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _watch(self) -> None:
        while not self._closing.wait(self.poll_seconds):
            try:
                self.scan()
            except Exception:  # a port source failing now and then must not end hot-plug
                continue

    def scan(self) -> None:
        """Compare what the port sources see with the boards known: add, lose, bring back."""
        seen = {b.name: b for b in find_boards(self.profiles, sources=self.sources) if b.family}
        with self._lock:
            for name, found in seen.items():
                view = self._views.get(name)
                if view is None:
                    self._add(found)
                elif view.state == lc.LOST:
                    self._back(view, found)
            for name, view in self._views.items():
                if name not in seen and view.state != lc.LOST:
                    lc.gone(view)
                    self._publish_board(view)

    def _add(self, found: FoundBoard) -> None:
        assert found.family is not None
        view = lc.BoardView(found.name, found.port, found.family, found.kind)
        self._views[found.name] = view
        self._workers[found.name] = self._worker(view)
        self._publish_board(view)
        self._workers[found.name].probe()

    def _back(self, view: lc.BoardView, found: FoundBoard) -> None:
        lc.back(view, found.port)
        worker = self._workers.get(view.name)
        if worker is None or worker.port != found.port:
            if worker is not None:
                worker.close(wait=0)
            worker = self._workers[view.name] = self._worker(view)
        self._publish_board(view)
        worker.probe()

    def _worker(self, view: lc.BoardView) -> BoardWorker:
        assert view.family is not None
        return BoardWorker(
            view.name,
            view.port,
            self.profiles[view.family],
            self,
            log=self.log,
            timeout=self.timeout,
        )

    # -- what the pages ask --------------------------------------------------------------

    def boards(self) -> list[dict[str, Any]]:
        """Every board known, in the order they were found."""
        with self._lock:
            return [view.as_dict() for view in self._views.values()]

    def board(self, name: str) -> dict[str, Any]:
        """One board by name; EngineError (404) if there is none."""
        with self._lock:
            return self._view(name).as_dict()

    def runs(self) -> list[dict[str, Any]]:
        """Every run started since the engine started, newest first."""
        with self._lock:
            return [run.as_dict() for run in reversed(self._runs.values())]

    def run(self, run_id: int) -> dict[str, Any]:
        """One run by id; EngineError (404) if there is none."""
        with self._lock:
            return self._run(run_id).as_dict()

    def supports(self, activity: Activity, family: str | None) -> bool:
        """Whether boards of ``family`` have what ``activity`` requires."""
        profile = self.profiles.get(family or "")
        return profile is not None and set(activity.requires) <= set(profile.capabilities)

    # -- what the facilitator does ------------------------------------------------------------

    def start_runs(
        self,
        boards: Iterable[str],
        activity: str,
        *,
        learners: Mapping[str, str] | None = None,
    ) -> list[int]:
        """Start ``activity`` on every board in ``boards``; return the run ids at once.

        Everything is checked before any board starts (EngineError naming the field): the
        activity exists, each board exists, is not running or lost, and can do what the
        activity requires, and each learner reference is an opaque code. Radio activities
        get a radio group per pair of boards, in the order given.
        """
        names = list(dict.fromkeys(boards))
        if not names:
            raise EngineError("give at least one board", field="board")
        chosen = self.activities.get(activity)
        if chosen is None:
            raise EngineError(
                f"no activity {activity!r}; GET /api/activities lists them",
                field="activity",
                status=404,
            )
        learners = dict(learners or {})
        with self._lock:
            for name in names:
                view = self._view(name)
                if view.state not in lc.STARTABLE:
                    raise EngineError(
                        f"board {name} is {view.state}: {lc.why_not(view.state)}",
                        field="board",
                        status=409,
                    )
                if not self.supports(chosen, view.family):
                    has = self.profiles[view.family or ""].capabilities
                    missing = set(chosen.requires) - set(has)
                    raise EngineError(
                        f"board {name} ({view.family}) cannot run {activity}: it has no "
                        f"{', '.join(sorted(missing))}",
                        field="board",
                        status=409,
                    )
                problem = learner_problem(learners[name]) if learners.get(name) else None
                if problem is not None:
                    raise EngineError(f"learner for {name}: {problem}", field="learner")
            groups: dict[str, int | None] = {name: None for name in names}
            if "radio" in chosen.requires:
                seats = pair_groups(Seat("", "", name) for name in names)
                groups = {seat.name: seat.group for seat in seats}
            ids = []
            for name in names:
                run_id = next(self._run_ids)
                learner = learners.get(name) or None
                order = RunOrder(
                    run_id, chosen, learner, groups[name], threading.Event(), RunControl()
                )
                self._runs[run_id] = RunInfo(run_id, name, chosen.slug, learner)
                self._orders[run_id] = order
                view = self._views[name]
                tasks = [
                    {"id": t.id, "title": t.title, "state": "pending", "detail": ""}
                    for t in chosen.tasks
                ]
                lc.run_started(view, run_id, chosen.slug, chosen.title, tasks)
                self._runs[run_id].state = "running"
                self._runs[run_id].tasks = [dict(t) for t in tasks]
                self._publish_board(view)
                self._workers[name].run(order)
                ids.append(run_id)
        return ids

    def stop_run(self, run_id: int) -> dict[str, Any]:
        """Stop run ``run_id`` (it ends as interrupted, its tasks kept); returns the run."""
        with self._lock:
            run = self._run(run_id)
            order = self._orders.get(run_id)
        if order is not None:
            order.stop.set()
        return run.as_dict()

    def stop_board(self, name: str) -> None:
        """Stop whatever runs on board ``name``."""
        with self._lock:
            view = self._view(name)
            run_id = view.run if view.state == lc.RUNNING else None
        if run_id is not None:
            self.stop_run(run_id)

    def sign_off(self, run_id: int, task: str, by: str = "facilitator") -> dict[str, Any]:
        """A facilitator signs off ``task`` of run ``run_id``, during or after the run."""
        with self._lock:
            run = self._run(run_id)
            order = self._orders.get(run_id)
        activity = self.activities[run.activity]
        chosen = next((t for t in activity.tasks if t.id == task), None)
        if chosen is None:
            raise EngineError(f"{run.activity} has no task {task!r}", field="task")
        if not chosen.by_facilitator:
            raise EngineError(
                f"{run.activity}: task {task!r} is checked by the board, not signed off",
                field="task",
            )
        if order is None:
            raise EngineError(f"run {run_id} cannot take sign-offs", field="run", status=409)
        try:
            signed = order.control.sign_off(task, by)
        except ActivityError as exc:
            raise EngineError(str(exc), field="task") from None
        if not signed and order.control.run_id is None and run.state == "running":
            raise EngineError(
                f"run {run_id} has not started on its board yet: sign off in a moment",
                field="run",
                status=409,
            )
        return self.run(run_id)

    def install_runtime(self, names: Iterable[str]) -> None:
        """Put the kit runtime on each board (queued behind what the board is doing)."""
        with self._lock:
            workers = [self._workers[self._view(n).name] for n in names]
        for worker in workers:
            worker.install()

    def provision(self, names: Iterable[str] | None = None) -> list[str]:
        """Provision boards (`wearkit.provision.provision_board`): the runtime, the board's
        name and, for radio boards, a radio group per pair in the order given. ``None``:
        every board that is ready, needs its runtime, complete or in error (running, lost
        and unflashed boards are skipped); a named board that is not is refused
        (EngineError 409). Each board is ``installing`` until its worker says ready."""
        with self._lock:
            if names is None:
                chosen = [n for n, v in self._views.items() if v.state in lc.PROVISIONABLE]
            else:
                chosen = list(dict.fromkeys(names))
                if not chosen:
                    raise EngineError("give at least one board", field="board")
                for name in chosen:
                    state = self._view(name).state
                    if state not in lc.PROVISIONABLE:
                        raise EngineError(
                            f"board {name} is {state}: {lc.why_not(state)}",
                            field="board",
                            status=409,
                        )
            radio = [n for n in chosen if self.profiles[self._views[n].family or ""].has("radio")]
            groups = {s.name: s.group for s in pair_groups(Seat("", "", n) for n in radio)}
            for name in chosen:
                view = self._views[name]
                lc.installing(view)
                self._publish_board(view)
                self._workers[name].provision(name, groups.get(name))
        return chosen

    # -- what the workers say ------------------------------------------------------------

    def emit(self, event: ev.Event) -> None:
        with self._lock:
            view = self._views.get(event.board or "")
            if view is not None:
                self._follow(view, event)
        self.bus.publish(event)

    def _follow(self, view: lc.BoardView, event: ev.Event) -> None:
        if isinstance(event, ev.Reading):
            view.latest = dict(event.values)
            return
        run = self._runs.get(view.run) if view.run is not None else None
        if isinstance(event, ev.TaskChanged):
            lc.task_changed(view, event.id, event.state, event.detail)
            if run is not None:
                run.tasks = [dict(t) for t in view.tasks]
            self._publish_board(view)
        elif isinstance(event, ev.Completed) and run is not None and run.state != "running":
            # Signed off after the run ended: the badge is earned now.
            run.state = "complete"
            lc.run_finished(view, "complete", run.tasks, "")
            self._publish_board(view)

    def probed(self, name: str, state: str, problem: str) -> None:
        with self._lock:
            view = self._views.get(name)
            if view is None or view.state == lc.LOST:
                return
            lc.probed(view, state, problem)
            self._publish_board(view)

    def run_ended(
        self, name: str, order: RunOrder, outcome: RunOutcome | None, state: str, error: str
    ) -> None:
        with self._lock:
            run = self._runs[order.run]
            view = self._views[name]
            run.ended_at = time.time()
            if outcome is not None:
                run.state, run.error = outcome.outcome, outcome.traceback
                run.store_run, run.tasks = outcome.run_id, outcome.tasks
            else:
                run.state = "interrupted" if state == "stopped" else state
                run.error = error
            if order.control.run_id is not None:
                run.store_run = order.control.run_id
            if view.run == order.run:
                result = lc.LOST if state == lc.LOST else run.state
                lc.run_finished(view, result, run.tasks, run.error or error)
                self._publish_board(view)

    # -- helpers -------------------------------------------------------------------------

    def _view(self, name: str) -> lc.BoardView:
        view = self._views.get(name)
        if view is None:
            raise EngineError(
                f"no board {name!r}; GET /api/boards lists them", field="board", status=404
            )
        return view

    def _run(self, run_id: int) -> RunInfo:
        run = self._runs.get(run_id)
        if run is None:
            raise EngineError(f"no run {run_id}", field="run", status=404)
        return run

    def _publish_board(self, view: lc.BoardView) -> None:
        self.bus.publish(ev.BoardUpdate(view.as_dict()).on(view.name, view.port))
