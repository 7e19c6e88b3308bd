"""A classroom of virtual boards runs an activity at once, a thread per board."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from wearkit.activities import load_catalogue
from wearkit.boards import get_profile
from wearkit.classroom import Seat, start_activity
from wearkit.runs import RunEvent
from wearkit.sim import start_fleet
from wearkit.store import open_store


def test_every_board_runs_and_one_lost_board_does_not_stop_the_rest(tmp_path: Path) -> None:
    activity = next(a for a in load_catalogue() if a.slug == "step-counter")
    store = open_store(f"sqlite:///{tmp_path / 'class.db'}")
    fleet = start_fleet(get_profile("microbit-v2"), 3, baud=None, speed=20,
                        scenario=activity.scenarios["pass"], folder=tmp_path / "b")  # fmt: skip
    lost = fleet.boards[2]
    seen: dict[str, set[str]] = {}

    def watch(seat: Seat, event: RunEvent) -> None:
        seen.setdefault(seat.name, set()).add(event.kind)
        if seat.name == lost.name and event.kind == "reading" and not lost.unplugged:
            threading.Thread(target=lost.unplug).start()

    try:
        seats = [Seat(b.port, "microbit-v2", b.name) for b in fleet.boards]
        results = start_activity(
            seats, activity, store=store, on_event=watch,
            sign_off=[t.id for t in activity.tasks if t.by_facilitator],
        )  # fmt: skip
    finally:
        fleet.close()
    by_name = {r.seat.name: r for r in results}
    assert by_name[lost.name].state == "lost" and lost.port in by_name[lost.name].error
    finished = [r for r in results if r.seat.name != lost.name]
    assert all(r.state == "done" and r.outcome and r.outcome.complete for r in finished)
    assert sorted(c.board_name for c in store.completions()) == sorted(
        r.seat.name for r in finished
    )
    assert all("reading" in kinds for kinds in seen.values())


def test_demo_runs_a_virtual_classroom() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "wearkit.cli", "demo", "--boards", "3", "--speed", "20"],
        capture_output=True, text=True, timeout=180, env=os.environ.copy(),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    table = result.stdout.split("tasks done")[1].splitlines()[1:4]
    assert [line.split()[2] for line in table] == ["complete", "complete", "incomplete"]
    assert "2 badges earned and recorded" in result.stdout


def test_run_all_runs_on_every_connected_board_that_fits(tmp_path: Path) -> None:
    from tests.host.test_runs import make_activity

    activity = make_activity(tmp_path)
    with start_fleet(get_profile("microbit-v2"), 2, baud=None, speed=20,
                     folder=tmp_path / "b") as fleet:  # fmt: skip
        fleet.boards[0].set_live(light=230)
        fleet.boards[1].set_live(light=20)
        result = subprocess.run(
            [sys.executable, "-m", "wearkit.cli", "run", str(activity.path), "--all",
             "--store", f"sqlite:///{tmp_path / 'all.db'}"],
            capture_output=True, text=True, timeout=120, env=os.environ.copy(),
        )  # fmt: skip
    assert result.returncode == 1, result.stderr  # one board incomplete
    rows = {line.split()[0]: line.split()[2] for line in
            result.stdout.split("tasks done")[1].strip().splitlines()}  # fmt: skip
    assert rows == {fleet.boards[0].name: "complete", fleet.boards[1].name: "incomplete"}
