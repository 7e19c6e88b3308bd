"""Provisioning the kit runtime: only the board's own files, on real virtual boards."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from wearkit.boards import get_profile, load_profiles
from wearkit.link import open_link
from wearkit.paths import firmware_dir
from wearkit.provision import VERSION_FILE, ensure_runtime, runtime_files, runtime_version
from wearkit.sim import VirtualBoard, start_fleet

MPY_V6 = 0x0B06  # sys.implementation._mpy of MicroPython 1.23+ on x64: version 6.3


@pytest.mark.parametrize("board_id", sorted(load_profiles()))
def test_runtime_files_are_kit_its_own_layer_and_the_put_helper(board_id: str) -> None:
    profile = get_profile(board_id)
    files = runtime_files(profile)
    assert sorted(files) == sorted(["kit.py", f"{profile.hal}.py", "_wkput.py"])
    assert files["kit.py"] == (firmware_dir() / "kit.py").read_bytes()


def test_micro_bit_v1_gets_mpy_only_where_the_bytecode_version_matches() -> None:
    v1 = get_profile("microbit-v1")
    assert sorted(runtime_files(v1, mpy=MPY_V6)) == [
        "_wkput.mpy",
        "kit.mpy",
        "kithal_microbit.mpy",
    ]
    assert all(data.startswith(b"M\x06") for data in runtime_files(v1, mpy=MPY_V6).values())
    assert sorted(runtime_files(v1, mpy=0x0005)) == sorted(runtime_files(v1))  # older firmware
    assert "kit.py" in runtime_files(v1)  # a firmware that does not say
    # Boards with heap to spare get source even where .mpy would load.
    assert "kit.py" in runtime_files(get_profile("microbit-v2"), mpy=MPY_V6)


def test_runtime_version_follows_the_files() -> None:
    files = runtime_files(get_profile("microbit-v2"))
    assert runtime_version(files) == runtime_version(dict(files))
    assert runtime_version(files) != runtime_version({**files, "kit.py": b"changed"})
    assert runtime_version(files) != runtime_version(runtime_files(get_profile("cpx")))


@pytest.fixture
def v1_board(tmp_path: Path) -> Iterator[VirtualBoard]:
    with start_fleet(get_profile("microbit-v1"), 1, baud=None, folder=tmp_path / "b") as fleet:
        yield fleet.boards[0]


def test_ensure_runtime_puts_only_the_boards_files_once(v1_board: VirtualBoard) -> None:
    flash = v1_board.flash_dir
    # What wearkit before this version left: every family's layer, a staging file.
    for name in ("kithal_cp.py", "kithal_esp32.py", "kithal_sim.py", "kit.py.z", "main.py.part"):
        (flash / name).write_bytes(b"x = 1\n")
    (flash / "notes.txt").write_bytes(b"a student's file")
    put: list[str] = []
    profile = get_profile("microbit-v1")
    with open_link(v1_board.port) as link:
        assert ensure_runtime(link, profile, lambda name, size: put.append(name))
        assert put == ["kit.mpy", "kithal_microbit.mpy", "_wkput.mpy"]
        assert not ensure_runtime(link, profile)  # already there: nothing goes over
        link.soft_reset()
        assert link.exec("import kit\nprint(kit.has('display'))").strip().endswith("True")
    assert sorted(p.name for p in flash.iterdir()) == sorted([*put, VERSION_FILE, "notes.txt"])


def test_only_the_files_that_differ_are_put(board: VirtualBoard) -> None:
    profile = get_profile("microbit-v2")
    (board.flash_dir / "kit.py").write_bytes((firmware_dir() / "kit.py").read_bytes())
    (board.flash_dir / "_wkput.py").write_bytes(b"# an older helper\n")
    put: list[str] = []
    with open_link(board.port) as link:
        assert ensure_runtime(link, profile, lambda name, size: put.append(name))
    assert put == ["kithal_microbit.py", "_wkput.py"]


def test_a_board_whose_heap_a_script_filled_is_provisioned_and_runs(board: VirtualBoard) -> None:
    profile = get_profile("microbit-v2")
    with open_link(board.port) as link:
        result = link.execute("hog = []\nwhile True:\n hog.append(bytearray(512))", timeout=20)
        assert "MemoryError" in result.error
    with open_link(board.port) as link:  # the next connection, as a new `wearkit run` makes
        ensure_runtime(link, profile)
        assert link.exec("import kit\nprint(kit.accel())").strip().endswith("(0, 0, -1000)")


def test_a_board_still_running_a_script_from_a_killed_host_is_provisioned(
    board: VirtualBoard,
) -> None:
    code = (
        "import sys\nfrom wearkit.link import open_link\n"
        "open_link(sys.argv[1]).execute('while True:\\n pass', timeout=None)\n"
    )
    host = subprocess.Popen([sys.executable, "-c", code, board.port])
    time.sleep(1.5)
    assert host.poll() is None, "the script should still be running"
    host.kill()
    host.wait()
    with open_link(board.port) as link:
        assert ensure_runtime(link, get_profile("microbit-v2"))
        assert link.exec("import kit\nprint(kit.has('accel'))").strip().endswith("True")


# -- provisioning: the runtime, a name shown at start-up, a radio group ---------------------


def test_a_provisioned_board_says_its_name_at_start_up(slow_board: VirtualBoard) -> None:
    import json

    import serial

    from wearkit.provision import provision_board

    with open_link(slow_board.port) as link:
        done = provision_board(link, slow_board.profile, name="Kibo", group=5)
    assert (done.name, done.group) == ("KIBO", 5)
    assert (slow_board.flash_dir / "kitcfg.txt").read_text() == "KIBO 5\n"
    with serial.Serial(slow_board.port, 115200, timeout=0.2) as port:
        slow_board.reset()  # the reset button: main.py runs as at power-on
        seen = b""
        deadline = time.monotonic() + 10
        while b"wearkit board KIBO" not in seen and time.monotonic() < deadline:
            seen += port.read(256)
    assert b"wearkit board KIBO" in seen  # on the serial console ...
    outputs = slow_board.state_dir / "outputs.json"
    assert json.loads(outputs.read_text())["display"] == "KIBO"  # ... and on the display
    with open_link(slow_board.port) as link:  # and the radio group is the board's own
        assert link.exec("import kit\nprint(kit._group)").splitlines()[-1] == "5"


def test_provisioning_again_changes_only_what_differs_and_keeps_a_students_program(
    board: VirtualBoard,
) -> None:
    from wearkit.errors import BoardError
    from wearkit.provision import provision_board

    (board.flash_dir / "main.py").write_text("print('my game')\n")
    with open_link(board.port) as link:
        first = provision_board(link, board.profile)
        again = provision_board(link, board.profile)
        renamed = provision_board(link, board.profile, name="b2")
        with pytest.raises(BoardError, match="1 to 8 letters or digits"):
            provision_board(link, board.profile, name="too long a name")
    assert "main.py" not in first.files and "kit.py" in first.files
    assert len(first.name) == 5 and again == type(again)(first.name, None, ())
    assert renamed.files == ("kitcfg.txt",)
    assert (board.flash_dir / "main.py").read_text() == "print('my game')\n"


def test_a_radio_group_on_a_board_without_radio_names_the_option(tmp_path: Path) -> None:
    from wearkit.errors import BoardError
    from wearkit.provision import check_group

    with pytest.raises(BoardError, match="--group: a Circuit Playground Express has no radio"):
        check_group(3, get_profile("cpx"))
