"""Simulated USB drives of boards that are flashed by copying a file onto them.

`DapLinkDrive` is a micro:bit's MICROBIT drive: a folder with DAPLink's DETAILS.TXT,
watched as DAPLink watches its drive. A .hex copied onto it is read; a bad one leaves
FAIL.TXT with DAPLink's reason; either way the drive "remounts" (the folder goes away and
comes back without the hex). A good MicroPython hex restarts the board: a `VirtualBoard`
whose flash folder holds the files in the hex's file system (read back with
micropython-microbit-fs), registered (with the drive's Unique ID as its USB serial
number) where `wearkit boards` and the flashers find it.

`UF2BootDrive` is a Circuit Playground's boot drive (CPLAYBOOT): a .uf2 whose blocks are
all there, for its chip's family, makes it vanish and the board come back running
CircuitPython, with a CIRCUITPY drive that is the board's flash folder itself.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import struct
import threading
import time
from pathlib import Path

from wearkit.boards import BoardProfile
from wearkit.sim import registry
from wearkit.sim.board import VirtualBoard

# DAPLink's FAIL.TXT reasons (its error.c).
FAIL_CHECKSUM = "The hex file cannot be decoded. Checksum calculation failure occurred."
FAIL_PARSER = "The hex file cannot be decoded. Parser logic failure occurred."
FAIL_DEVICE = (
    "The hex file you dropped isn't compatible with this mode or device. Are you in "
    "MAINTENANCE mode? See HELP FAQ.HTM"
)
FAIL_TIMEOUT = "The transfer timed out."
_POLL = 0.05
_QUIET = 1.0  # a file that stops growing this long without its end is a copy cut short


class _WatchedDrive:
    """A folder standing for a drive, polled for files copied onto it."""

    suffix = ""

    def __init__(self, root: Path, label: str, remount: float) -> None:
        self.root = root
        self.label = label
        self.drive = root / label
        self.remount_seconds = remount
        self.board: VirtualBoard | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name=f"drive-{label}", daemon=True)
        self._sizes: dict[Path, tuple[int, float]] = {}

    def start(self) -> _WatchedDrive:
        """Plug the board in: the drive appears."""
        self.root.mkdir(parents=True, exist_ok=True)
        self._mount()
        self._thread.start()
        return self

    def close(self) -> None:
        """Unplug the board: the drive and its board go away."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self._power_off()
        shutil.rmtree(self.drive, ignore_errors=True)

    def __enter__(self) -> _WatchedDrive:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _mount(self, fail: str | None = None) -> None:
        raise NotImplementedError

    def _take(self, path: Path, data: bytes) -> None:
        raise NotImplementedError

    def _complete(self, data: bytes) -> bool:
        raise NotImplementedError

    def _watch(self) -> None:
        while not self._stop.wait(_POLL):
            try:
                copied = [p for p in self.drive.iterdir() if p.suffix.lower() == self.suffix]
            except OSError:
                continue
            for path in copied:
                if path.name.upper() == "CURRENT.UF2":
                    continue
                try:
                    data = path.read_bytes()
                except OSError:
                    continue
                size, since = self._sizes.get(path, (-1, time.monotonic()))
                if len(data) != size:
                    self._sizes[path] = (len(data), time.monotonic())
                    continue
                if self._complete(data) or time.monotonic() - since > _QUIET:
                    self._sizes.pop(path, None)
                    self._take(path, data)

    def _power_off(self) -> None:
        board, self.board = self.board, None
        if board is not None:
            registry.unregister(os.getpid(), board.name)
            board.close()

    def _power_on(self, board: VirtualBoard, uid: str) -> None:
        board.start()
        registry.register({**board.describe(), "uid": uid})
        self.board = board

    def _gone(self) -> None:
        """The drive unmounts (the board is busy or restarting)."""
        shutil.rmtree(self.drive, ignore_errors=True)


class DapLinkDrive(_WatchedDrive):
    """A micro:bit's DAPLink drive; ``uid`` (its Unique ID) starts with the board id."""

    suffix = ".hex"

    def __init__(
        self,
        root: Path,
        profile: BoardProfile,
        uid: str,
        *,
        label: str = "MICROBIT",
        baud: int | None = None,
        remount: float = 0.3,
    ) -> None:
        super().__init__(root, label, remount)
        self.profile = profile
        self.uid = uid
        self.baud = baud
        self.flashed = 0  # good hex files flashed
        self.version = 1 if uid[:4] in ("9900", "9901") else 2

    def details(self) -> str:
        """DETAILS.TXT: DAPLink's ``Key: value`` lines, CRLF."""
        lines = [
            "# DAPLink Firmware - see https://daplink.io",
            f"Unique ID: {self.uid}",
            "HIC ID: 9796990b",
            "Auto Reset: 1",
            "Automation allowed: 0",
            "Overflow detection: 0",
            "Daplink Mode: Interface",
            "Interface Version: 0255",
            "Bootloader Version: 0255",
            "USB Interfaces: MSD, CDC, HID, WebUSB",
        ]
        return "\r\n".join(lines) + "\r\n"

    def _mount(self, fail: str | None = None) -> None:
        self.drive.mkdir(parents=True, exist_ok=True)
        (self.drive / "DETAILS.TXT").write_text(self.details(), newline="")
        (self.drive / "MICROBIT.HTM").write_text("<html>micro:bit</html>\n")
        if fail:
            (self.drive / "FAIL.TXT").write_text(fail + "\r\n", newline="")

    def _complete(self, data: bytes) -> bool:
        return data.rstrip().upper().endswith(b":00000001FF")

    def _take(self, path: Path, data: bytes) -> None:
        files, fail = self._decode(data)
        self._gone()
        time.sleep(self.remount_seconds)
        if fail is None:  # flashed: the board restarts into what the hex holds
            self._power_off()
            if files is not None:
                self._restart(files)
        self._mount(fail)

    def _decode(self, data: bytes) -> tuple[dict[str, bytes] | None, str | None]:
        """(files of a MicroPython hex, or None for other firmware; FAIL.TXT's reason)."""
        import micropython_microbit_fs as mbfs
        from micropython_microbit_fs import device_info, filesystem, hex_utils

        if not self._complete(data):
            return None, FAIL_TIMEOUT
        try:
            ih = hex_utils.load_hex(data.decode("ascii", errors="replace"))
        except Exception as exc:  # intelhex's own kinds of damage
            return None, FAIL_CHECKSUM if "checksum" in str(exc).lower() else FAIL_PARSER
        try:
            info = device_info.get_device_info_ih(ih)
            files = filesystem.read_files_from_hex(ih, info)
        except mbfs.FilesystemError:
            return None, None  # any good hex is flashed; this one runs no MicroPython
        if {"V1": 1, "V2": 2}.get(info.device_version.value) != self.version:
            return None, FAIL_DEVICE
        return files, None

    def _restart(self, files: dict[str, bytes]) -> None:
        """The board starts the new MicroPython, its file system as the hex made it."""
        name = self.uid[-5:].upper()
        board = VirtualBoard(self.profile, name, self.root / ".boards" / name, baud=self.baud)
        shutil.rmtree(board.flash_dir, ignore_errors=True)
        board.flash_dir.mkdir(parents=True)
        for file, content in files.items():
            (board.flash_dir / file).write_bytes(content)
        self.flashed += 1
        self._power_on(board, self.uid)


UF2_MAGICS = (0x0A324655, 0x9E5D5157, 0x0AB16F30)
UF2_FAMILY_FLAG = 0x2000


class UF2BootDrive(_WatchedDrive):
    """A Circuit Playground in its UF2 bootloader: the boot drive, then CircuitPython."""

    suffix = ".uf2"

    def __init__(
        self,
        root: Path,
        profile: BoardProfile,
        family: int,
        *,
        label: str = "CPLAYBOOT",
        board_id: str = "SAMD21G18A-CPlay-v0",
        uid: str = "C0FFEE0042",
        baud: int | None = None,
        remount: float = 0.3,
    ) -> None:
        super().__init__(root, label, remount)
        self.profile = profile
        self.family = family
        self.board_id = board_id
        self.uid = uid
        self.baud = baud
        self.circuitpy: Path | None = None  # the CIRCUITPY drive once CircuitPython runs

    def _mount(self, fail: str | None = None) -> None:
        self.drive.mkdir(parents=True, exist_ok=True)
        info = (
            f"UF2 Bootloader v3.14.0\r\nModel: {self.profile.name}\r\nBoard-ID: {self.board_id}\r\n"
        )
        (self.drive / "INFO_UF2.TXT").write_text(info, newline="")
        (self.drive / "INDEX.HTM").write_text("<html>UF2</html>\n")
        (self.drive / "CURRENT.UF2").write_bytes(b"")

    def _blocks(self, data: bytes) -> tuple[int, int]:
        """(blocks of this chip's family seen, blocks the file says it has)."""
        seen, total = set(), 0
        for start in range(0, len(data) - len(data) % 512, 512):
            block = data[start : start + 512]
            head = struct.unpack("<8I", block[:32])
            if (head[0], head[1], struct.unpack("<I", block[508:])[0]) != UF2_MAGICS:
                continue  # the bootloader skips what is not a UF2 block
            if head[2] & UF2_FAMILY_FLAG and head[7] != self.family:
                continue  # ... and blocks for another chip
            seen.add(head[5])
            total = head[6]
        return len(seen), total

    def _complete(self, data: bytes) -> bool:
        seen, total = self._blocks(data)
        return bool(total) and seen == total

    def _take(self, path: Path, data: bytes) -> None:
        if not self._complete(data):
            with contextlib.suppress(OSError):
                path.unlink()  # nothing of it was for this board: the drive stays
            return
        self._stop.set()  # the bootloader is done: it hands over to CircuitPython
        self._gone()
        time.sleep(self.remount_seconds)
        self._circuitpython()

    def _circuitpython(self) -> None:
        name = self.uid[-5:].upper()
        board = VirtualBoard(self.profile, name, self.root / ".boards" / name, baud=self.baud)
        board.flash_dir.mkdir(parents=True, exist_ok=True)
        (board.flash_dir / "boot_out.txt").write_text(
            f"Adafruit CircuitPython 9.2.1 on 2024-11-20; Adafruit {self.profile.name}\r\n"
            f"UID:{self.uid}\r\n",
            newline="",
        )
        (board.flash_dir / "code.py").write_text('print("Hello World!")\n')
        taken = {p.name for p in self.root.iterdir()}
        label = next(
            f"CIRCUITPY{n or ''}" for n in range(100) if f"CIRCUITPY{n or ''}" not in taken
        )
        self.circuitpy = self.root / label
        self.circuitpy.symlink_to(board.flash_dir.resolve(), target_is_directory=True)
        self._power_on(board, self.uid)

    def close(self) -> None:
        """Unplug the board: its drives and board go away."""
        super().close()
        if self.circuitpy is not None:
            with contextlib.suppress(OSError):
                self.circuitpy.unlink()
