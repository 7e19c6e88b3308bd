"""Finding boards: USB serial ports matched to profiles, and running virtual boards."""

from __future__ import annotations

from pathlib import Path

import pytest
from serial.tools import list_ports
from serial.tools.list_ports_common import ListPortInfo

from wearkit.boards import load_profiles
from wearkit.discovery import SOURCES, FoundBoard, find_boards, virtual_boards
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
    assert find_boards(load_profiles()) == [
        FoundBoard("/dev/ttyACM0", "microbit-v2", "4E0E5", "usb", "0D28:0204"),
        FoundBoard("/dev/ttyACM1", "cpx", "2C3D4", "usb", "239A:0018 bootloader"),
    ]


def test_unknown_serial_devices_on_request(usb_ports: None) -> None:
    found = find_boards(load_profiles(), include_unknown=True)
    assert found[-1] == FoundBoard("/dev/ttyUSB0", None, "-", "usb", "0403:6001")
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
