"""A worker per board: the one thread that opens the board's port.

Probes, runtime installs and runs queue up for it and happen one after another, so two
requests never talk to one board at once. Stopping a run and signing off a task do not
queue: they reach the running run at once (`RunControl`, a stop event).
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

from wearkit.activities import Activity
from wearkit.boards import BoardProfile
from wearkit.classroom import events as ev
from wearkit.classroom import lifecycle as lc
from wearkit.classroom.run import RunControl, RunOutcome, Seat, StoppedBeforeStart, run_activity
from wearkit.errors import BoardError, LinkError, WearkitError
from wearkit.link import open_link
from wearkit.provision import check_name, ensure_runtime, provision_board, runtime_current
from wearkit.runlog import RunLog


@dataclass
class RunOrder:
    """A run the engine asked for: its id, the activity, who, and the radio group."""

    run: int
    activity: Activity
    learner: str | None
    group: int | None
    stop: threading.Event
    control: RunControl


class WorkerHost:
    """What a worker reports to (the engine): events, probe results, run ends."""

    def emit(self, event: ev.Event) -> None:
        raise NotImplementedError

    def probed(self, name: str, state: str, problem: str) -> None:
        raise NotImplementedError

    def run_ended(
        self, name: str, order: RunOrder, outcome: RunOutcome | None, state: str, error: str
    ) -> None:
        raise NotImplementedError


class BoardWorker:
    """Serves one board's queue of probes, installs and runs, in its own thread."""

    def __init__(
        self,
        name: str,
        port: str,
        profile: BoardProfile,
        host: WorkerHost,
        *,
        log: RunLog | None,
        timeout: float | None = None,
    ) -> None:
        self.name = name
        self.port = port
        self.profile = profile
        self.host = host
        self.log = log
        self.timeout = timeout
        self.current: RunOrder | None = None
        self._queue: queue.Queue[Callable[[], None] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._serve, name=f"board-{name}", daemon=True)
        self._thread.start()

    def probe(self) -> None:
        """Find out whether the board is ready, needs its runtime, or needs firmware."""
        self._queue.put(self._probe)

    def install(self) -> None:
        """Put the kit runtime on the board (only what differs)."""
        self._queue.put(self._install)

    def provision(self, name: str, group: int | None) -> None:
        """Put the runtime, ``name`` and radio ``group`` on the board (`provision_board`;
        a name no board can carry, or group None, keeps what the board has), reporting
        each step as the board's problem text."""
        try:
            chosen: str | None = check_name(name)
        except BoardError:
            chosen = None
        self._queue.put(lambda: self._provision(chosen, group))

    def run(self, order: RunOrder) -> None:
        """Queue ``order``; it starts once what is before it is done."""
        self._queue.put(lambda: self._run(order))

    def close(self, wait: float = 10.0) -> None:
        """Stop the current run, drop what is queued, and end the thread."""
        if self.current is not None:
            self.current.stop.set()
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._queue.put(None)
        self._thread.join(wait)

    def _serve(self) -> None:
        while (job := self._queue.get()) is not None:
            try:
                job()
            except Exception as exc:  # a bug must not kill the board's worker
                self.host.probed(self.name, lc.ERROR, f"{type(exc).__name__}: {exc}")

    def _probe(self) -> None:
        try:
            with open_link(self.port) as link:
                current = runtime_current(link, self.profile)
        except LinkError as exc:
            if os.path.exists(self.port):
                self.host.probed(
                    self.name,
                    lc.NEEDS_FIRMWARE,
                    f"{lc.explain(lc.NEEDS_FIRMWARE, '')} ({exc})",
                )
            return  # gone: the engine's watcher marks it lost
        state = lc.READY if current else lc.NEEDS_RUNTIME
        self.host.probed(self.name, state, lc.explain(state, ""))

    def _install(self) -> None:
        try:
            with open_link(self.port) as link:
                ensure_runtime(
                    link,
                    self.profile,
                    lambda file, size: self.host.emit(
                        ev.RuntimeFile(file, size).on(self.name, self.port)
                    ),
                )
        except LinkError as exc:
            self.host.probed(self.name, lc.ERROR, lc.explain(lc.ERROR, str(exc)))
            return
        self.host.probed(self.name, lc.READY, "")

    def _provision(self, name: str | None, group: int | None) -> None:
        def step(_step: str, _done: int, _total: int, message: str) -> None:
            self.host.probed(self.name, lc.INSTALLING, f"Installing: {message}")

        def on_file(file: str, size: int) -> None:
            self.host.emit(ev.RuntimeFile(file, size).on(self.name, self.port))

        try:
            with open_link(self.port) as link:
                # The runtime first, so each file put is a RuntimeFile event as for a run.
                ensure_runtime(link, self.profile, on_file)
                provision_board(link, self.profile, name=name, group=group, on_progress=step)
        except WearkitError as exc:
            self.host.probed(
                self.name,
                lc.ERROR,
                f"Installing the runtime failed: {exc}. Check the cable, then provision it again.",
            )
            return
        self.host.probed(self.name, lc.READY, "")

    def _run(self, order: RunOrder) -> None:
        self.current = order
        outcome: RunOutcome | None = None
        state, error = "done", ""
        seat = Seat(self.port, self.profile.id, self.name, order.learner, order.group)
        try:
            with open_link(self.port) as link:
                outcome = run_activity(
                    link,
                    order.activity,
                    seat=seat,
                    profile=self.profile,
                    log=self.log,
                    on_event=self.host.emit,
                    timeout=self.timeout,
                    stop=order.stop,
                    control=order.control,
                )
        except StoppedBeforeStart:
            state, error = "stopped", "stopped before the run started"
        except LinkError as exc:
            state, error = lc.LOST, str(exc)
        except WearkitError as exc:
            state, error = lc.ERROR, str(exc)
        except Exception as exc:  # a bug: the run still ends, on the dashboard too
            state, error = lc.ERROR, f"{type(exc).__name__}: {exc}"
        finally:
            self.current = None
        self.host.run_ended(self.name, order, outcome, state, error)
