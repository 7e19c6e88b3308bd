"""The raw-REPL link against real virtual boards (MicroPython on a pty, behind the bridge)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from wearkit.errors import BoardExecError, LinkError
from wearkit.link import SerialLink
from wearkit.sim import VirtualBoard, start_fleet


def test_exec_returns_output(board: VirtualBoard) -> None:
    with SerialLink(board.port) as link:
        assert link.exec("print(6*7)").strip() == "42"
        assert link.eval("[1, 'two', 3.5]") == [1, "two", 3.5]


def test_output_streams_while_code_runs(board: VirtualBoard) -> None:
    arrivals: list[tuple[float, bytes]] = []
    with SerialLink(board.port) as link:
        started = time.monotonic()
        link.exec(
            "import time\nprint('first')\ntime.sleep(0.6)\nprint('second')",
            on_output=lambda data: arrivals.append((time.monotonic() - started, data)),
        )
        finished = time.monotonic() - started
    text = b"".join(data for _, data in arrivals)
    assert text.replace(b"\r\n", b"\n") == b"first\nsecond\n"
    seen = b""
    first_seen = finished
    for at, data in arrivals:
        seen += data
        if b"first" in seen:
            first_seen = at
            break
    assert first_seen < finished - 0.4, "output arrived only at the end, not streamed"


def test_exception_raises_with_the_board_traceback(board: VirtualBoard) -> None:
    with SerialLink(board.port) as link:
        with pytest.raises(BoardExecError) as caught:
            link.exec("print('before')\nraise ValueError('bad reading')")
        assert "ValueError: bad reading" in caught.value.traceback
        assert "Traceback" in caught.value.traceback
        assert caught.value.output.strip() == "before"
        # The link is still usable afterwards.
        assert link.exec("print(1)").strip() == "1"


@pytest.mark.parametrize("compress", [False, True])
def test_put_verifies_a_file_larger_than_the_paste_window(
    board: VirtualBoard, compress: bool
) -> None:
    source = Path(__file__).read_bytes() * 3  # far larger than the 128-byte window
    with SerialLink(board.port) as link:
        result = link.put(source, "big.py", compress=compress)
        assert result.size == len(source) and result.compressed is compress
        assert (board.flash_dir / "big.py").read_bytes() == source
        assert link.exec("import os\nprint(os.stat('big.py')[6])").strip() == str(len(source))


def test_put_binary_file_with_every_byte_value(board: VirtualBoard) -> None:
    data = bytes(range(256)) * 8 + os.urandom(3000) + b"'''\\\r\n\x03\x04\x01"
    progress: list[int] = []
    with SerialLink(board.port) as link:
        for compress in (False, True):
            link.put(data, "blob.bin", compress=compress, progress=lambda d, t: progress.append(d))
            assert (board.flash_dir / "blob.bin").read_bytes() == data
            assert link.read_file("blob.bin") == data
    half = len(progress) // 2
    assert progress[-1] == len(data)
    assert progress == sorted(progress[:half]) + sorted(progress[half:])
    assert not list(board.flash_dir.glob("*.part")) and not list(board.flash_dir.glob("*.z"))


def test_interrupt_a_script_that_runs_forever(board: VirtualBoard) -> None:
    with SerialLink(board.port) as link:
        started = time.monotonic()
        result = link.execute("while True: pass", timeout=0.5)
        assert result.interrupted and result.timed_out
        assert "KeyboardInterrupt" in result.error
        assert time.monotonic() - started < 3
        assert link.exec("print('still here')").strip() == "still here"


def test_stop_event_interrupts_a_running_script(board: VirtualBoard) -> None:
    stop = threading.Event()
    with SerialLink(board.port) as link:
        threading.Timer(0.3, stop.set).start()
        result = link.execute("while True: pass", timeout=None, stop=stop)
        assert result.interrupted and not result.timed_out


def test_soft_reset_gives_a_fresh_interpreter(board: VirtualBoard) -> None:
    with SerialLink(board.port) as link:
        link.exec("remembered = 1")
        assert link.eval("remembered") == 1
        link.soft_reset()
        with pytest.raises(BoardExecError, match="NameError"):
            link.exec("remembered")
    assert board.restarts == 1


def test_unplug_mid_exec_raises_a_clear_error_quickly(board: VirtualBoard) -> None:
    with SerialLink(board.port) as link:
        threading.Timer(0.3, board.unplug).start()
        started = time.monotonic()
        with pytest.raises(LinkError, match=board.port):
            link.execute("while True: pass", timeout=None)
        assert time.monotonic() - started < 2.5


def test_stalled_board_does_not_hang(board: VirtualBoard) -> None:
    with SerialLink(board.port) as link:
        board.stall()
        started = time.monotonic()
        with pytest.raises(LinkError, match=board.port):
            link.execute("print(1)", timeout=1)
        assert time.monotonic() - started < 15
        board.resume()


def test_noise_on_the_line_is_survived(board: VirtualBoard) -> None:
    with SerialLink(board.port) as link:
        board.inject_noise(count=64)
        # Noise that lands while code runs is part of its output (never its end).
        assert "clean" in link.exec("print('clean')")
        assert link.exec("print(2+2)").strip() == "4"


def test_falls_back_to_plain_raw_repl_when_raw_paste_is_refused(
    microbit_v2, tmp_path: Path
) -> None:
    fleet = start_fleet(microbit_v2, 1, baud=None, folder=tmp_path)
    board = fleet.boards[0]
    board.refuse_raw_paste = True
    try:
        with SerialLink(board.port) as link:
            assert link.exec("print(6*7)").strip() == "42"
            assert not link.uses_raw_paste
            data = Path(__file__).read_bytes()
            link.put(data, "copy.py")
            assert (board.flash_dir / "copy.py").read_bytes() == data
    finally:
        fleet.close()


def test_a_missing_port_is_a_clear_error() -> None:
    with pytest.raises(LinkError, match="/dev/does-not-exist: cannot open the port"):
        SerialLink("/dev/does-not-exist")


def test_mpremote_speaks_to_a_virtual_board(board: VirtualBoard) -> None:
    """The ecosystem's own tool works against it: the board speaks the real protocol."""
    result = subprocess.run(
        [sys.executable, "-m", "mpremote", "connect", board.port, "exec", "print(6*7)"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "42"
