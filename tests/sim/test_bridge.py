"""The virtual board's bridge: a real serial line's behaviour on a pty."""

from __future__ import annotations

import time
from pathlib import Path

import serial

from tests.sim.conftest import enter_raw_repl, read_until, start_code
from wearkit.link import SerialLink
from wearkit.sim import VirtualBoard
from wearkit.sim.bridge import cook_newlines


def _read_for(port: serial.Serial, seconds: float) -> bytes:
    data = b""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        data += port.read(port.in_waiting or 1)
    return data


def test_board_sends_crlf_and_prints_soft_reboot(board: VirtualBoard) -> None:
    with serial.Serial(board.port, 115200, timeout=0.1) as port:
        port.write(b"\r\x03\r\x01")
        assert b"raw REPL; CTRL-B to exit\r\n>" in _read_for(port, 0.5)
        port.write(b"print('a')\nprint('b')\x04")
        assert b"a\r\nb\r\n" in _read_for(port, 0.5)
        port.write(b"\x04")
        after = _read_for(port, 1.0)
        assert b"soft reboot\r\n" in after
        assert after.endswith(b"raw REPL; CTRL-B to exit\r\n>")


def test_baud_throttle_paces_output_like_a_real_line(slow_board: VirtualBoard) -> None:
    with SerialLink(slow_board.port) as link:
        started = time.monotonic()
        output = link.exec("print('x' * 5760)")
        elapsed = time.monotonic() - started
    assert len(output.strip()) == 5760
    assert elapsed >= 5760 * 10 / 115200 * 0.95  # half a second at 11,520 bytes/s


def test_main_py_runs_at_power_on_and_ctrl_c_stops_it(microbit_v2, tmp_path: Path) -> None:
    board = VirtualBoard(microbit_v2, "MAINY", tmp_path / "b", baud=None)
    board.flash_dir.mkdir(parents=True)
    (board.flash_dir / "main.py").write_text("print('main started')\nwhile True:\n    pass\n")
    with board:
        with serial.Serial(board.port, 115200, timeout=0.1) as port:
            assert b"main started" in _read_for(port, 0.5)  # its console shows main.py
        # A main.py that runs forever is interrupted when a host connects, as on a board.
        with SerialLink(board.port) as link:
            assert link.exec("print('reached the REPL')").strip() == "reached the REPL"


def test_newlines_are_cooked_across_chunks() -> None:
    assert cook_newlines(b"a\nb\r\n", b"") == b"a\r\nb\r\n"
    assert cook_newlines(b"\nc", b"\r") == b"\nc"  # the \r ended the previous chunk


def test_noise_on_a_quiet_line_arrives_at_once(board: VirtualBoard) -> None:
    with serial.Serial(board.port, 115200, timeout=0.1) as port:
        enter_raw_repl(port)
        board.inject_noise(bytes(range(256)))
        assert _read_for(port, 0.5) == bytes(range(256))


def test_noise_waits_for_the_end_of_a_line(board: VirtualBoard) -> None:
    with serial.Serial(board.port, 115200, timeout=0.1) as port:
        enter_raw_repl(port)
        got = start_code(port, "import time\nprint('half', end='')\ntime.sleep(0.5)\nprint('line')")
        board.inject_noise(b"\x00\x04NOISE")
        got += read_until(port, b"\x04>")
    assert got.startswith(b"halfline\r\n\x00\x04NOISE\x04")
