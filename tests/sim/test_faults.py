"""Faults injected from another process into a board that a real `wearkit sim` runs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import serial

from tests.sim.conftest import Wearkit, enter_raw_repl, read_until, start_code
from wearkit.errors import SimError
from wearkit.sim import VirtualBoard, registry, request_fault
from wearkit.sim.faults import check_fault, noise_burst

TICKS = """\
import time
for i in range({n}):
    print('tick', i)
    time.sleep_ms(10)
"""


def _fault(*args: str) -> subprocess.Popen[str]:
    """`wearkit fault ...` started in the background (it returns once the board took it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "wearkit.cli", "fault", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )


def _finished(fault: subprocess.Popen[str]) -> None:
    out, err = fault.communicate(timeout=20)
    assert fault.returncode == 0, err
    assert out.startswith(f"{fault.args[5]} sent to /dev/")  # type: ignore[index]


def _split_noise(stream: bytes, lines: list[bytes]) -> list[bytes]:
    """What is in ``stream`` between the expected ``lines`` (each must arrive whole)."""
    gaps, pos = [], 0
    for line in lines:
        found = stream.find(line, pos)
        assert found >= 0, f"{line!r} did not arrive whole"
        if found > pos:
            gaps.append(stream[pos:found])
        pos = found + len(line)
    return gaps


def test_noise_from_another_process_is_a_full_range_burst_between_lines(sim_port: str) -> None:
    with serial.Serial(sim_port, 115200, timeout=0.1) as port:
        enter_raw_repl(port)
        stream = start_code(port, TICKS.format(n=500))
        fault = _fault(sim_port, "noise", "--bytes", "300")
        stream += read_until(port, b"tick 499\r\n", 30)
        _finished(fault)
    gaps = _split_noise(stream, [b"tick %d\r\n" % i for i in range(500)])
    assert len(gaps) == 1 and len(gaps[0]) == 300, gaps  # one burst, at a line boundary
    burst = gaps[0]
    assert 0x03 not in burst
    assert any(b < 0x80 for b in burst)  # not only the high half any more


def test_unplug_from_another_process_closes_the_port(sim_port: str, run_wearkit: Wearkit) -> None:
    with serial.Serial(sim_port, 115200, timeout=0.1) as port:
        enter_raw_repl(port)
        fault = _fault(sim_port, "unplug")
        with pytest.raises(serial.SerialException):
            read_until(port, b"never", 10)
        _finished(fault)
    assert sim_port not in run_wearkit("boards").stdout


def test_reset_from_another_process_restarts_the_board_and_runs_main(sim_port: str) -> None:
    info = next(b for b in registry.registered() if b["port"] == sim_port)
    (Path(info["folder"]) / "flash" / "main.py").write_text("print('main.py ran')\n")
    with serial.Serial(sim_port, 115200, timeout=0.1) as port:
        enter_raw_repl(port)
        start_code(port, "while True:\n    pass\n")
        fault = _fault(sim_port, "reset")
        after = read_until(port, b">>> ", 15)
        _finished(fault)
    assert b"main.py ran\r\n" in after and after.endswith(b">>> ")
    assert b"soft reboot" not in after  # the reset button, not Ctrl-D


def test_stall_from_another_process_holds_the_line(sim_port: str) -> None:
    with serial.Serial(sim_port, 115200, timeout=0.05) as port:
        enter_raw_repl(port)
        data = start_code(port, TICKS.format(n=400))
        fault = _fault(sim_port, "stall", "--seconds", "1.5")
        longest, last = 0.0, time.monotonic()
        end = last + 10
        while b"tick 399\r\n" not in data and time.monotonic() < end:
            chunk = port.read(port.in_waiting or 1)
            now = time.monotonic()
            if chunk:
                longest, last = max(longest, now - last), now
                data += chunk
        _finished(fault)
    assert longest >= 1.2


def test_fault_to_a_port_that_is_not_a_virtual_board(run_wearkit: Wearkit) -> None:
    result = run_wearkit("fault", "/dev/ttyACM0", "noise")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: /dev/ttyACM0 is not a running virtual board: live values and faults are for "
        "boards started by `wearkit sim` (`wearkit boards` lists them)"
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["noise", "--bytes", "0"], "--bytes must be a whole number above 0 and at most 65536"),
        (["stall", "--seconds", "nan"], "--seconds must be a number above 0 and at most 3600"),
        (["stall", "--seconds", "-1"], "--seconds must be a number above 0"),
        (["unplug", "--bytes", "5"], "fault unplug takes no options, not --bytes"),
    ],
)
def test_fault_options_are_checked(run_wearkit: Wearkit, args: list[str], message: str) -> None:
    result = run_wearkit("fault", "/dev/ttyACM0", *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {message}"), lines


def test_request_fault_on_a_state_folder_nobody_watches_times_out(tmp_path: Path) -> None:
    with pytest.raises(SimError, match="did not take the noise fault within 0.3 s"):
        request_fault(tmp_path, "noise", timeout=0.3, bytes=10)
    assert list((tmp_path / "faults").iterdir()) == []  # no request left behind


def test_request_fault_reaches_a_board_of_this_process(board: VirtualBoard) -> None:
    request_fault(board.state_dir, "unplug")
    # (Not "its /dev/pts path is gone": another board may be given that number at once.)
    assert board.unplugged


def test_noise_bursts_never_hold_ctrl_c() -> None:
    burst = noise_burst(20000)
    assert 0x03 not in burst and set(burst) == set(range(256)) - {0x03}
    assert check_fault("noise", {}) == {"bytes": 32}
