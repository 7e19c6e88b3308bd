"""A classroom of virtual boards runs an activity at once, a thread per board."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from wearkit.activities import load_catalogue
from wearkit.boards import get_profile, load_profiles
from wearkit.classroom import Seat, start_activity
from wearkit.classroom import events as ev
from wearkit.sim import start_fleet
from wearkit.store import open_store


def test_every_board_runs_and_one_lost_board_does_not_stop_the_rest(tmp_path: Path) -> None:
    activity = next(a for a in load_catalogue() if a.slug == "step-counter")
    store = open_store(f"sqlite:///{tmp_path / 'class.db'}")
    fleet = start_fleet(
        get_profile("microbit-v2"), 3, baud=None, speed=20,
        scenario=activity.scenarios["pass"], folder=tmp_path / "b",
    )  # fmt: skip
    lost = fleet.boards[2]
    seen: dict[str, set[str]] = {}

    def watch(event: ev.Event) -> None:
        assert event.board is not None
        seen.setdefault(event.board, set()).add(event.kind)
        if event.board == lost.name and event.kind == "reading" and not lost.unplugged:
            threading.Thread(target=lost.unplug).start()

    try:
        seats = [Seat(b.port, "microbit-v2", b.name, f"ref{i}") for i, b in enumerate(fleet.boards)]
        results = start_activity(
            seats, activity, profiles=load_profiles(), log=store, on_event=watch,
            sign_off=[t.id for t in activity.tasks if t.by_facilitator],
        )  # fmt: skip
    finally:
        fleet.close()
    by_name = {r.seat.name: r for r in results}
    assert by_name[lost.name].state == "lost" and lost.port in by_name[lost.name].error
    finished = [r for r in results if r.seat.name != lost.name]
    assert all(r.state == "done" and r.outcome and r.outcome.complete for r in finished)
    # Each board's completion carries its own learner.
    assert sorted((c.board_name, c.learner) for c in store.completions()) == sorted(
        (r.seat.name, r.seat.learner) for r in finished
    )
    assert all("reading" in kinds for kinds in seen.values())


def test_one_stop_interrupts_every_board_quickly(tmp_path: Path) -> None:
    activity = next(a for a in load_catalogue() if a.slug == "night-light")
    store = open_store(f"sqlite:///{tmp_path / 'class.db'}")
    stop = threading.Event()
    started: set[str] = set()

    def watch(event: ev.Event) -> None:
        if event.kind == "reading" and event.board:
            started.add(event.board)

    with start_fleet(get_profile("microbit-v2"), 3, baud=None, folder=tmp_path / "b") as fleet:
        worker = threading.Thread(
            target=lambda: results.extend(
                start_activity(
                    [Seat(b.port, "microbit-v2", b.name) for b in fleet.boards],
                    activity,
                    profiles=load_profiles(),
                    log=store,
                    on_event=watch,
                    stop=stop,
                )
            )  # fmt: skip
        )
        results: list = []  # type: ignore[type-arg]
        worker.start()
        ends = time.monotonic() + 30
        while len(started) < 3 and time.monotonic() < ends:
            time.sleep(0.05)
        stopped_at = time.monotonic()
        stop.set()
        worker.join(10)
        took = time.monotonic() - stopped_at
    assert not worker.is_alive() and took < 2.0
    assert [r.outcome.outcome for r in results if r.outcome] == ["interrupted"] * 3
    assert {run.outcome for run in store.list_runs()} == {"interrupted"}
