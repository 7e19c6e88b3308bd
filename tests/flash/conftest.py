"""Simulated targets for the flashers: drives in a folder, a ROM loader on a pty."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

import pytest

from wearkit.boards import BoardProfile, load_profiles
from wearkit.discovery import serial_port_of
from wearkit.flash import FlashOptions, FlashProgress, Target
from wearkit.sim.drive import DapLinkDrive

V2_UID = "9904360259F4E0E5"
V1_UID = "9900000012345678"
SAMD21 = 0x68ED2B88
NRF52840 = 0xADA52840


@pytest.fixture(scope="session")
def profiles() -> dict[str, BoardProfile]:
    return load_profiles()


@pytest.fixture
def media(tmp_path: Path) -> Path:
    """A folder that plays the machine's mount folder (/media/$USER)."""
    folder = tmp_path / "media"
    folder.mkdir()
    return folder


@pytest.fixture
def microbit(media: Path, profiles: dict[str, BoardProfile]) -> Iterator[DapLinkDrive]:
    """A micro:bit v2 plugged in, showing its MICROBIT drive (a 115200-baud line once flashed)."""
    with DapLinkDrive(media, profiles["microbit-v2"], V2_UID, baud=115200) as drive:
        yield drive


def find_port(profiles: dict[str, BoardProfile]) -> FlashOptions:
    """Options whose flashers find a board's serial port again as `wearkit flash` does."""
    return FlashOptions(find_port=lambda uid: serial_port_of(uid, profiles), timeout=20)


def target_of(drive: DapLinkDrive) -> Target:
    return Target(drive.profile, drive.uid[-5:], drive=drive.drive, uid=drive.uid)


class Events(list[FlashProgress]):
    """The progress events a flash sent, as a listener gets them."""

    def steps(self) -> list[str]:
        return list(dict.fromkeys(e.step for e in self))


def uf2_file(payload: bytes, family: int, *, start: int = 0x2000) -> bytes:
    """A UF2 file of ``payload`` in 256-byte blocks for chips of ``family`` (as uf2conv.py)."""
    pieces = [payload[i : i + 256] for i in range(0, len(payload), 256)] or [b""]
    blocks = []
    for number, piece in enumerate(pieces):
        head = struct.pack(
            "<8I", 0x0A324655, 0x9E5D5157, 0x2000, start + 256 * number, 256, number,
            len(pieces), family,
        )  # fmt: skip
        body = piece.ljust(476, b"\0")
        blocks.append(head + body + struct.pack("<I", 0x0AB16F30))
    return b"".join(blocks)
