"""VirtualBoard: its inputs are checked, its sensors read like the real parts."""

from __future__ import annotations

from pathlib import Path

import pytest
import serial

from tests.sim.conftest import enter_raw_repl, raw_eval, read_until, start_code
from wearkit import paths
from wearkit.boards import BoardProfile, get_profile
from wearkit.errors import ActivityError, SimError
from wearkit.sim import VirtualBoard, start_fleet


@pytest.mark.parametrize("speed", [0, float("nan"), float("inf"), -1])
def test_speed_is_checked_where_the_board_is_made(
    microbit_v2: BoardProfile, tmp_path: Path, speed: float
) -> None:
    with pytest.raises(SimError, match=r"^--speed must be a number above 0 \(1 = real time\), not"):
        VirtualBoard(microbit_v2, "SPEDY", tmp_path, speed=speed)


def test_set_speed_is_checked(board: VirtualBoard) -> None:
    with pytest.raises(SimError, match="not 0$"):
        board.set_speed(0)
    assert board.speed == 1.0


def test_set_scenario_is_checked_and_keeps_the_old_one(board: VirtualBoard, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text("t,light\n0,30\n")
    board.set_scenario(good)
    bad = tmp_path / "bad.csv"
    bad.write_text("t,light\n0,30\n1,dark\n")
    with pytest.raises(ActivityError, match="bad.csv: row 3, column 'light': 'dark' is not"):
        board.set_scenario(bad)
    assert (board.state_dir / "scenario.csv").read_text() == good.read_text()


CLIPPED = "(m.display.read_light_level(), m.temperature(), m.accelerometer.get_x())"


def test_sensors_clip_to_their_range(board: VirtualBoard) -> None:
    # Written as any other program may write it (a web slider), not through write_live.
    paths.write_atomic(board.state_dir / "live.json", '{"light": 999, "temp": -80, "ax": 1e6}')
    assert raw_eval(board.port, f"(lambda m: {CLIPPED})(__import__('microbit'))") == (
        "(255, -40, 2000)"  # the micro:bit's accelerometer reads ±2 g
    )


def test_sensors_clip_on_a_micro_bit_v1(tmp_path: Path) -> None:
    with start_fleet(get_profile("microbit-v1"), 1, baud=None, folder=tmp_path) as fleet:
        v1 = fleet.boards[0]
        paths.write_atomic(v1.state_dir / "live.json", '{"light": -50}')
        assert raw_eval(v1.port, "__import__('microbit').display.read_light_level()") == "0"


def test_reset_runs_main_and_leaves_the_raw_repl(board: VirtualBoard) -> None:
    (board.flash_dir / "main.py").write_text("print('main again')\n")
    with serial.Serial(board.port, 115200, timeout=0.1) as port:
        enter_raw_repl(port)
        start_code(port, "while True:\n    pass\n")
        board.reset()
        after = read_until(port, b">>> ")
    assert b"main again\r\n" in after and after.endswith(b">>> ")
    assert board.restarts == 1


def test_unplug_removes_the_port(board: VirtualBoard) -> None:
    board.unplug()
    assert board.unplugged
    assert not Path(board.port).exists()
