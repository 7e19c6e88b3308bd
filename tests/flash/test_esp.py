"""ESP32: esptool through its Python API against a ROM-loader simulator on a pty."""

from __future__ import annotations

import os
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.flash.conftest import Events
from wearkit.boards import BoardProfile
from wearkit.errors import FlashError
from wearkit.flash import FlashOptions, Target, flash_board
from wearkit.sim.romloader import RomLoader


def esp_image(chip_id: int = 0, size: int = 150_000) -> bytes:
    """An ESP application image header (magic 0xE9, one segment, the chip's id) and a body."""
    header = struct.pack("<BBBBI", 0xE9, 1, 2, 0x20, 0x40080000)
    extended = struct.pack("<B3sHBHH4sB", 0xEE, b"\0\0\0", chip_id, 0, 0, 0xFFFF, b"\0" * 4, 0)
    return header + extended + os.urandom(size)


@pytest.fixture
def rom() -> Iterator[RomLoader]:
    with RomLoader() as loader:
        yield loader


def test_an_esp32_is_erased_written_at_its_offset_and_verified(
    rom: RomLoader, profiles: dict[str, BoardProfile], tmp_path: Path
) -> None:
    image = esp_image()
    firmware = tmp_path / "micropython.bin"
    firmware.write_bytes(image)
    rom.image[0x100000:0x100004] = b"old!"  # something of the old firmware, past the image
    events = Events()
    target = Target(profiles["esp32-wearable"], "esp", port=rom.port)
    result = flash_board(target, FlashOptions(firmware=str(firmware), runtime=False), events.append)
    assert rom.image[0x1000 : 0x1000 + len(image)] == image  # at the ESP32's offset
    assert rom.image[:0x1000] == b"\xff" * 0x1000 and rom.image[0x100000:0x100004] == b"\xff" * 4
    assert rom.erased == 1 and rom.stub
    assert events.steps()[:4] == ["detect", "esptool", "erase", "write"]
    writes = [e for e in events if e.step == "write" and e.total]
    assert writes[-1].done == writes[-1].total  # esptool's progress bar, as our events
    assert any(e.step == "verify" and "verified" in e.message for e in events)
    assert result.message == "MicroPython written"


@pytest.mark.parametrize(
    ("image", "reason"),
    [
        (b"\x00" * 4096, "is not an ESP32 firmware image"),
        (esp_image(chip_id=9), "is for an esp32s3 chip; this board is an esp32"),
    ],
    ids=["not-an-image", "other-chip"],
)
def test_firmware_for_another_chip_is_refused_before_connecting(
    rom: RomLoader, profiles: dict[str, BoardProfile], tmp_path: Path, image: bytes, reason: str
) -> None:
    firmware = tmp_path / "firmware.bin"
    firmware.write_bytes(image)
    target = Target(profiles["esp32-wearable"], "esp", port=rom.port)
    with pytest.raises(FlashError, match=reason):
        flash_board(target, FlashOptions(firmware=str(firmware), runtime=False))
    assert not rom.stub and rom.image == b"\xff" * len(rom.image)


def test_a_board_that_does_not_answer_is_reported_in_words(
    profiles: dict[str, BoardProfile], tmp_path: Path
) -> None:
    controller, device = os.openpty()  # a serial device that never answers
    firmware = tmp_path / "micropython.bin"
    firmware.write_bytes(esp_image(size=1000))
    try:
        target = Target(profiles["esp32-wearable"], "esp", port=os.ttyname(device))
        with pytest.raises(FlashError, match="hold the board's BOOT button"):
            flash_board(target, FlashOptions(firmware=str(firmware), runtime=False))
    finally:
        os.close(controller)
        os.close(device)
