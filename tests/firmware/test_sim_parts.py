"""Simulated sensors read like the real parts: scenarios stream from the file, readings clip
to the part's range and lag as the part does (board profiles' [sim.<capability>]), and each
simulated native module keeps its own library's axes and units while kit.accel() keeps kit's."""

from __future__ import annotations

import pytest

from tests.firmware.firmware_helpers import RunBoard, results

MICROBITS = ["microbit-v1", "microbit-v2"]


def _trace_row(i: int) -> tuple[int, int, int]:
    """Row ``i`` of a made-up 50 Hz wrist trace: every value differs and lies on the
    micro:bit's 4 mg steps inside its ±2 g."""
    return (4 * ((i * 37) % 500) - 1000, 4 * ((i * 11) % 400) - 800, -1000 + 4 * (i % 50))


def test_a_60_s_50_hz_3_axis_trace_replays_on_a_virtual_microbit_v1(run_board: RunBoard) -> None:
    lines = ["# 60 s at 50 Hz: 3,001 rows", "t,ax,ay,az"]
    lines += [f"{i / 50:.2f},{','.join(map(str, _trace_row(i)))}" for i in range(3001)]
    script = """\
import gc, kit
for k in range(1, 61):
    while kit.ms() < k * 1000 + 7:  # between two rows

        kit.sleep(10)
    t = kit.ms()
    x, y, z = kit.accel()
    print("=[%d, %d, %d, %d, %d]" % (t, kit.ms(), x, y, z))
gc.collect()
print("=%d" % gc.mem_free())
"""
    got = results(run_board(script, "microbit-v1", scenario="\n".join(lines) + "\n", speed=200))
    *rows, free = got
    assert len(rows) == 60
    for t0, t1, *accel in rows:  # computing takes real time: a row may pass mid-read
        due = [_trace_row(i) for i in range(t0 // 20, t1 // 20 + 1)]
        assert all(accel[axis] in {row[axis] for row in due} for axis in range(3)), (t0, t1)
    assert free > 8000  # the trace is not in the heap


@pytest.mark.parametrize("family", MICROBITS)
def test_a_microbit_sees_a_step_from_dark_to_bright_gradually(
    run_board: RunBoard, family: str
) -> None:
    got = results(run_board(_LIGHT_STEP, family, scenario="t,light\n0,0\n1,255\n"))
    before, *after = (level for _, level in got)
    assert before == 0
    assert after == sorted(after) and after[0] < 100 and 100 < after[1] < 220 and after[-1] > 245


@pytest.mark.parametrize("family", ["cpx", "cpb", "esp32-wearable", "virtual"])
def test_a_phototransistor_sees_the_step_at_once(run_board: RunBoard, family: str) -> None:
    got = results(run_board(_LIGHT_STEP, family, scenario="t,light\n0,0\n1,255\n"))
    assert [level for _, level in got] == [0, 255, 255, 255]


_LIGHT_STEP = """\
import kit
for until in (900, 1050, 1250, 2000):  # the step is at 1000 ms
    while kit.ms() < until:
        kit.sleep(10)
    print("=[%d, %d]" % (kit.ms(), kit.light()))
"""


def test_the_lag_follows_the_rows_times_however_rarely_it_is_read(run_board: RunBoard) -> None:
    """Bright for 100 ms, then dark, read once at 1.25 s: the short flash has mostly faded,
    as on a real micro:bit, whether or not the script was reading at the time."""
    script = """\
import kit
kit.sleep(1250)
print("=%d" % kit.light())
"""
    scenario = "t,light\n0,0\n1,255\n1.1,0\n"
    [level] = results(run_board(script, "microbit-v2", scenario=scenario))
    assert 10 < level < 50  # 255 * (1 - e^-0.4) * e^-0.6: about 31


ACCEL_BOTH = """\
import kit
print("=" + repr(list(kit.accel())).replace("(", "[").replace(")", "]"))
"""


@pytest.mark.parametrize(
    ("family", "expected"),
    [
        ("microbit-v1", [2000, -2000, -1000]),
        ("microbit-v2", [2000, -2000, -1000]),
        ("esp32-wearable", [2000, -2000, -1000]),
        ("cpx", [8000, -2600, -1000]),
        ("cpb", [8000, -2600, -1000]),
        ("virtual", [9000, -2600, -1000]),
    ],
)
def test_accelerometer_readings_clip_to_the_parts_range(
    run_board: RunBoard, family: str, expected: list[int]
) -> None:
    [got] = results(run_board(ACCEL_BOTH, family, scenario="t,ax,ay,az\n0,9000,-2600,-1000\n"))
    assert got == pytest.approx(expected, abs=4)


def test_a_microbit_accelerometer_reads_further_after_set_range(run_board: RunBoard) -> None:
    script = """\
from microbit import accelerometer
import kit
a = kit.accel()
accelerometer.set_range(8)
print("=[%d, %d]" % (a[0], kit.accel()[0]))
"""
    got = results(run_board(script, "microbit-v2", scenario="t,ax\n0,3500\n"))
    assert got == [[2000, 3500]]


# Face up and still, then tilted onto its right edge, in kit's convention (the scenario's).
FACE_UP = "t,ax,ay,az\n0,0,0,-1000\n1,1000,0,0\n"
NATIVE = {
    "microbit-v1": "from microbit import accelerometer as a\nnative = lambda: a.get_values()\n",
    "microbit-v2": "from microbit import accelerometer as a\nnative = lambda: a.get_values()\n",
    "cpx": "from adafruit_circuitplayground import cp\nnative = lambda: cp.acceleration\n",
    "cpb": "from adafruit_circuitplayground import cp\nnative = lambda: cp.acceleration\n",
    # the MPU-6050's raw registers, read as a MicroPython driver reads them
    "esp32-wearable": """\
import struct
from machine import I2C, Pin
i2c = I2C(0, scl=Pin(22), sda=Pin(21))
i2c.writeto_mem(0x68, 0x6B, b"\\x00")
native = lambda: struct.unpack(">hhh", i2c.readfrom_mem(0x68, 0x3B, 6))
""",
}
AXES = """\
for until in (0, 1000):
    while kit.ms() < until:
        kit.sleep(20)
    print("=" + repr([list(kit.accel()), list(native())]))
"""


@pytest.mark.parametrize(
    ("family", "face_up", "right_edge_down"),
    [
        ("microbit-v1", [0, 0, -1000], [1000, 0, 0]),  # milli-g, the micro:bit's own
        ("microbit-v2", [0, 0, -1000], [1000, 0, 0]),
        ("cpx", [0, 0, 9.807], [-9.807, 0, 0]),  # adafruit_lis3dh: m/s^2, +9.8 up
        ("cpb", [0, 0, 9.807], [-9.807, 0, 0]),
        ("esp32-wearable", [0, 0, 16384], [-16384, 0, 0]),  # MPU-6050: 16384 LSB/g, +1 g up
    ],
)
def test_each_native_module_keeps_its_own_convention_and_kit_keeps_kits(
    run_board: RunBoard, family: str, face_up: list[float], right_edge_down: list[float]
) -> None:
    # kit first: a virtual micro:bit v1 compiles it only before the big simulated modules
    got = results(run_board("import kit\n" + NATIVE[family] + AXES, family, scenario=FACE_UP))
    assert [kit for kit, _ in got] == [
        pytest.approx([0, 0, -1000], abs=1),
        pytest.approx([1000, 0, 0], abs=1),
    ]
    assert [native for _, native in got] == [
        pytest.approx(face_up, abs=0.01),
        pytest.approx(right_edge_down, abs=0.01),
    ]
