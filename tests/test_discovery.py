"""Finding boards: USB serial ports matched to profiles, and running virtual boards."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from serial.tools import list_ports
from serial.tools.list_ports_common import ListPortInfo

from wearkit.boards import load_profiles
from wearkit.discovery import (
    SOURCES,
    FoundBoard,
    PortSource,
    _mount_points,
    drive_boards,
    find_boards,
    virtual_boards,
)
from wearkit.sim import start_fleet


def _port(device: str, vid: int, pid: int, serial: str | None) -> ListPortInfo:
    info = ListPortInfo(device, skip_link_detection=True)
    info.vid, info.pid, info.serial_number = vid, pid, serial
    return info


@pytest.fixture
def usb_ports(monkeypatch: pytest.MonkeyPatch) -> None:
    """What pyserial lists on a facilitator's laptop: two boards and a USB-serial adapter."""
    ports = [
        _port("/dev/ttyACM1", 0x239A, 0x0018, "A1B2C3D4"),  # a CPX in its bootloader
        _port("/dev/ttyACM0", 0x0D28, 0x0204, "9904360259F4E0E5"),  # a micro:bit v2
        _port("/dev/ttyUSB0", 0x0403, 0x6001, None),  # an FTDI cable, no profile
    ]
    monkeypatch.setattr(list_ports, "comports", lambda: ports)
    monkeypatch.setitem(SOURCES, "virtual", lambda profiles, unknown: [])  # none running


def test_usb_boards_are_matched_to_profiles(usb_ports: None) -> None:
    found = find_boards(load_profiles())
    assert [(b.port, b.family, b.name, b.kind, b.detail, b.state) for b in found] == [
        ("/dev/ttyACM0", "microbit-v2", "4E0E5", "usb", "0D28:0204", "serial"),
        ("/dev/ttyACM1", "cpx", "2C3D4", "usb", "239A:0018 bootloader", "bootloader"),
    ]
    assert found[0].uid == "9904360259F4E0E5"
    assert found[0].next_step.startswith("wearkit provision /dev/ttyACM0")
    assert found[1].next_step.startswith("wearkit flash")


def test_unknown_serial_devices_on_request(usb_ports: None) -> None:
    found = find_boards(load_profiles(), include_unknown=True)
    assert found[-1] == FoundBoard("/dev/ttyUSB0", None, "-", "usb", "0403:6001", "serial")
    assert found[-1].as_dict()["family"] is None


def test_virtual_boards_are_found_while_they_run(tmp_path: Path) -> None:
    profiles = load_profiles()
    with start_fleet(profiles["cpx"], 2, baud=None, folder=tmp_path) as fleet:
        found = find_boards(profiles, sources={"virtual": virtual_boards})
        assert [(b.port, b.family, b.name, b.kind) for b in found] == [
            (board.port, "cpx", board.name, "virtual") for board in fleet.boards
        ]
        assert {b.port for b in find_boards(profiles)} >= {b.port for b in fleet.boards}
    assert find_boards(profiles, sources={"virtual": virtual_boards}) == []


# -- boards seen as drives -------------------------------------------------------------------


def _drive(root: Path, label: str, files: dict[str, str]) -> Path:
    folder = root / label
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, newline="")
    return folder


def _details(uid: str, mode: str = "Interface") -> dict[str, str]:
    return {
        "DETAILS.TXT": f"# DAPLink Firmware\r\nUnique ID: {uid}\r\nHIC ID: 9796990b\r\n"
        f"Daplink Mode: {mode}\r\nInterface Version: 0255\r\n"
    }


def test_drives_of_every_kind_are_found_with_what_they_need(tmp_path: Path) -> None:
    """Two micro:bits at once (MICROBIT, MICROBIT1), both Circuit Playground boot drives,
    CIRCUITPY drives, a micro:bit in maintenance mode, and a USB stick that is no board."""
    media = tmp_path / "media"
    media.mkdir()
    _drive(media, "MICROBIT", _details("9904360259F4E0E5"))
    _drive(media, "MICROBIT1", _details("9901000012345678"))
    _drive(media, "MAINTENANCE", _details("9903000000000042", "Bootloader"))
    info = "UF2 Bootloader v3.14.0\r\nBoard-ID: {}\r\n"
    _drive(media, "CPLAYBOOT", {"INFO_UF2.TXT": info.format("SAMD21G18A-CPlay-v0")})
    _drive(media, "CPLAYBTBOOT", {"INFO_UF2.TXT": info.format("nRF52840-CircuitPlayground-revD")})
    cp = "Adafruit CircuitPython 9.2.1 on 2024-11-20; Adafruit {} with {}\r\nUID:{}\r\n"
    _drive(
        media,
        "CIRCUITPY",
        {"boot_out.txt": cp.format("Circuit Playground Express", "samd21g18", "AB12")},
    )
    _drive(
        media,
        "CIRCUITPY1",
        {"boot_out.txt": cp.format("Circuit Playground Bluefruit", "nRF52840", "CD34")},
    )
    _drive(media, "KINGSTON", {"notes.txt": "holiday photos"})
    found = drive_boards(load_profiles(), roots=[media])
    seen = {Path(b.port).name: (b.family, b.state, b.name, b.uid) for b in found}
    assert seen == {
        "CIRCUITPY": ("cpx", "circuitpython", "CIRCUITPY", "AB12"),
        "CIRCUITPY1": ("cpb", "circuitpython", "CIRCUITPY1", "CD34"),
        "CPLAYBOOT": ("cpx", "bootloader", "CPLAYBOOT", ""),
        "CPLAYBTBOOT": ("cpb", "bootloader", "CPLAYBTBOOT", ""),
        "MAINTENANCE": ("microbit-v2", "maintenance", "00042", "9903000000000042"),
        "MICROBIT": ("microbit-v2", "drive", "4E0E5", "9904360259F4E0E5"),
        "MICROBIT1": ("microbit-v1", "drive", "45678", "9901000012345678"),
    }
    steps = {Path(b.port).name: b.next_step for b in found}
    assert (
        steps["MICROBIT1"]
        == f"wearkit flash {media / 'MICROBIT1'} (MicroPython, the runtime and a name)"
    )
    assert steps["CPLAYBTBOOT"].startswith(f"wearkit flash {media / 'CPLAYBTBOOT'} (CircuitPython")
    assert "without holding reset" in steps["MAINTENANCE"]
    assert all(b.kind == "drive" and b.is_drive for b in found)


def test_a_folder_named_in_wearkit_drives_is_looked_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    microbit = _drive(tmp_path, "MICROBIT", _details("9906000000000001"))
    monkeypatch.setenv("WEARKIT_DRIVES", str(microbit))  # the drive itself, not its parent
    found = drive_boards(load_profiles(), roots=[])
    assert [(b.port, b.family) for b in found] == [(str(microbit), "microbit-v2")]
    assert drive_boards(load_profiles(), roots=[]) == found  # asked again: the same


def test_drives_are_asked_for_only_on_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _drive(tmp_path, "MICROBIT", _details("9906000000000001"))
    monkeypatch.setenv("WEARKIT_DRIVES", str(tmp_path))
    nothing: dict[str, PortSource] = {"virtual": lambda profiles, unknown: []}
    assert find_boards(load_profiles(), sources=nothing) == []  # callers that open ports
    found = find_boards(load_profiles(), sources=nothing, drives=True)
    assert [b.name for b in found] == ["00001"]


def test_mount_points_are_read_from_proc_mounts() -> None:
    text = (
        "/dev/sda1 / ext4 rw 0 0\n"
        "/dev/sdb /media/ana/MICROBIT vfat rw,nosuid 0 0\n"
        "/dev/sdc /media/ana/MY\\040STICK vfat rw 0 0\n"
    )
    assert _mount_points(text) == [
        Path("/"),
        Path("/media/ana/MICROBIT"),
        Path("/media/ana/MY STICK"),
    ]


def test_boards_shows_each_boards_state_and_next_step(tmp_path: Path) -> None:
    _drive(tmp_path, "MICROBIT", _details("9904360259F4E0E5"))
    env = {**os.environ, "WEARKIT_DRIVES": str(tmp_path)}
    shown = subprocess.run(
        [sys.executable, "-m", "wearkit.cli", "boards"], capture_output=True, text=True, env=env,
        timeout=60,
    )  # fmt: skip
    lines = [line.split() for line in shown.stdout.splitlines()]
    row = next(line for line in lines if line[0] == str(tmp_path / "MICROBIT"))
    assert row[1:5] == ["microbit-v2", "4E0E5", "drive", "drive"]
    assert f"next: wearkit flash {tmp_path / 'MICROBIT'}" in shown.stdout
    listed = json.loads(
        subprocess.run(
            [sys.executable, "-m", "wearkit.cli", "boards", "--json"], capture_output=True,
            text=True, env=env, timeout=60,
        ).stdout
    )  # fmt: skip
    mine = next(b for b in listed if b["port"] == str(tmp_path / "MICROBIT"))
    assert mine["state"] == "drive" and mine["uid"] == "9904360259F4E0E5"
