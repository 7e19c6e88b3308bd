"""The port source of real Blinka boards, for `wearkit.discovery.SOURCES`.

A Blinka board has no serial port of its own: it is this computer with a USB adapter
(an FT232H or an MCP2221, found by the USB ids in its profile's ``[blinka] usb``, through
pyserial's port list and, on Linux, the USB devices in sysfs, since an FT232H set up for
Blinka has no serial driver), or this computer itself when it is a Raspberry Pi (its
``/proc/device-tree/model`` starts with the profile's ``[blinka] model``). Each is listed
with its port URL, ``blinka:<family>``. Virtual Blinka boards register with the other
virtual boards (`wearkit.sim.registry`), so the ``virtual`` source lists them.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from wearkit.boards import BoardProfile
from wearkit.kits import adapter_of, blinka_url

if TYPE_CHECKING:
    from wearkit.discovery import FoundBoard

MODEL_FILE = Path("/proc/device-tree/model")
SYSFS_USB = Path("/sys/bus/usb/devices")

#: A USB device as this source reads it: vendor id, product id, serial number.
UsbDevice = tuple[int, int, str]


def blinka_boards(
    profiles: Mapping[str, BoardProfile], include_unknown: bool = False
) -> list[FoundBoard]:
    """The Blinka boards this computer can drive now (see the module)."""
    return boards_seen(profiles, usb_devices(), machine_model())


def boards_seen(
    profiles: Mapping[str, BoardProfile], devices: Iterable[UsbDevice], model: str
) -> list[FoundBoard]:
    """The Blinka boards that the USB ``devices`` and the computer's ``model`` name."""
    from wearkit.discovery import FoundBoard

    found: list[FoundBoard] = []
    devices = sorted(set(devices))
    for profile in sorted(profiles.values(), key=lambda p: p.id):
        if profile.kit is None:
            continue
        adapter = adapter_of(profile.extra)
        url = blinka_url(profile.id)
        if adapter.model and model.startswith(adapter.model):
            name = socket.gethostname().split(".")[0][:12] or "-"
            found.append(FoundBoard(url, profile.id, name, "blinka", model))
        for vid, pid, serial in devices:
            if (vid, pid) in adapter.usb:
                name = serial[-5:].upper() or "-"
                found.append(FoundBoard(url, profile.id, name, "blinka", f"{vid:04X}:{pid:04X}"))
                break  # one board per family: Blinka drives the first adapter it finds
    return found


def machine_model() -> str:
    """This computer's model name from the device tree (a Raspberry Pi's), or ""."""
    try:
        return MODEL_FILE.read_bytes().rstrip(b"\0").decode("utf-8", "replace")
    except OSError:
        return ""


def usb_devices() -> list[UsbDevice]:
    """The USB devices plugged in: pyserial's ports, and sysfs's devices on Linux."""
    found: list[UsbDevice] = []
    with contextlib.suppress(Exception):  # pyserial's port listing is best effort
        from serial.tools import list_ports

        for port in list_ports.comports():
            if port.vid is not None and port.pid is not None:
                found.append((port.vid, port.pid, port.serial_number or ""))
    with contextlib.suppress(OSError):
        for device in SYSFS_USB.iterdir():
            ids = [device / "idVendor", device / "idProduct"]
            if all(p.is_file() for p in ids):
                vid, pid = (int(p.read_text().strip(), 16) for p in ids)
                serial = device / "serial"
                text = serial.read_text().strip() if serial.is_file() else ""
                found.append((vid, pid, text))
    return found
