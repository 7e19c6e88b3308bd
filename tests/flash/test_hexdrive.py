"""micro:bit: a hex with MicroPython and the runtime, onto a simulated DAPLink drive."""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path

import micropython_microbit_fs as mbfs
import pytest

from tests.flash.conftest import Events, find_port, target_of
from wearkit.boards import BoardProfile
from wearkit.errors import FlashError
from wearkit.flash import flash_board
from wearkit.flash.hexdrive import build_hex, plain_failure
from wearkit.link import open_link
from wearkit.sim.drive import FAIL_CHECKSUM, DapLinkDrive


def test_a_micro_bit_is_flashed_and_comes_back_on_serial_with_its_files(
    microbit: DapLinkDrive, profiles: dict[str, BoardProfile]
) -> None:
    events = Events()
    options = dataclasses.replace(find_port(profiles), name="zovit")
    result = flash_board(target_of(microbit), options, events.append)
    assert events.steps() == ["build", "write", "wait", "verify", "done"]
    assert events[-1].message.startswith("ready on /dev/pts/")
    assert result.port == microbit.board.port  # type: ignore[union-attr]
    flash = microbit.board.flash_dir  # type: ignore[union-attr]
    assert sorted(p.name for p in flash.iterdir()) == sorted(result.files)
    assert (flash / "kitcfg.txt").read_text() == "ZOVIT 0\n"
    assert not list(microbit.drive.glob("*.HEX"))  # the drive remounted without it
    with open_link(result.port) as link:  # it runs MicroPython with the runtime
        assert link.exec("import kit\nprint(kit.NAME)").splitlines()[-1] == "ZOVIT"


def test_the_name_is_on_the_display_at_start_up(
    microbit: DapLinkDrive, profiles: dict[str, BoardProfile]
) -> None:
    flash_board(target_of(microbit), dataclasses.replace(find_port(profiles), name="kibo"))
    outputs = microbit.board.state_dir / "outputs.json"  # type: ignore[union-attr]
    deadline = time.monotonic() + 10
    while not outputs.is_file() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert json.loads(outputs.read_text())["display"] == "KIBO"


def test_hex_out_for_v1_holds_only_its_files_and_an_activity(
    profiles: dict[str, BoardProfile],
) -> None:
    script = b"import kit\nkit.show('hi')\n"
    built = build_hex(profiles["microbit-v1"], name="ab12", main=script)
    inside = {f.name: f.content for f in mbfs.get_files(built.text)}
    assert sorted(inside) == sorted(
        ["kit.py", "kithal_microbit.py", "_wkput.py", "kitver.txt", "kitcfg.txt", "main.py"]
    )
    assert inside["main.py"] == script and inside["kitcfg.txt"] == b"AB12 0\n"
    assert mbfs.get_device_info(built.text).device_version.value == "V1"


def test_too_big_a_main_py_is_refused_with_the_sizes(profiles: dict[str, BoardProfile]) -> None:
    with pytest.raises(FlashError) as refused:
        build_hex(profiles["microbit-v2"], main=b"# " + b"x" * 30000 + b"\n")
    message = str(refused.value)
    assert "BBC micro:bit v2's file system, which has 2" in message
    assert "main.py 30,003" in message and "make main.py smaller" in message


def test_a_hex_for_the_other_micro_bit_is_refused_before_the_drive_is_touched(
    microbit: DapLinkDrive, profiles: dict[str, BoardProfile], tmp_path: Path
) -> None:
    v1_hex = tmp_path / "v1.hex"
    v1_hex.write_text(mbfs.get_bundled_hex(1).content)
    options = dataclasses.replace(find_port(profiles), firmware=str(v1_hex))
    before = sorted(p.name for p in microbit.drive.iterdir())
    with pytest.raises(FlashError, match="hex for micro:bit v1; this is a BBC micro:bit v2"):
        flash_board(target_of(microbit), options)
    assert sorted(p.name for p in microbit.drive.iterdir()) == before
    assert microbit.board is None


def test_a_damaged_hex_is_refused_before_the_drive_is_touched(
    microbit: DapLinkDrive, profiles: dict[str, BoardProfile], tmp_path: Path
) -> None:
    damaged = tmp_path / "damaged.hex"
    damaged.write_text(":10000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF01\n:00000001FF\n")
    options = dataclasses.replace(find_port(profiles), firmware=str(damaged))
    with pytest.raises(FlashError, match="not a micro:bit MicroPython hex"):
        flash_board(target_of(microbit), options)
    assert not (microbit.drive / "FAIL.TXT").exists()


def test_the_drive_says_why_it_refused_a_hex_in_fail_txt(microbit: DapLinkDrive) -> None:
    (microbit.drive / "BAD.HEX").write_text(
        ":10000000FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF01\n:00000001FF\n"
    )
    fail = microbit.drive / "FAIL.TXT"
    deadline = time.monotonic() + 10
    while not fail.is_file() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert fail.read_text().strip() == FAIL_CHECKSUM
    assert plain_failure(fail.read_text()).startswith("the hex file is damaged (a line's checksum")
