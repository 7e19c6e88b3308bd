"""The radio on virtual boards, in the real MicroPython: kit.send/kit.receive, the simulated
micro:bit `radio` and ESP32 `espnow`, and the air folder that boards of a fleet share."""

from __future__ import annotations

import contextlib
import json
import subprocess
from pathlib import Path

import pytest

from tests.firmware.firmware_helpers import MICROPYTHON, RunBoard, board_env, results

RADIO_FAMILIES = ["microbit-v1", "microbit-v2", "esp32-wearable", "virtual"]
DEADLINE_MS = 20000  # virtual ms a receiver waits at most (2 s real at speed 10)


def _start(tmp_path: Path, name: str, family: str, script: str, air: Path,
           speed: float = 10.0) -> subprocess.Popen[str]:  # fmt: skip
    """One board's interpreter running ``script``, named ``name``, on the air folder ``air``."""
    folder = tmp_path / name
    state = folder / "state"
    state.mkdir(parents=True, exist_ok=True)
    env = board_env(state, family, speed)
    info = json.loads((state / "board.json").read_text())
    (state / "board.json").write_text(json.dumps({**info, "name": name}))
    env["WEARKIT_SIM_AIR"] = str(air)
    (folder / "main.py").write_text(script)
    return subprocess.Popen([str(MICROPYTHON), "main.py"], cwd=folder, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip


def _run(tmp_path: Path, name: str, family: str, script: str, air: Path) -> list[object]:
    with _start(tmp_path, name, family, script, air) as proc:
        out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    return results(subprocess.CompletedProcess([], 0, out, ""))


def _wait_ready(proc: subprocess.Popen[str]) -> None:
    """Read the receiver's output up to its "=ready" line (its radio is on)."""
    assert proc.stdout is not None
    seen = ""
    for line in proc.stdout:
        seen += line
        if line.strip() == "=ready":
            return
    raise AssertionError(f"the receiver never got ready:\n{seen}")


def _finish(proc: subprocess.Popen[str]) -> list[object]:
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 0, out
    return results(subprocess.CompletedProcess([], 0, out, ""))


KIT_RECEIVER = """\
import json, kit
kit.receive()
print("=ready")
got = []
while len(got) < %d and kit.ms() < %d:
    m = kit.receive()
    if m is not None:
        got.append(m)
    kit.sleep(20)
kit.sleep(500)
print("=" + json.dumps([got, kit.receive()]))
"""

KIT_SENDER = """\
import json, kit
kit.send(%r)
print("=" + json.dumps(kit.receive()))
"""
LONGEST = "w\u00f6rld: 32 bytes long, exactly!!"


@pytest.mark.parametrize("family", RADIO_FAMILIES)
def test_kit_sends_to_another_board_on_the_air(tmp_path: Path, family: str) -> None:
    air = tmp_path / "air"
    air.mkdir()
    assert len(LONGEST.encode()) == 32
    with _start(tmp_path, "BOB", family, KIT_RECEIVER % (2, DEADLINE_MS), air) as receiver:
        _wait_ready(receiver)
        # A board never hears itself; the same board restarted goes on with new messages.
        assert _run(tmp_path, "ALICE", family, KIT_SENDER % "hello", air) == [None]
        assert _run(tmp_path, "ALICE", family, KIT_SENDER % LONGEST, air) == [None]
        [[got, after]] = _finish(receiver)
    assert got == ["hello", LONGEST]
    assert after is None


def test_what_was_sent_before_the_radio_was_on_is_missed(tmp_path: Path) -> None:
    air = tmp_path / "air"
    air.mkdir()
    assert _run(tmp_path, "EARLY", "virtual", "import kit\nkit.send('too early')\n", air) == []
    with _start(tmp_path, "BOB", "virtual", KIT_RECEIVER % (1, DEADLINE_MS), air) as receiver:
        _wait_ready(receiver)
        _run(tmp_path, "LATE", "virtual", "import kit\nkit.send('in time')\n", air)
        [[got, after]] = _finish(receiver)
    assert (got, after) == (["in time"], None)


MICROBIT_RECEIVER = """\
import json, time, radio
radio.config(group=1)
radio.on()
print("=ready")
got = []
t = time.ticks_ms()
while not got and time.ticks_diff(time.ticks_ms(), t) < %d:
    got = [m for m in [radio.receive()] if m is not None]
    time.sleep_ms(20)
time.sleep_ms(500)
print("=" + json.dumps([got, radio.receive()]))
"""


def test_microbit_radio_respects_groups(tmp_path: Path) -> None:
    air = tmp_path / "air"
    air.mkdir()
    sender = """\
import radio
radio.on()
radio.config(group=2)
radio.send("group 2")
radio.config(group=1)
radio.send("group 1")
"""
    with _start(tmp_path, "BOB", "microbit-v2", MICROBIT_RECEIVER % DEADLINE_MS, air) as receiver:
        _wait_ready(receiver)
        _run(tmp_path, "ALICE", "microbit-v1", sender, air)
        [[got, after]] = _finish(receiver)
    assert (got, after) == (["group 1"], None)


def test_microbit_radio_queue_holds_three_then_drops(tmp_path: Path) -> None:
    air = tmp_path / "air"
    air.mkdir()
    receiver_script = """\
import json, os, time, radio
radio.on()
print("=ready")
while len([n for n in os.listdir(os.getenv("WEARKIT_SIM_AIR")) if n[0] != "."]) < 5:
    # all five sent (renamed from their dot-names), none read yet
    time.sleep_ms(10)
got = []
t = time.ticks_ms()
while time.ticks_diff(time.ticks_ms(), t) < 3000:
    m = radio.receive_full()
    if m:
        got.append([str(m[0], "utf-8"), m[1] < 0, type(m[2]) is int])
    time.sleep_ms(20)
print("=" + json.dumps(got))
"""
    sender = "import radio\nradio.on()\nfor i in range(5):\n    radio.send('m%d' % i)\n"
    with _start(tmp_path, "BOB", "microbit-v1", receiver_script, air) as receiver:
        _wait_ready(receiver)
        _run(tmp_path, "ALICE", "microbit-v2", sender, air)
        [got] = _finish(receiver)
    assert got == [["\x01\x00\x01m0", True, True], ["\x01\x00\x01m1", True, True],
                   ["\x01\x00\x01m2", True, True]]  # fmt: skip


def test_microbit_radio_module_behaves_as_the_device(run_board: RunBoard) -> None:
    script = """\
import json, radio
out = []
try:
    radio.send("off")
except ValueError as e:
    out.append(str(e))
try:
    radio.config(channel=84)
except ValueError as e:
    out.append(str(e))
radio.on()
out.append(radio.receive())
radio.config(length=8, queue=2, group=3)
radio.send("a long message")  # cut to 8 bytes, nobody else hears it
radio.reset()
radio.off()
print("=" + json.dumps(out))
"""
    [out] = results(run_board(script, "microbit-v2"))
    assert out == ["radio is not enabled", "value out of range for argument 'channel'", None]


def test_scenario_radio_column_is_heard_after_the_radio_is_on(run_board: RunBoard) -> None:
    script = """\
import json, kit
kit.sleep(1000)
got = []
while kit.ms() < 4000:
    m = kit.receive()
    if m is not None:
        got.append([m, kit.ms() // 100])
    kit.sleep(20)
print("=" + json.dumps(got))
"""
    scenario = "t,light,radio\n0,10,\n0.5,,too early\n2,,hello there\n2.5,20,\n3,,bye\n"
    for family in ("microbit-v2", "esp32-wearable", "virtual"):
        [got] = results(run_board(script, family, scenario=scenario))
        assert [m for m, _ in got] == ["hello there", "bye"], family
        assert 20 <= got[0][1] < 24 and 30 <= got[1][1] < 34, family


def test_kit_send_checks_the_message_and_the_capability(run_board: RunBoard) -> None:
    script = """\
import json, kit
out = []
for text in ("x" * 33, "", "\\u00e9" * 17):
    try:
        kit.send(text)
    except ValueError as e:
        out.append(str(e))
kit.send(12345)
print("=" + json.dumps(out))
"""
    [out] = results(run_board(script, "virtual"))
    assert out == ["kit.send: a message is 1 to 32 bytes, not 33",
                   "kit.send: a message is 1 to 32 bytes, not 0",
                   "kit.send: a message is 1 to 32 bytes, not 34"]  # fmt: skip


@pytest.mark.parametrize(
    ("family", "name"),
    [("cpx", "Circuit Playground Express"), ("cpb", "Circuit Playground Bluefruit")],
)
def test_no_radio_on_circuit_playground(run_board: RunBoard, family: str, name: str) -> None:
    script = """\
import json, kit
out = [kit.has("radio")]
for call in (lambda: kit.send("hi"), kit.receive):
    try:
        call()
    except kit.MissingCapability as e:
        out.append(str(e))
print("=" + json.dumps(out))
"""
    [out] = results(run_board(script, family))
    assert out == [False] + [f"{name} has no radio (capability 'radio')"] * 2


def test_espnow_needs_wlan_and_times_out(run_board: RunBoard) -> None:
    script = """\
import json, espnow, network
out = []
e = espnow.ESPNow()
e.active(True)
e.add_peer(b"\\xff" * 6)
try:
    e.send(b"\\xff" * 6, "hi")
except OSError as err:
    out.append(err.args[1])
sta = network.WLAN(network.STA_IF)
sta.active(True)
out.append(e.send(b"\\xff" * 6, "hi"))
try:
    e.send(b"\\x01" * 6, "hi")
except OSError as err:
    out.append(err.args[1])
out.append(list(e.recv(200)))
out.append(len(sta.config("mac")))
print("=" + json.dumps(out))
"""
    [out] = results(run_board(script, "esp32-wearable"))
    assert out == ["ESP_ERR_ESPNOW_IF", True, "ESP_ERR_ESPNOW_NOT_FOUND", [None, None], 6]


def test_state_env_alone_is_enough(tmp_path: Path, state_dir: Path) -> None:
    """Without an air folder (WEARKIT_SIM_AIR unset) sending goes nowhere, quietly."""
    (tmp_path / "main.py").write_text("import kit\nkit.send('anyone?')\nprint(kit.receive())\n")
    proc = subprocess.run([str(MICROPYTHON), "main.py"], cwd=tmp_path,
                          env=board_env(state_dir, "virtual", 10.0),
                          capture_output=True, text=True, timeout=30)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == "None"


def _group_receiver(group: int | None, count: int) -> str:
    setup = "" if group is None else f"import kit\nkit.group({group})\n"
    return setup + KIT_RECEIVER % (count, DEADLINE_MS)


def _group_sender(group: int, text: str) -> str:
    return f"import kit\nkit.group({group})\nkit.send({text!r})\n"


@pytest.mark.parametrize("family", RADIO_FAMILIES)
def test_kit_group_hears_only_its_own_group(tmp_path: Path, family: str) -> None:
    """Each receiver waits for two messages until its deadline; it hears only its group's.
    The longest message still fits on a group (kit's tag is not the script's concern)."""
    air = tmp_path / "air"
    air.mkdir()
    receivers = {"ONE": 1, "TWO": 2, "NONE": None, "BIG": 200}
    with contextlib.ExitStack() as stack:
        procs = {
            name: stack.enter_context(
                _start(tmp_path, name, family, _group_receiver(g, 2), air)
            )
            for name, g in receivers.items()
        }  # fmt: skip
        for proc in procs.values():
            _wait_ready(proc)
        _run(tmp_path, "ALICE", family, _group_sender(1, "for one"), air)
        _run(tmp_path, "CAROL", family, _group_sender(2, LONGEST), air)
        _run(tmp_path, "DAVE", family, _group_sender(200, "for 200"), air)
        got = {name: _finish(proc) for name, proc in procs.items()}
    heard = {"ONE": ["for one"], "TWO": [LONGEST], "NONE": [], "BIG": ["for 200"]}
    assert got == {name: [[messages, None]] for name, messages in heard.items()}


def test_kit_group_checks_its_argument(run_board: RunBoard) -> None:
    script = """\
import json, kit
out = []
for g in (-1, 256, "3", 2.0):
    try:
        kit.group(g)
    except ValueError as e:
        out.append(str(e))
kit.group(0)
kit.group(255)
print("=" + json.dumps(out))
"""
    [out] = results(run_board(script, "virtual"))
    bad = ("-1", "256", "'3'", "2.0")
    assert out == [f"kit.group: a group is 0 to 255, not {v}" for v in bad]
