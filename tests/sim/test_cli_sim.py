"""`wearkit sim`, `live` and `fault` check every input before a board starts: one line, exit 2.

(These mirror host/wearkit/cli/sim.py.)
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.sim.conftest import Wearkit, raw_eval


def _one_line_error(result: object, message: str) -> None:
    assert result.returncode == 2, result  # type: ignore[attr-defined]
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert lines == [f"error: {message}"], lines


@pytest.mark.parametrize("speed", ["0", "nan", "inf", "-2"])
def test_sim_speed_must_be_above_0(run_wearkit: Wearkit, speed: str) -> None:
    started = time.monotonic()
    result = run_wearkit("sim", "--speed", speed)
    _one_line_error(result, f"--speed must be a number above 0 (1 = real time), not {speed}")
    assert time.monotonic() - started < 10  # no board started (it would run until killed)


def test_sim_baud_must_not_be_negative(run_wearkit: Wearkit) -> None:
    _one_line_error(
        run_wearkit("sim", "--baud", "-5"),
        "--baud must be a whole number of bits a second, like 115200, or 0 for an "
        "unthrottled line, not -5",
    )


@pytest.mark.parametrize("count", ["500", "0", "-3"])
def test_sim_boards_has_a_limit(run_wearkit: Wearkit, count: str) -> None:
    _one_line_error(
        run_wearkit("sim", "--boards", count),
        f"--boards must be a whole number from 1 to 64 (two classrooms; each board is an "
        f"interpreter process), not {count}",
    )


@pytest.mark.parametrize(
    ("csv", "problem"),
    [
        ("light\n10\n", "row 1: no 't' column"),
        ("t,light\n0,bright\n", "row 2, column 'light': 'bright' is not a number"),
        ("t,lux\n0,1\n", "row 1, column 'lux': unknown column"),
        ("", "empty"),
        ("t,light\n1,10\n0,20\n", "row 3, column 't': 0 comes after 1"),
    ],
)
def test_sim_scenario_is_checked_first(
    run_wearkit: Wearkit, tmp_path: Path, csv: str, problem: str
) -> None:
    scenario = tmp_path / "trace.csv"
    scenario.write_text(csv)
    result = run_wearkit("sim", "--scenario", str(scenario))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and problem in lines[0] and "trace.csv" in lines[0], lines


def test_sim_scenario_of_binary_bytes(run_wearkit: Wearkit, tmp_path: Path) -> None:
    scenario = tmp_path / "trace.csv"
    scenario.write_bytes(b"t,light\n0,\x00\xff\n")
    result = run_wearkit("sim", "--scenario", str(scenario))
    assert result.returncode == 2 and "not a text file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("temp=inf", "temp must be a finite number, not inf"),
        ("temp=nan", "temp must be a finite number, not nan"),
        ("light=-50", "light must be between 0 and 255, not -50"),
        ("button_a=2", "button_a is 0 (released) or 1 (pressed), not 2"),
        ("lux=3", "unknown sensor 'lux'; known: ax, ay, az, light"),
        ("light=bright", "'light=bright': 'bright' is not a number"),
        ("light", "'light': expected SENSOR=VALUE, like light=200"),
    ],
)
def test_live_values_are_checked(run_wearkit: Wearkit, value: str, message: str) -> None:
    result = run_wearkit("live", "/dev/ttyACM0", value)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {message}"), lines


def test_live_on_a_port_that_is_not_a_virtual_board(run_wearkit: Wearkit) -> None:
    _one_line_error(
        run_wearkit("live", "/dev/ttyACM0", "light=200"),
        "/dev/ttyACM0 is not a running virtual board: live values and faults are for boards "
        "started by `wearkit sim` (`wearkit boards` lists them)",
    )


def test_live_sets_a_board_run_by_another_process(run_wearkit: Wearkit, sim_port: str) -> None:
    result = run_wearkit("live", sim_port, "light=200", "temp=-3.5")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "light=200 temp=-3.5"
    assert raw_eval(sim_port, "__import__('microbit').display.read_light_level()") == "200"
