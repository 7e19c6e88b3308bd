"""Running an activity on a virtual board: what a facilitator and a student would notice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from wearkit.activities import Activity, load_activity
from wearkit.link import SerialLink
from wearkit.runs import RunEvent, run_activity
from wearkit.sim import VirtualBoard
from wearkit.store import open_store

TOML = """
title = "Light probe"
summary = "Reports the light level."
level = "beginner"
minutes = 5
themes = ["coding"]
requires = ["light"]
time_limit = 20

[badge]
name = "Probe"
description = "Probed the light."
criteria = "Saw the light level reach 200."

[metrics.light]
unit = "level"
description = "Light level."

[[tasks]]
id = "bright"
title = "Make it bright"
metric = "light"
at_least = 200
"""

SCRIPT = """import kit

TIME_LIMIT = 20
start = kit.ms()
{before}
while kit.ms() - start < TIME_LIMIT * 1000:
    kit.report("light", kit.light())
    kit.sample(light=kit.light())
    kit.sleep(100)
{after}
kit.done()
"""


def make_activity(tmp_path: Path, before: str = "", after: str = "") -> Activity:
    folder = tmp_path / "light-probe"
    (folder / "scenarios").mkdir(parents=True)
    (folder / "activity.toml").write_text(TOML)
    (folder / "main.py").write_text(SCRIPT.format(before=before, after=after))
    (folder / "README.md").write_text("# Light probe\n")
    (folder / "scenarios" / "pass.csv").write_text("t,light\n0,10\n1,250\n")
    (folder / "scenarios" / "fail.csv").write_text("t,light\n0,10\n")
    return load_activity(folder)


def run(board: VirtualBoard, activity: Activity, **options: object):  # type: ignore[no-untyped-def]
    with SerialLink(board.port) as link:
        return run_activity(
            link, activity, board_family="microbit-v2", board_name=board.name, **options
        )  # type: ignore[arg-type]


@pytest.fixture
def fast_board(board: VirtualBoard) -> VirtualBoard:
    board.set_speed(20)
    return board


def test_a_run_completes_and_is_recorded(fast_board: VirtualBoard, tmp_path: Path) -> None:
    fast_board.set_live(light=230)
    store = open_store(f"sqlite:///{tmp_path / 'runs.db'}")
    events: list[RunEvent] = []
    outcome = run(fast_board, make_activity(tmp_path), store=store, on_event=events.append)
    assert outcome.complete and outcome.completion_key
    kinds = [e.kind for e in events]
    assert "runtime" in kinds and "started" in kinds and "reading" in kinds
    assert kinds.index("completed") < kinds.index("finished")
    saved = store.get_run(outcome.run_id)  # type: ignore[arg-type]
    assert saved.outcome == "complete" and saved.frames == outcome.frames > 0
    assert [c.run_id for c in store.completions()] == [outcome.run_id]
    assert store.task_results(outcome.run_id)[0].state == "done"  # type: ignore[arg-type]


def test_runtime_is_pushed_only_when_missing_or_outdated(
    fast_board: VirtualBoard, tmp_path: Path
) -> None:
    activity = make_activity(tmp_path)
    pushed: list[RunEvent] = []
    run(fast_board, activity, on_event=lambda e: pushed.append(e) if e.kind == "runtime" else None)
    assert {e.data["file"] for e in pushed} >= {"kit.py", "kithal_microbit.py"}
    pushed.clear()
    run(fast_board, activity, on_event=lambda e: pushed.append(e) if e.kind == "runtime" else None)
    assert pushed == []
    (fast_board.flash_dir / "kitver.txt").write_text("older")
    run(fast_board, activity, on_event=lambda e: pushed.append(e) if e.kind == "runtime" else None)
    assert pushed


def test_a_dark_room_ends_incomplete(fast_board: VirtualBoard, tmp_path: Path) -> None:
    fast_board.set_live(light=20)
    outcome = run(fast_board, make_activity(tmp_path))
    assert outcome.outcome == "incomplete" and not outcome.traceback
    assert outcome.tasks[0]["state"] == "failed"


def test_students_own_prints_are_kept_as_console_text(
    fast_board: VirtualBoard, tmp_path: Path
) -> None:
    fast_board.set_live(light=230)
    outcome = run(fast_board, make_activity(tmp_path, before="print('hello from Sam')"))
    assert "hello from Sam" in outcome.console and outcome.complete


def test_an_exception_shows_the_traceback_and_keeps_what_was_done(
    fast_board: VirtualBoard, tmp_path: Path
) -> None:
    fast_board.set_live(light=230)
    store = open_store(f"sqlite:///{tmp_path / 'runs.db'}")
    activity = make_activity(tmp_path, after="x = 1 / 0")
    outcome = run(fast_board, activity, store=store)
    assert "ZeroDivisionError" in outcome.traceback
    # The task was done before the crash: the badge stands.
    assert outcome.complete and len(store.completions()) == 1


def test_a_script_that_runs_forever_is_stopped(fast_board: VirtualBoard, tmp_path: Path) -> None:
    fast_board.set_live(light=20)
    activity = make_activity(tmp_path, after="while True:\n    kit.sleep(100)")
    outcome = run(fast_board, activity, timeout=3)
    assert outcome.outcome == "interrupted"
    assert "still running" in outcome.traceback


def test_a_completion_survives_the_board_being_unplugged(
    fast_board: VirtualBoard, tmp_path: Path
) -> None:
    fast_board.set_live(light=230)
    store_url = f"sqlite:///{tmp_path / 'runs.db'}"
    activity = make_activity(tmp_path, after="while True:\n    kit.sleep(100)")

    def unplug_once_complete(event: RunEvent) -> None:
        if event.kind == "completed":
            threading.Timer(0.2, fast_board.unplug).start()

    outcome = run(fast_board, activity, store=open_store(store_url), on_event=unplug_once_complete)
    assert outcome.complete
    reopened = open_store(store_url)
    assert len(reopened.completions()) == 1 and len(reopened.pending_outbox()) == 1


def _wearkit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wearkit.cli", *args],
        capture_output=True, text=True, timeout=120, env=os.environ.copy(),
    )  # fmt: skip


def test_cli_run_exit_codes_and_json_lines(fast_board: VirtualBoard, tmp_path: Path) -> None:
    activity = make_activity(tmp_path)
    store = f"sqlite:///{tmp_path / 'cli.db'}"
    fast_board.set_live(light=230)
    done = _wearkit("run", str(activity.path), "--port", fast_board.port, "--json",
                    "--store", store)  # fmt: skip
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert events[-1]["event"] == "finished" and events[-1]["outcome"] == "complete"
    assert any(e["event"] == "reading" for e in events)
    fast_board.set_live(light=20)
    assert _wearkit("run", str(activity.path), "--port", fast_board.port,
                    "--store", store).returncode == 1  # fmt: skip
    gone = _wearkit("run", str(activity.path), "--port", "/dev/gone", "--store", store)
    assert gone.returncode == 2 and gone.stderr.startswith("error: /dev/gone")


def test_cli_try_pass_and_fail(tmp_path: Path) -> None:
    activity = make_activity(tmp_path)
    passed = _wearkit("try", str(activity.path), "--speed", "20", "--baud", "0")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "badge earned: Probe" in passed.stdout
    failed = _wearkit("try", str(activity.path), "--scenario", "fail", "--speed", "20")
    assert failed.returncode == 1
    unknown = _wearkit("try", str(activity.path), "--scenario", "windy")
    assert unknown.returncode == 2 and "no scenario 'windy' (its scenarios: fail, pass" in (
        unknown.stderr
    )
