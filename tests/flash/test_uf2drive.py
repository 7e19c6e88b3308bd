"""Circuit Playground: a CircuitPython .uf2 onto a simulated boot drive, then the runtime."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.flash.conftest import NRF52840, SAMD21, Events, uf2_file
from wearkit.boards import BoardProfile
from wearkit.errors import FlashError
from wearkit.flash import FlashOptions, Target, flash_board
from wearkit.flash.uf2drive import check_uf2
from wearkit.link import open_link
from wearkit.sim.drive import UF2BootDrive

FIRMWARE = bytes(range(256)) * 12  # 3 KB of "CircuitPython": 12 blocks


@pytest.fixture
def cpx_boot(media: Path, profiles: dict[str, BoardProfile]) -> Iterator[UF2BootDrive]:
    with UF2BootDrive(media, profiles["cpx"], SAMD21) as drive:
        yield drive


def _target(drive: UF2BootDrive) -> Target:
    return Target(drive.profile, drive.label, drive=drive.drive)


def test_circuitpython_then_the_runtime_go_onto_a_circuit_playground(
    cpx_boot: UF2BootDrive, tmp_path: Path
) -> None:
    firmware = tmp_path / "circuitpython.uf2"
    firmware.write_bytes(uf2_file(FIRMWARE, SAMD21))
    events = Events()
    options = FlashOptions(firmware=str(firmware), name="pixi", timeout=20)
    result = flash_board(_target(cpx_boot), options, events.append)
    assert events.steps() == ["write", "wait", "runtime", "done"]
    assert result.drive == cpx_boot.circuitpy and not cpx_boot.drive.exists()
    on_drive = {p.name for p in result.drive.iterdir()}  # type: ignore[union-attr]
    assert {"kit.py", "kithal_cp.py", "_wkput.py", "kitver.txt", "kitcfg.txt"} <= on_drive
    # CircuitPython's stock code.py gave way to the boot file that shows the name
    assert (result.drive / "code.py").read_bytes().startswith(b"# The main.py `wearkit")  # type: ignore[operator]
    assert (result.drive / "kitcfg.txt").read_text() == "PIXI 0\n"  # type: ignore[operator]
    assert cpx_boot.board is not None
    with open_link(cpx_boot.board.port) as link:  # the board runs them
        assert link.exec("import kit\nprint(kit.NAME)").splitlines()[-1] == "PIXI"


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda: uf2_file(FIRMWARE, NRF52840), "for another kind of board (UF2 family 0xada52840"),
        (lambda: uf2_file(FIRMWARE, SAMD21)[:-100], "not a UF2 file (6,044 bytes"),
        (lambda: b"\0" * 512 + uf2_file(FIRMWARE, SAMD21)[512:], "block 0 is not a UF2 block"),
        (lambda: uf2_file(FIRMWARE, SAMD21)[:-512], "says it is block 0 of 12"),
    ],
    ids=["wrong-family", "cut-mid-block", "bad-magic", "missing-blocks"],
)
def test_bad_firmware_is_refused_before_anything_is_written(
    cpx_boot: UF2BootDrive, tmp_path: Path, make: object, reason: str
) -> None:
    firmware = tmp_path / "firmware.uf2"
    firmware.write_bytes(make())  # type: ignore[operator]
    before = sorted(p.name for p in cpx_boot.drive.iterdir())
    with pytest.raises(FlashError, match=reason.replace("(", r"\(")):
        flash_board(_target(cpx_boot), FlashOptions(firmware=str(firmware)))
    assert sorted(p.name for p in cpx_boot.drive.iterdir()) == before


def test_a_uf2_file_is_counted_in_blocks() -> None:
    assert check_uf2(uf2_file(FIRMWARE, NRF52840), NRF52840) == 12


def test_a_circuitpy_drive_gets_only_the_runtime(
    media: Path, profiles: dict[str, BoardProfile]
) -> None:
    drive = media / "CIRCUITPY"
    drive.mkdir()
    (drive / "code.py").write_text("print('my own program')\n")
    target = Target(profiles["cpb"], "CIRCUITPY", drive=drive)
    result = flash_board(target, FlashOptions(name="bo"))
    assert (drive / "kithal_cp.py").is_file() and (drive / "kitcfg.txt").read_text() == "BO 0\n"
    assert "code.py" not in result.files  # a student's program is never replaced
    assert (drive / "code.py").read_text() == "print('my own program')\n"


def test_radio_groups_go_only_to_radio_boards(
    media: Path, profiles: dict[str, BoardProfile]
) -> None:
    drive = media / "CIRCUITPY"
    drive.mkdir()
    options = dataclasses.replace(FlashOptions(name="bo"), group=7)
    flash_board(Target(profiles["cpx"], "CIRCUITPY", drive=drive), options)
    assert (drive / "kitcfg.txt").read_text() == "BO 0\n"  # a CPX has no radio
