"""Finding boards: one registry of port sources, each listing the boards it can see.

A source is a function from the board profiles to the boards it finds; `find_boards`
asks every source in `SOURCES` in turn: USB serial ports (pyserial's ``list_ports``)
matched to the profiles' USB rules, most specific first, and the virtual boards that
`wearkit sim` (or a fleet) registered. With ``drives=True`` it also asks `DRIVE_SOURCES`:
boards that show up as a USB drive (a micro:bit's MICROBIT drive, a Circuit Playground's
CPLAYBOOT boot drive or its CIRCUITPY drive), found among the mounted volumes of Linux,
macOS and Windows and in the folders ``WEARKIT_DRIVES`` names. Drives are asked for only
on request: a drive is not a serial port, and callers that open links want ports.

Every board found says its `state` and what it needs next (`next_step`), so a
facilitator knows which command makes it ready.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

from serial.tools import list_ports

from wearkit.blinkaports import blinka_boards
from wearkit.boards import BoardProfile, match_port
from wearkit.sim import registry

# What a board is doing now, as a port source sees it.
SERIAL = "serial"  # a serial port: firmware may run on it
BOOTLOADER = "bootloader"  # waiting for firmware (a UF2 boot drive, a bootloader's USB id)
DRIVE = "drive"  # a micro:bit's DAPLink drive: a .hex copied onto it is flashed
MAINTENANCE = "maintenance"  # DAPLink's own bootloader (reset held while plugging in)
CIRCUITPY = "circuitpython"  # CircuitPython's CIRCUITPY drive: files copied on it run

DRIVES_ENV = "WEARKIT_DRIVES"  # extra folders to look for drives in (os.pathsep-separated)
DAPLINK_VID, DAPLINK_PID = 0x0D28, 0x0204


@dataclass(frozen=True)
class FoundBoard:
    """A board a facilitator can use: where it is, what it is, what to call it, and what
    it needs next."""

    port: str  # a serial port, or a drive's folder
    family: str | None  # profile id; None for an unknown USB serial device
    name: str
    kind: str  # the source that found it: "usb", "virtual" or "drive"
    detail: str = ""
    state: str = SERIAL
    next_step: str = ""  # the command that takes it further, in words
    uid: str = ""  # its USB serial number (a micro:bit's DAPLink Unique ID), if known

    def as_dict(self) -> dict[str, str | None]:
        """JSON-friendly form for `wearkit boards --json`."""
        return asdict(self)

    @property
    def is_drive(self) -> bool:
        """Whether ``port`` is a drive's folder rather than a serial port."""
        return self.kind == "drive"


#: A port source: (profiles, include_unknown) -> the boards it sees now.
PortSource = Callable[[Mapping[str, BoardProfile], bool], list[FoundBoard]]


def _serial_next(port: str) -> str:
    return (
        f"wearkit provision {port} (the runtime and a name; wearkit flash {port} "
        "if it has no MicroPython)"
    )


def usb_serial_boards(
    profiles: Mapping[str, BoardProfile], include_unknown: bool = False
) -> list[FoundBoard]:
    """USB serial ports whose ids match a profile; with ``include_unknown``, every port."""
    found = []
    for port in sorted(list_ports.comports(), key=lambda p: p.device):
        match = match_port(port, profiles.values())
        if match is None and not include_unknown:
            continue
        serial_number = port.serial_number or ""
        detail = f"{port.vid or 0:04X}:{port.pid or 0:04X}"
        state, next_step = SERIAL, _serial_next(port.device) if match else ""
        if match is not None and match.rule.bootloader:
            detail += " bootloader"
            state = BOOTLOADER
            next_step = "wearkit flash --all (firmware onto its boot drive)"
        found.append(
            FoundBoard(
                port=port.device,
                family=match.profile.id if match else None,
                # DAPLink and CircuitPython serial numbers end in digits unique per board.
                name=serial_number[-5:].upper() or "-",
                kind="usb",
                detail=detail,
                state=state,
                next_step=next_step,
                uid=serial_number,
            )
        )
    return found


def virtual_boards(
    profiles: Mapping[str, BoardProfile], include_unknown: bool = False
) -> list[FoundBoard]:
    """The running virtual boards registered by `wearkit sim` or a fleet, oldest first."""
    return [
        FoundBoard(
            port=info["port"],
            family=info["family"],
            name=info["name"],
            kind="virtual",
            detail=f"pid {info['pid']}",
            next_step=_serial_next(info["port"]),
            uid=str(info.get("uid", "")),
        )
        for info in registry.registered()
    ]


# -- drives ------------------------------------------------------------------------------


def drive_roots(extra: Iterable[Path | str] = ()) -> list[Path]:
    """Where this machine mounts USB drives, then ``extra`` and ``$WEARKIT_DRIVES``.

    Linux: /media/$USER, /run/media/$USER, /media, /mnt and the mount points in
    /proc/mounts; macOS: /Volumes. (Windows drives are letters: `_windows_drives`.)
    """
    roots: list[Path] = [Path(p) for p in extra]
    roots += [Path(p) for p in os.environ.get(DRIVES_ENV, "").split(os.pathsep) if p]
    user = os.environ.get("USER") or os.environ.get("LOGNAME") or ""
    if sys.platform.startswith("linux"):
        roots += [Path("/media") / user, Path("/run/media") / user, Path("/media"), Path("/mnt")]
    elif sys.platform == "darwin":
        roots.append(Path("/Volumes"))
    return list(dict.fromkeys(roots))


def _mount_points(text: str) -> list[Path]:
    """The mount points listed in /proc/mounts' ``text`` (spaces come as \\040)."""
    points = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 2:
            points.append(Path(re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), fields[1])))
    return points


def _candidates(roots: Iterable[Path], system: bool) -> list[tuple[Path, str]]:
    """(folder, volume label) of every folder in ``roots`` (or one of them itself) that
    may be a board's drive; with ``system``, also the machine's mounted volumes."""
    found: dict[Path, str] = {}
    for root in roots:
        if _marker(root):  # a root that is itself a drive
            found.setdefault(root, root.name)
            continue
        try:
            children = sorted(root.iterdir())
        except OSError:
            continue
        for child in children:
            if child.is_dir():
                found.setdefault(child, child.name)
    if not system:
        pass
    elif sys.platform.startswith("linux"):
        try:
            mounts = _mount_points(Path("/proc/mounts").read_text(encoding="utf-8"))
        except OSError:
            mounts = []
        for point in mounts:
            found.setdefault(point, point.name)
    elif sys.platform == "win32":
        found.update(_windows_drives())
    return [(path, label) for path, label in found.items() if _marker(path) or label]


def _windows_drives() -> dict[Path, str]:
    """Windows' drive letters with their volume labels (through the Win32 API)."""
    import ctypes

    kernel = ctypes.windll.kernel32  # type: ignore[attr-defined,unused-ignore]
    mask = kernel.GetLogicalDrives()
    drives = {}
    for index in range(26):
        if not mask & (1 << index):
            continue
        root = f"{chr(65 + index)}:\\"
        label = ctypes.create_unicode_buffer(261)
        if kernel.GetVolumeInformationW(root, label, 261, None, None, None, None, 0):
            drives[Path(root)] = label.value
    return drives


_MARKERS = ("DETAILS.TXT", "INFO_UF2.TXT", "boot_out.txt")


def _marker(folder: Path) -> str | None:
    """Which board file the folder holds (DAPLink's, a UF2 bootloader's, CircuitPython's)."""
    for name in _MARKERS:
        if (folder / name).is_file():
            return name
    return None


def read_key_values(path: Path) -> dict[str, str]:
    """``Key: value`` lines (DETAILS.TXT, INFO_UF2.TXT), keys as written; {} if unreadable."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    pairs: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            pairs.setdefault(key.strip(), value.strip())
    return pairs


def _base_label(label: str) -> str:
    """A volume label without the number a second drive of a kind gets (MICROBIT1)."""
    return re.sub(r"\d+$", "", label.strip()).upper()


@dataclass
class _UsbId:
    vid: int | None
    pid: int | None
    serial_number: str | None


def _labelled(profiles: Mapping[str, BoardProfile], label: str) -> list[BoardProfile]:
    base = _base_label(label)
    return [p for p in profiles.values() if base in (x.upper() for x in p.drive_labels)]


def _daplink(folder: Path, label: str, profiles: Mapping[str, BoardProfile]) -> FoundBoard:
    details = read_key_values(folder / "DETAILS.TXT")
    uid = details.get("Unique ID", "")
    match = match_port(_UsbId(DAPLINK_VID, DAPLINK_PID, uid), profiles.values())
    family = match.profile.id if match else None
    if details.get("Daplink Mode", "Interface").lower() == "bootloader":
        state, step = (
            MAINTENANCE,
            ("it is in maintenance mode: unplug it and plug it in again without holding reset"),
        )
    else:
        state, step = DRIVE, f"wearkit flash {folder} (MicroPython, the runtime and a name)"
    version = details.get("Interface Version") or details.get("Version", "")
    return FoundBoard(
        port=str(folder),
        family=family,
        name=uid[-5:].upper() or label,
        kind="drive",
        detail=f"{label} DAPLink {version}".rstrip(),
        state=state,
        next_step=step,
        uid=uid,
    )


def _uf2_boot(folder: Path, label: str, profiles: Mapping[str, BoardProfile]) -> FoundBoard:
    info = read_key_values(folder / "INFO_UF2.TXT")
    fitting = _labelled(profiles, label)
    return FoundBoard(
        port=str(folder),
        family=fitting[0].id if len(fitting) == 1 else None,
        name=label,
        kind="drive",
        detail=f"{label} {info.get('Board-ID', '')}".rstrip(),
        state=BOOTLOADER,
        next_step=f"wearkit flash {folder} (CircuitPython, then the runtime)",
    )


def _circuitpy(folder: Path, label: str, profiles: Mapping[str, BoardProfile]) -> FoundBoard:
    boot = ""
    try:
        boot = (folder / "boot_out.txt").read_text(encoding="utf-8", errors="replace")
    except OSError:
        pass
    fitting = _labelled(profiles, label) or [p for p in profiles.values() if p.name in boot]
    named = [p for p in fitting if p.name in boot]
    chosen = named or fitting
    found = re.search(r"^UID:\s*(\S+)", boot, re.MULTILINE)
    return FoundBoard(
        port=str(folder),
        family=chosen[0].id if len(chosen) == 1 else None,
        name=label,
        kind="drive",
        detail=boot.splitlines()[0][:60] if boot else label,
        state=CIRCUITPY,
        next_step=f"wearkit flash {folder} (the runtime and a name, copied onto the drive)",
        uid=found.group(1) if found else "",
    )


_DRIVE_KINDS = {"DETAILS.TXT": _daplink, "INFO_UF2.TXT": _uf2_boot, "boot_out.txt": _circuitpy}


def drive_boards(
    profiles: Mapping[str, BoardProfile],
    include_unknown: bool = False,
    roots: Iterable[Path | str] | None = None,
) -> list[FoundBoard]:
    """Boards seen as USB drives, each once, in the order of their folders.

    ``roots`` replaces the machine's mount folders (then only they and ``$WEARKIT_DRIVES``
    are looked in): a test makes folders that look like the drives.
    """
    if roots is None:
        candidates = _candidates(drive_roots(), system=True)
    else:
        extra = [Path(p) for p in os.environ.get(DRIVES_ENV, "").split(os.pathsep) if p]
        candidates = _candidates([Path(p) for p in roots] + extra, system=False)
    found = []
    seen: set[Path] = set()
    for folder, label in candidates:
        try:
            real = folder.resolve()
        except OSError:
            continue
        if real in seen:
            continue
        marker = _marker(folder)
        if marker is None and _base_label(label) == "CIRCUITPY":
            marker = "boot_out.txt"  # a CIRCUITPY drive before its first boot_out.txt
        if marker is None or not (
            _labelled(profiles, label) or marker == "DETAILS.TXT" or include_unknown
        ):
            continue
        seen.add(real)
        found.append(_DRIVE_KINDS[marker](folder, label, profiles))
    return found


#: Every serial port source, asked in this order.
SOURCES: dict[str, PortSource] = {
    "usb": usb_serial_boards,
    "virtual": virtual_boards,
    # A Raspberry Pi by /proc/device-tree/model, FT232H / MCP2221 adapters by USB id.
    "blinka": blinka_boards,
}
#: Sources of boards seen as drives, asked only by ``find_boards(..., drives=True)``.
DRIVE_SOURCES: dict[str, PortSource] = {"drives": drive_boards}


def find_boards(
    profiles: Mapping[str, BoardProfile],
    *,
    include_unknown: bool = False,
    sources: Mapping[str, PortSource] | None = None,
    drives: bool = False,
) -> list[FoundBoard]:
    """Every board the port sources see now: USB boards matched to a profile, then virtual.

    ``include_unknown`` adds USB serial devices no profile matches (family None);
    ``sources`` replaces `SOURCES` (e.g. ``{"virtual": virtual_boards}``); ``drives``
    adds the boards seen as drives (`DRIVE_SOURCES`).
    """
    found: list[FoundBoard] = []
    chosen = dict(sources if sources is not None else SOURCES)
    if drives:
        chosen.update(DRIVE_SOURCES)
    for source in chosen.values():
        found.extend(source(profiles, include_unknown))
    return found


def serial_port_of(uid: str, profiles: Mapping[str, BoardProfile]) -> str | None:
    """The serial port of the board whose USB serial number is ``uid`` (None: not seen)."""
    if not uid:
        return None
    for board in find_boards(profiles):
        if board.uid == uid and board.state == SERIAL:
            return board.port
    return None
