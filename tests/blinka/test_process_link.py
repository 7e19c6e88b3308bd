"""The process link: run, stop, timeouts and tracebacks as with a serial board, and one
clear line when Blinka or the adapter is missing."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest

from tests.blinka.conftest import OpenBlinka
from wearkit.errors import BoardExecError, LinkError
from wearkit.kits import blinka_url
from wearkit.link import open_link
from wearkit.link.process import PYTHON_ENV


def test_traceback_and_state_between_runs(open_blinka: OpenBlinka) -> None:
    _board, link = open_blinka()
    link.exec("x = 6 * 7")
    assert link.eval("x") == 42  # globals last until a soft reset
    with pytest.raises(BoardExecError) as caught:
        link.exec("import kit\nkit.sound()")
    assert "Raspberry Pi (Blinka) has no 'sound' sensor" in caught.value.traceback
    assert 'File "<stdin>", line 2' in caught.value.traceback
    link.soft_reset()
    with pytest.raises(BoardExecError, match="NameError"):
        link.exec("x")


def test_timeout_interrupts_and_the_board_goes_on(open_blinka: OpenBlinka) -> None:
    _board, link = open_blinka()
    started = time.monotonic()
    result = link.execute("import kit\nprint('on')\nwhile True:\n    kit.sleep(50)", timeout=1)
    assert result.timed_out and result.interrupted and result.output.startswith(b"@k1 ")
    assert b"on" in result.output and time.monotonic() - started < 4
    assert link.eval("1 + 1") == 2


def test_stop_ends_a_run_within_a_second(open_blinka: OpenBlinka) -> None:
    _board, link = open_blinka()
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    started = time.monotonic()
    result = link.execute("while True:\n    pass", timeout=30, stop=stop)
    assert result.interrupted and not result.timed_out
    assert time.monotonic() - started < 2


def test_a_script_that_swallows_ctrl_c_is_ended(open_blinka: OpenBlinka) -> None:
    _board, link = open_blinka()
    code = "import time\nwhile True:\n    try:\n        time.sleep(0.05)\n    except:\n        pass"
    result = link.execute(code, timeout=0.5)
    assert result.interrupted and result.timed_out
    assert link.eval("'fresh'") == "fresh"  # a new process took over


def test_missing_blinka_is_one_line_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PYTHON_ENV, f"{sys.executable} -S")  # no site-packages: no Blinka
    link = open_link(blinka_url("blinka-pi", sim=tmp_path))
    with pytest.raises(LinkError) as caught:
        link.exec("print(1)")
    message = str(caught.value)
    assert "\n" not in message and "has no module 'board'" in message
    assert "-m pip install adafruit-blinka" in message and "wearkit[blinka]" in message


def test_an_adapter_not_plugged_in_is_one_line_with_the_fix() -> None:
    link = open_link(blinka_url("blinka-ft232h"))
    with pytest.raises(LinkError) as caught:
        link.exec("print(1)")
    message = str(caught.value)
    assert message.startswith("blinka:blinka-ft232h: cannot open the FT232H adapter (Blinka) (")
    assert "plug the FT232H adapter (USB 0403:6014) into this computer" in message
    assert "\n" not in message


def test_a_url_that_names_no_blinka_board(tmp_path: Path) -> None:
    with pytest.raises(LinkError, match="microbit-v2 is not a Blinka board .*blinka-pi"):
        open_link("blinka:microbit-v2")
    with pytest.raises(LinkError, match="unknown board family 'nope'"):
        open_link("blinka:nope")
    with pytest.raises(LinkError, match="unknown setting 'speed'"):
        open_link("blinka:blinka-pi?speed=3")
