"""kit on every family's simulated native modules, in the real MicroPython."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from tests.firmware.firmware_helpers import FAMILIES, MICROPYTHON, RunBoard, board_env, results

ROW = (
    "t,ax,ay,az,light,temp,sound,button_a,button_b,touch_A1,touch_A2\n"
    "0,250,-500,1550,200,30.5,99,1,0,1,0\n"
)

READ_ALL = """\
import json, kit
got = {}
if kit.has("accel"): got["accel"] = list(kit.accel())
if kit.has("light"): got["light"] = kit.light()
if kit.has("temp"): got["temp"] = kit.temp()
if kit.has("sound"): got["sound"] = kit.sound()
if kit.has("buttons"): got["a"] = kit.button("a")
if kit.has("touch"): got["touch"] = [kit.touch("A1"), kit.touch("A2")]
print("=" + json.dumps(got))
"""


@pytest.mark.parametrize("family", FAMILIES)
def test_each_hal_reads_a_scenario_row_in_kit_units(run_board: RunBoard, family: str) -> None:
    [got] = results(run_board(READ_ALL, family, scenario=ROW))
    assert got["accel"] == pytest.approx([250, -500, 1550], abs=4)  # the part's resolution
    assert got["light"] == 200
    assert got["temp"] == pytest.approx(30.5, abs=0.51)  # the micro:bit reads whole degrees
    assert got["a"] is True
    assert got["touch"] == [True, False]
    assert got.get("sound", 99) == 99
    assert ("sound" in got) == (family not in ("microbit-v1", "esp32-wearable"))


def test_defaults_without_a_scenario(run_board: RunBoard) -> None:
    [got] = results(run_board(READ_ALL))
    assert got == {"accel": [0, 0, -1000], "light": 120, "temp": 21, "sound": 10, "a": False,
                   "touch": [False, False]}  # fmt: skip


def test_readings_follow_the_scenario_on_the_virtual_clock(run_board: RunBoard) -> None:
    script = """\
import kit
for until in (0, 2100, 4100, 6100):
    while kit.ms() < until:
        kit.sleep(20)
    print("=[%d, %d, %d]" % (kit.ms(), kit.light(), kit.button("b")))
"""
    scenario = "# dark, then bright, then dim\nt,light,button_b\n0,10,0\n2,200,\n4,50,1\n\n6,,0\n"
    # on a Circuit Playground: its phototransistor follows at once (a micro:bit's lags)
    got = results(run_board(script, "cpx", scenario=scenario))
    assert [row[1:] for row in got] == [[10, 0], [200, 0], [50, 1], [50, 0]]
    times = [row[0] for row in got]
    starts = (0, 2100, 4100, 6100)
    assert all(until <= t < until + 300 for until, t in zip(starts, times, strict=True))


def test_live_values_override_the_scenario_and_are_reread(tmp_path: Path, state_dir: Path) -> None:
    (state_dir / "scenario.csv").write_text("t,light\n0,10\n")
    (state_dir / "live.json").write_text(json.dumps({"light": 77}))
    (tmp_path / "main.py").write_text("""\
import kit
print("=%d" % kit.light())
while kit.light() != 99:
    kit.sleep(50)
print("=%d %d" % (kit.light(), kit.accel()[2]))
""")
    env = board_env(state_dir, "virtual", 1.0)
    with subprocess.Popen([str(MICROPYTHON), "main.py"], cwd=tmp_path, env=env,
                          stdout=subprocess.PIPE, text=True) as proc:  # fmt: skip
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith("@k1 0 ")
        assert proc.stdout.readline() == "=77\n"
        tmp = state_dir / "live.tmp"
        tmp.write_text(json.dumps({"light": 99, "az": 500}))
        os.replace(tmp, state_dir / "live.json")
        assert proc.wait(timeout=10) == 0
        assert proc.stdout.read() == "=99 500\n"


def test_sleep_follows_the_virtual_clock(run_board: RunBoard) -> None:
    script = """\
import _simcore, kit, time
r0, v0 = _simcore.real.ticks_ms(), kit.ms()
kit.sleep(10000)
print("=[%d, %d]" % (_simcore.real.ticks_diff(_simcore.real.ticks_ms(), r0), kit.ms() - v0))
t0 = time.ticks_ms()
time.sleep(1)
print("=%d" % time.ticks_diff(time.ticks_ms(), t0))
"""
    started = time.monotonic()
    [[real_ms, virtual_ms], slept] = results(run_board(script, speed=50))
    assert 190 <= real_ms < 400
    assert 10000 <= virtual_ms < 10300
    assert 1000 <= slept < 1300
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    ("family", "call", "message"),
    [
        ("microbit-v1", "kit.sound()", "micro:bit v1 has no 'sound' sensor"),
        ("microbit-v1", "kit.touch('A4')", "micro:bit v1 has no touch pad 'A4'"),
        ("microbit-v2", "kit.pixels((1, 2, 3))", "micro:bit v2 has no pixels"),
        ("cpx", "kit.show('hi')", "Circuit Playground Express has no display"),
        ("esp32-wearable", "kit.sound()", "ESP32 wearable has no 'sound' sensor"),
        ("esp32-wearable", "kit.button('c')", "ESP32 wearable has no button 'c'"),
    ],
)
def test_missing_capability(run_board: RunBoard, family: str, call: str, message: str) -> None:
    script = f"""\
import json, kit
try:
    {call}
except kit.MissingCapability as e:
    print("=" + json.dumps([str(e), isinstance(e, Exception)]))
"""
    [[text, is_exception]] = results(run_board(script, family))
    capability = call[4:].split("(")[0].replace("show", "display").replace("button", "buttons")
    assert text == f"{message} (capability '{capability}')"
    assert is_exception


def test_outputs_are_recorded(run_board: RunBoard, state_dir: Path) -> None:
    run_board("import kit\nkit.show('hi')\nkit.pixels([(1, 2, 3), (4, 5, 6)])\nkit.sleep(500)\n"
              "kit.pixels((9, 9, 9))\nkit.sleep(5000)\n")  # fmt: skip
    outputs = json.loads((state_dir / "outputs.json").read_text())
    assert outputs == {"display": "hi", "pixels": [[9, 9, 9]] * 10}


def test_unknown_scenario_column_is_named(run_board: RunBoard, state_dir: Path) -> None:
    proc = run_board("import kit\n", scenario="t,lihgt\n0,5\n", check=False)
    assert proc.returncode != 0
    assert f"scenario {state_dir}/scenario.csv: unknown column 'lihgt'" in proc.stdout


def test_time_module_follows_the_virtual_clock(run_board: RunBoard) -> None:
    script = """\
import time, utime
names = ("sleep", "sleep_ms", "sleep_us", "ticks_ms", "ticks_us", "ticks_diff", "ticks_add",
         "ticks_cpu", "time", "time_ns", "localtime", "gmtime", "mktime", "monotonic",
         "monotonic_ns")
print("=%d" % len([n for n in names if hasattr(time, n) and hasattr(utime, n)]))
t, m = time.ticks_us(), time.monotonic()
time.sleep_ms(3000)
print("=[%d, %d]" % (time.ticks_diff(time.ticks_us(), t) // 1000, (time.monotonic() - m) * 1000))
print("=%d" % time.ticks_diff(time.ticks_add(5, -10), 5))
"""
    [count, [us_ms, mono_ms], diff] = results(run_board(script, speed=100))
    assert count == 15
    assert 3000 <= us_ms < 3300 and 3000 <= mono_ms < 3300
    assert diff == -10
