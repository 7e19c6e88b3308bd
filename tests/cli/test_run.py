"""`wearkit run`, `try` and `demo` as a user runs them: separate processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from wearkit.activities import Activity
from wearkit.boards import get_profile
from wearkit.classroom.events import EVENT_TYPES, STREAM_VERSION
from wearkit.errors import SimError
from wearkit.sim import VirtualBoard, start_fleet
from wearkit.store import open_store

Cli = Callable[..., subprocess.CompletedProcess[str]]
MakeActivity = Callable[..., Activity]


def test_run_exit_codes_and_json_lines(
    fast_board: VirtualBoard, light_probe: MakeActivity, tmp_path: Path, wearkit: Cli
) -> None:
    activity = light_probe()
    store = f"sqlite:///{tmp_path / 'cli.db'}"
    fast_board.set_live(light=230)
    done = wearkit("run", str(activity.path), "--port", fast_board.port, "--json",
                   "--store", store, "--learner", "k9x2")  # fmt: skip
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]
    assert {e["v"] for e in events} == {STREAM_VERSION}
    assert {e["event"] for e in events} <= {t.kind for t in EVENT_TYPES}
    last = events[-1]
    assert last["event"] == "finished" and last["outcome"] == "complete"
    assert [(t["id"], t["state"]) for t in last["tasks"]] == [("bright", "done")]
    assert any(e["event"] == "reading" for e in events)
    (completed,) = [e for e in events if e["event"] == "completed"]
    assert completed["learner"] == "k9x2"
    fast_board.set_live(light=20)
    dark = wearkit("run", str(activity.path), "--port", fast_board.port, "--store", store)
    assert dark.returncode == 1
    gone = wearkit("run", str(activity.path), "--port", "/dev/gone", "--store", store)
    assert gone.returncode == 2 and gone.stderr.startswith("error: /dev/gone")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--learner", "Sam Smith"], "is not an opaque learner reference"),
        (["--sign-off", "bright"], "is checked by the board, not signed off"),
        (["--sign-off", "dance"], "no task 'dance'"),
        (["--timeout", "0"], "--timeout"),
        (["--family", "microbit-v9"], "unknown board family 'microbit-v9'"),
    ],
)
def test_bad_run_options_are_named_before_any_board_is_touched(
    light_probe: MakeActivity, wearkit: Cli, args: list[str], message: str
) -> None:
    base = ["run", str(light_probe().path), "--port", "/dev/never-opened", "--family", "cpx"]
    result = wearkit(*base, *args)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "/dev/never-opened" not in result.stderr


def test_try_pass_fail_and_unknown_scenario(light_probe: MakeActivity, wearkit: Cli) -> None:
    activity = light_probe()
    passed = wearkit("try", str(activity.path), "--speed", "20", "--baud", "0")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "badge earned: Probe" in passed.stdout
    failed = wearkit("try", str(activity.path), "--scenario", "fail", "--speed", "20")
    assert failed.returncode == 1
    unknown = wearkit("try", str(activity.path), "--scenario", "windy")
    assert unknown.returncode == 2
    assert "no scenario 'windy' (its scenarios: fail, pass" in unknown.stderr


def test_a_failure_inside_the_simulated_board_is_an_error_not_incomplete() -> None:
    from wearkit import paths
    from wearkit.classroom.tryout import _blame_the_simulator

    sim_file = paths.firmware_dir() / "sim" / "common" / "_simcore.py"
    inside = (f'Traceback (most recent call last):\n  File "<stdin>", line 9, in <module>\n'
              f'  File "{sim_file}", line 80, in light\nValueError: bad row\n')  # fmt: skip
    with pytest.raises(SimError, match=r"the virtual board itself failed \(ValueError: bad row\)"):
        _blame_the_simulator(inside)
    students = 'Traceback (most recent call last):\n  File "<stdin>", line 3\nZeroDivisionError\n'
    _blame_the_simulator(students)  # the student's own error: not the simulator's
    radio = paths.firmware_dir() / "sim" / "microbit" / "radio.py"
    mistake = (
        f'Traceback (most recent call last):\n  File "<stdin>", line 4, in <module>\n'
        f'  File "{radio}", line 58, in send\nValueError: radio is not enabled\n'
    )
    _blame_the_simulator(mistake)  # what a real micro:bit says to that script, too


def test_a_closed_pipe_stops_the_run_quietly(
    fast_board: VirtualBoard, light_probe: MakeActivity, tmp_path: Path
) -> None:
    """`wearkit run ... | head -3`: the reader leaving is not the board going away."""
    fast_board.set_live(light=20)
    url = f"sqlite:///{tmp_path / 'pipe.db'}"
    shell = (f"{sys.executable} -m wearkit.cli run {light_probe().path} --port "
             f"{fast_board.port} --store {url} | head -3")  # fmt: skip
    began = time.monotonic()
    result = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True,
                            text=True, timeout=60, env=os.environ.copy())  # fmt: skip
    assert time.monotonic() - began < 20
    assert len(result.stdout.splitlines()) == 3
    assert "went away" not in result.stderr and "Traceback" not in result.stderr
    (saved,) = open_store(url).list_runs()
    assert saved.outcome == "interrupted"


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_or_sigterm_stops_every_board_and_records_them_interrupted(
    light_probe: MakeActivity, tmp_path: Path, sig: signal.Signals
) -> None:
    url = f"sqlite:///{tmp_path / 'stop.db'}"
    with start_fleet(get_profile("microbit-v2"), 2, baud=None, folder=tmp_path / "b") as fleet:
        ports = [arg for b in fleet.boards for arg in ("--port", b.port)]
        proc = subprocess.Popen(
            [sys.executable, "-m", "wearkit.cli", "run", str(light_probe().path), *ports,
             "--json", "--store", url],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy(),
        )  # fmt: skip
        assert proc.stdout is not None
        reading = set()
        for line in proc.stdout:
            event = json.loads(line)
            if event["event"] == "reading":
                reading.add(event["board"])
            if len(reading) == 2:
                break
        sent = time.monotonic()
        proc.send_signal(sig)
        if sig == signal.SIGINT:  # an impatient second Ctrl-C: no traceback either
            time.sleep(0.1)
            proc.send_signal(sig)
        out, err = proc.communicate(timeout=10)
        took = time.monotonic() - sent
    assert proc.returncode == 130 and took < 3.0, err
    assert "Traceback" not in err
    runs = open_store(url).list_runs()
    assert [r.outcome for r in runs] == ["interrupted", "interrupted"]
    assert all(r.frames > 0 for r in runs)


def test_a_classroom_run_tells_why_each_board_did_not_finish(
    light_probe: MakeActivity, tmp_path: Path, wearkit: Cli
) -> None:
    activity = light_probe(before="print('sensor warming up')", after="x = [][1]")
    with start_fleet(get_profile("microbit-v2"), 2, baud=None, speed=20,
                     folder=tmp_path / "b") as fleet:  # fmt: skip
        bright, dark = fleet.boards
        bright.set_live(light=230)
        dark.set_live(light=20)
        result = wearkit("run", str(activity.path), "--port", bright.port, "--port", dark.port,
                         "--learner", f"{bright.name}=a1", "--learner", f"{dark.port}=b2",
                         "--store", f"sqlite:///{tmp_path / 'c.db'}")  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert f"[{dark.name}]   board> sensor warming up" in result.stdout
    assert f"[{dark.name}] IndexError" in result.stderr  # its traceback, tagged
    rows = {line.split()[0]: line for line in result.stdout.split("why not")[1].splitlines()[1:]}
    assert " complete " in rows[bright.name]
    assert "incomplete" in rows[dark.name] and "IndexError" in rows[dark.name]
    learners = {
        (c.board_name, c.learner)
        for c in open_store(f"sqlite:///{tmp_path / 'c.db'}").completions()
    }
    assert learners == {(bright.name, "a1")}


def test_demo_says_which_board_plays_the_student_still_working(wearkit: Cli) -> None:
    result = wearkit("demo", "--boards", "3", "--speed", "20", timeout=180)
    assert result.returncode == 0, result.stderr
    intro = result.stdout.split("\n\n")[0].splitlines()
    assert "student still working" in intro[3] and "student" not in intro[1] + intro[2]
    table = result.stdout.split("why not")[1].splitlines()[1:4]
    assert [line.split()[2] for line in table] == ["complete", "complete", "incomplete"]
    assert "2 badges earned and recorded" in result.stdout


@pytest.mark.parametrize("count", ["-3", "0", "500"])
def test_demo_board_count_is_checked(wearkit: Cli, count: str) -> None:
    result = wearkit("demo", "--boards", count)
    assert result.returncode == 2 and "--boards" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("csv", "message"),
    [
        ("light\n10\n", "no 't' column"),
        ("t,light\n0,bright\n", "row 2, column 'light': 'bright' is not a number"),
        ("t,lux\n0,10\n", "column 'lux': unknown column"),
        ("t,light\n2,10\n1,20\n", "row 3"),
        ("", "empty"),
    ],
)
def test_try_checks_a_scenario_file_before_any_board_starts(
    light_probe: MakeActivity, wearkit: Cli, tmp_path: Path, csv: str, message: str
) -> None:
    scenario = tmp_path / "mine.csv"
    scenario.write_text(csv)
    result = wearkit("try", str(light_probe().path), "--scenario", str(scenario))
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert "mine.csv" in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("speed", ["0", "-1", "nan", "inf"])
def test_try_and_demo_check_the_speed(light_probe: MakeActivity, wearkit: Cli, speed: str) -> None:
    for args in (["try", str(light_probe().path)], ["demo"]):
        result = wearkit(*args, "--speed", speed)
        assert result.returncode == 2 and "--speed must be a number above 0" in result.stderr
        assert "Traceback" not in result.stderr


def test_a_board_without_micropython_is_told_how_to_get_it(wearkit: Cli) -> None:
    """A serial device that never answers the raw REPL (other firmware, or none)."""
    controller, device = os.openpty()
    try:
        result = wearkit("exec", os.ttyname(device), "print(1)", timeout=60)
    finally:
        os.close(controller)
        os.close(device)
    assert result.returncode == 2 and "is MicroPython or CircuitPython on it?" in result.stderr
    assert "python.microbit.org" in result.stderr and "`wearkit flash`" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
