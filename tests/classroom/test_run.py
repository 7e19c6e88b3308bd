"""One activity on one virtual board: what a facilitator and a student would notice."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wearkit.activities import Activity
from wearkit.boards import get_profile
from wearkit.classroom import Seat, run_activity
from wearkit.classroom import events as ev
from wearkit.classroom.run import RunOutcome
from wearkit.errors import StoreError
from wearkit.link import open_link
from wearkit.runlog import Batch, CompletionRecord
from wearkit.sim import VirtualBoard
from wearkit.store import Store, open_store

MakeActivity = Callable[..., Activity]


def run(board: VirtualBoard, activity: Activity, **options: Any) -> RunOutcome:
    learner = options.pop("learner", None)
    with open_link(board.port) as link:
        return run_activity(
            link,
            activity,
            seat=Seat(board.port, "microbit-v2", board.name, learner),
            profile=get_profile("microbit-v2"),
            **options,
        )


def test_a_run_completes_and_is_recorded(
    fast_board: VirtualBoard, light_probe: MakeActivity, tmp_path: Path
) -> None:
    fast_board.set_live(light=230)
    store = open_store(f"sqlite:///{tmp_path / 'runs.db'}")
    events: list[ev.Event] = []
    outcome = run(fast_board, light_probe(), log=store, on_event=events.append, learner="c7f2")
    assert outcome.complete and outcome.completion_key
    kinds = [e.kind for e in events]
    assert {"runtime", "started", "reading", "report", "task"} <= set(kinds)
    assert kinds.index("completed") < kinds.index("finished")
    saved = store.get_run(outcome.run_id)  # type: ignore[arg-type]
    assert saved.outcome == "complete" and saved.frames == outcome.frames > 0
    (completion,) = store.completions()
    assert completion.run_id == outcome.run_id and completion.learner == "c7f2"
    assert completion.idempotency_key == outcome.completion_key
    assert store.task_results(outcome.run_id)[0].state == "done"  # type: ignore[arg-type]


def test_the_completion_is_in_the_store_before_its_task_is_announced(
    fast_board: VirtualBoard, light_probe: MakeActivity, tmp_path: Path
) -> None:
    """A host killed the moment it prints the last tick has already kept the badge."""
    fast_board.set_live(light=230)
    url = f"sqlite:///{tmp_path / 'runs.db'}"
    seen: list[int] = []

    def look(event: ev.Event) -> None:
        if isinstance(event, ev.TaskChanged) and event.state == "done":
            with open_store(url) as other:  # another connection, as a new process would
                seen.append(len(other.completions()))
                seen.append(len(other.pending_outbox()))

    run(fast_board, light_probe(), log=open_store(url), on_event=look)
    assert seen == [1, 1]


def test_runtime_is_pushed_only_when_missing_or_outdated(
    fast_board: VirtualBoard, light_probe: MakeActivity
) -> None:
    activity = light_probe()

    def pushed_files() -> set[str]:
        files: list[str] = []
        run(fast_board, activity, on_event=lambda e: files.append(getattr(e, "file", "")))
        return {f for f in files if f}

    assert any(f.startswith("kit.") for f in pushed_files())
    assert pushed_files() == set()
    (fast_board.flash_dir / "kitver.txt").write_text("older")
    (fast_board.flash_dir / "kit.py").write_text("# an older kit\n")
    assert pushed_files() == {"kit.py"}  # only what differs


def test_a_dark_room_ends_incomplete_with_the_reason(
    fast_board: VirtualBoard, light_probe: MakeActivity
) -> None:
    fast_board.set_live(light=20)
    outcome = run(fast_board, light_probe())
    assert outcome.outcome == "incomplete" and not outcome.traceback
    assert outcome.tasks[0]["state"] == "failed" and outcome.tasks[0]["detail"]


def test_students_own_prints_are_kept_as_console_text(
    fast_board: VirtualBoard, light_probe: MakeActivity, tmp_path: Path
) -> None:
    fast_board.set_live(light=230)
    store = open_store(f"sqlite:///{tmp_path / 'runs.db'}")
    outcome = run(fast_board, light_probe(before="print('hello from Sam')"), log=store)
    assert "hello from Sam" in outcome.console and outcome.complete
    assert "hello from Sam" in store.get_run(outcome.run_id).console  # type: ignore[arg-type]


def test_an_exception_shows_the_traceback_and_keeps_what_was_done(
    fast_board: VirtualBoard, light_probe: MakeActivity, tmp_path: Path
) -> None:
    fast_board.set_live(light=230)
    store = open_store(f"sqlite:///{tmp_path / 'runs.db'}")
    outcome = run(fast_board, light_probe(after="x = 1 / 0"), log=store)
    assert "ZeroDivisionError" in outcome.traceback
    # The task was done before the crash: the badge stands.
    assert outcome.complete and len(store.completions()) == 1


def test_a_script_that_runs_forever_is_stopped(
    fast_board: VirtualBoard, light_probe: MakeActivity
) -> None:
    fast_board.set_live(light=20)
    outcome = run(fast_board, light_probe(after="while True:\n    kit.sleep(100)"), timeout=3)
    assert outcome.outcome == "interrupted"
    assert "still running" in outcome.traceback


def test_stopping_a_run_records_it_interrupted_with_its_frames(
    board: VirtualBoard, light_probe: MakeActivity, tmp_path: Path
) -> None:
    board.set_live(light=20)
    store = open_store(f"sqlite:///{tmp_path / 'runs.db'}")
    stop = threading.Event()
    threading.Timer(1.5, stop.set).start()
    began = time.monotonic()
    outcome = run(board, light_probe(), log=store, stop=stop)
    assert outcome.outcome == "interrupted" and time.monotonic() - began < 8
    saved = store.get_run(outcome.run_id)  # type: ignore[arg-type]
    assert saved.outcome == "interrupted"
    assert saved.frames == outcome.frames > 0
    assert len(store.run_frames(outcome.run_id)) > 0  # type: ignore[arg-type]


def test_a_completion_survives_the_board_being_unplugged(
    fast_board: VirtualBoard, light_probe: MakeActivity, tmp_path: Path
) -> None:
    fast_board.set_live(light=230)
    url = f"sqlite:///{tmp_path / 'runs.db'}"

    def unplug_once_complete(event: ev.Event) -> None:
        if isinstance(event, ev.Completed):
            threading.Timer(0.2, fast_board.unplug).start()

    activity = light_probe(after="while True:\n    kit.sleep(100)")
    outcome = run(fast_board, activity, log=open_store(url), on_event=unplug_once_complete)
    assert outcome.complete
    reopened = open_store(url)
    assert len(reopened.completions()) == 1 and len(reopened.pending_outbox()) == 1


class RefusingStore:
    """A real store whose writes fail while ``refuse`` is set, as a full disk's would."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.refuse = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    def record(self, run_id: int, batch: Batch) -> None:
        if self.refuse:
            raise StoreError("cannot write to the store: database or disk is full")
        self.store.record(run_id, batch)

    def keep_aside(self, run_id: int | None, completion: CompletionRecord) -> str:
        return self.store.keep_aside(run_id, completion)


def test_a_store_that_refuses_for_a_while_loses_nothing(
    fast_board: VirtualBoard, light_probe: MakeActivity, tmp_path: Path
) -> None:
    fast_board.set_live(light=230)
    log = RefusingStore(open_store(f"sqlite:///{tmp_path / 'runs.db'}"))
    log.refuse = True
    threading.Timer(2.0, lambda: setattr(log, "refuse", False)).start()
    events: list[ev.Event] = []
    outcome = run(fast_board, light_probe(), log=log, on_event=events.append)
    # Refused when earned: kept aside at once, then written once the store took it again.
    assert outcome.complete and outcome.kept_at and Path(outcome.kept_at).exists()
    assert any(isinstance(e, ev.StoreTrouble) for e in events)
    (completion,) = log.store.completions()
    assert completion.idempotency_key == outcome.completion_key
    assert log.store.get_run(outcome.run_id).frames == outcome.frames  # type: ignore[arg-type]
    reopened = open_store(f"sqlite:///{tmp_path / 'runs.db'}")  # the kept copy: a no-op
    assert [c.idempotency_key for c in reopened.completions()] == [outcome.completion_key]
    assert not Path(outcome.kept_at).exists()


def test_a_store_that_stays_full_keeps_the_completion_aside(
    fast_board: VirtualBoard, light_probe: MakeActivity, tmp_path: Path
) -> None:
    fast_board.set_live(light=230)
    url = f"sqlite:///{tmp_path / 'runs.db'}"
    log = RefusingStore(open_store(url))
    log.refuse = True
    events: list[ev.Event] = []
    outcome = run(fast_board, light_probe(), log=log, on_event=events.append)
    kept = [e for e in events if isinstance(e, ev.CompletionKept)]
    assert outcome.complete and kept and kept[0].path and Path(kept[0].path).exists()
    assert kept[0].path in kept[0].message
    (completion,) = open_store(url).completions()  # written on the next open
    assert completion.idempotency_key == outcome.completion_key
