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
from wearkit.link import SerialLink, open_link
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


def test_noise_bytes_a_script_prints_never_end_its_run(board: VirtualBoard) -> None:
    # Every byte value but Ctrl-C, a stray 0x04 followed by text that reads like a
    # traceback, and output after it: the run ends only at the board's real end.
    script = (
        "import sys\nout = sys.stdout.buffer\n"
        "out.write(bytes(b for b in range(256) if b != 3))\n"
        "out.write(b'\\x04Traceback (not one)\\n')\n"
        "print('still running')\n"
    )
    with SerialLink(board.port) as link:
        result = link.execute(script, timeout=10)
        assert result.ok and result.error == ""
        assert result.output.endswith(b"still running\r\n")
        assert b"\x04Traceback (not one)" in result.output
        assert bytes(range(4, 10)) in result.output
        assert link.exec("print('next')").strip() == "next"


def _put_cut_short(port: str, flash_dir: Path, tmp_path: Path) -> None:
    """A separate process puts a large file and is SIGKILLed halfway through."""
    big = tmp_path / "big.bin"
    big.write_bytes(os.urandom(40000))
    code = (
        "import sys\nfrom pathlib import Path\nfrom wearkit.link import open_link\n"
        "with open_link(sys.argv[1]) as link:\n"
        "    link.put(Path(sys.argv[2]).read_bytes(), 'big.bin', compress=False)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code, port, str(big)])
    # Cut it short once the copy is under way (however long a loaded host takes to start).
    ends = time.monotonic() + 30
    while not list(flash_dir.glob("*.part")) and time.monotonic() < ends:
        time.sleep(0.05)
    time.sleep(0.3)
    assert child.poll() is None, "the put finished before it could be cut short"
    child.kill()
    child.wait()


def test_a_put_cut_short_leaves_no_stray_file_after_the_next_connection(
    slow_board: VirtualBoard, tmp_path: Path
) -> None:
    _put_cut_short(slow_board.port, slow_board.flash_dir, tmp_path)
    assert list(slow_board.flash_dir.glob("*.part")), "the cut-short put left nothing to clean"
    with open_link(slow_board.port) as link:  # the board was left mid raw-paste
        link.remove_strays()
        assert link.exec("print('fine')").strip() == "fine"
    assert not list(slow_board.flash_dir.glob("*.part"))
    assert not (slow_board.flash_dir / "big.bin").exists()


def test_the_next_put_removes_what_a_cut_short_put_left(
    slow_board: VirtualBoard, tmp_path: Path
) -> None:
    _put_cut_short(slow_board.port, slow_board.flash_dir, tmp_path)
    with open_link(slow_board.port) as link:
        link.put(b"print(1)\n", "main.py")
    assert sorted(p.name for p in slow_board.flash_dir.iterdir()) == ["main.py"]


def test_a_put_works_on_a_board_whose_heap_a_script_filled(board: VirtualBoard) -> None:
    with SerialLink(board.port) as link:
        result = link.execute("hog = []\nwhile True:\n hog.append(bytearray(512))", timeout=20)
        assert "MemoryError" in result.error
    with open_link(board.port) as link:
        link.put(b"print('hi')\n", "hi.py")
        assert link.exec("import hi").strip() == "hi"
    assert (board.flash_dir / "hi.py").read_bytes() == b"print('hi')\n"


def test_open_link_takes_a_pyserial_url() -> None:
    with pytest.raises(LinkError, match="loop://"):
        open_link("loop://", baudrate=9600)  # a loopback is no board: no raw REPL answer


def test_a_script_that_swallows_ctrl_c_is_reported_not_followed_forever(
    board: VirtualBoard,
) -> None:
    stubborn = (
        "import time\nwhile True:\n    try:\n        time.sleep(0.05)\n"
        "        print('still here')\n    except:\n        pass\n"
    )
    began = time.monotonic()
    with open_link(board.port) as link:
        with pytest.raises(LinkError, match="kept running after Ctrl-C"):
            link.execute(stubborn, timeout=1)
    assert time.monotonic() - began < 15
