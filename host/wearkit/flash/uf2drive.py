"""Circuit Playground: CircuitPython's .uf2 onto the boot drive, then the runtime onto CIRCUITPY.

A UF2 file is 512-byte blocks, each with two start magics, an end magic, its number and
the count of blocks, and (flag 0x2000) the family id of the chip it is for; a bootloader
skips blocks of another family, so a wrong file would be "flashed" into nothing. The file
is checked whole, against the family in the profile's ``[firmware] uf2_family``, before a
byte is copied. After the copy the boot drive goes away and the board comes back as a
CIRCUITPY drive, onto which the runtime, the board's name and its boot file are copied.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path

from wearkit.boards import BoardProfile
from wearkit.errors import FlashError
from wearkit.flash import (
    FlashOptions,
    FlashResult,
    ProgressCallback,
    Reporter,
    Target,
    claim,
    wait_for,
    write_synced,
)
from wearkit.flash.firmware import firmware_info, load_firmware
from wearkit.provision import (
    CONFIG_FILE,
    VERSION_FILE,
    board_config,
    boot_file,
    boot_name,
    check_name,
    may_replace_boot,
    new_board_name,
    runtime_files,
    runtime_version,
)

BLOCK = 512
MAGIC_START0, MAGIC_START1, MAGIC_END = 0x0A324655, 0x9E5D5157, 0x0AB16F30
FLAG_NOT_MAIN_FLASH, FLAG_FAMILY = 0x00000001, 0x00002000
UF2_NAME = "FIRMWARE.UF2"


def check_uf2(data: bytes, family: int, what: str = "the firmware") -> int:
    """The number of blocks in ``data``, a UF2 file for chips of ``family``; FlashError
    naming the first problem (not a UF2 file, a damaged block, another board's family)."""
    if not data or len(data) % BLOCK:
        raise FlashError(
            f"{what} is not a UF2 file ({len(data):,} bytes, not a whole number of "
            f"{BLOCK}-byte blocks); download the .uf2 for this board from circuitpython.org"
        )
    count = len(data) // BLOCK
    families = set()
    for index in range(count):
        block = data[index * BLOCK : (index + 1) * BLOCK]
        start0, start1, flags, _addr, size, number, total, fam = struct.unpack("<8I", block[:32])
        (end,) = struct.unpack("<I", block[508:])
        if (start0, start1, end) != (MAGIC_START0, MAGIC_START1, MAGIC_END):
            raise FlashError(
                f"{what}: block {index} is not a UF2 block (wrong magic numbers): the file is "
                "damaged or not a .uf2; download it again"
            )
        if size > 476 or number != index or total != count:
            raise FlashError(
                f"{what}: block {index} says it is block {number} of {total} with {size} bytes; "
                f"the file has {count} blocks: it is damaged or cut short, download it again"
            )
        if flags & FLAG_NOT_MAIN_FLASH:
            continue
        families.add(fam if flags & FLAG_FAMILY else None)
    if families != {family}:
        shown = ", ".join("none" if f is None else f"{f:#010x}" for f in sorted(families, key=str))
        raise FlashError(
            f"{what} is for another kind of board (UF2 family {shown}; this board takes "
            f"{family:#010x}): download the .uf2 made for this board"
        )
    return count


def runtime_on_drive(
    profile: BoardProfile, *, name: str | None, group: int | None
) -> dict[str, bytes]:
    """The files copied onto a CIRCUITPY drive: the runtime, its version, name and boot file."""
    files = runtime_files(profile)
    files[VERSION_FILE] = runtime_version(runtime_files(profile)).encode()
    files[CONFIG_FILE] = board_config(check_name(name) if name else new_board_name(set()), group)
    files[boot_name(profile)] = boot_file()
    return files


def _circuitpy_drives(near: Path) -> set[Path]:
    """CIRCUITPY drives mounted beside ``near`` (CIRCUITPY, CIRCUITPY1, ...)."""
    try:
        return {p for p in near.iterdir() if re.fullmatch(r"CIRCUITPY\d*", p.name) and p.is_dir()}
    except OSError:
        return set()


def copy_runtime(
    drive: Path, profile: BoardProfile, options: FlashOptions, report: Reporter
) -> tuple[str, ...]:
    """Copy the runtime, name and boot file onto a CIRCUITPY ``drive`` and read them back."""
    group = options.group if profile.has("radio") else None
    files = runtime_on_drive(profile, name=options.name, group=group)
    boot = drive / boot_name(profile)
    if boot.is_file() and not may_replace_boot(_read(boot) or b""):
        del files[boot.name]  # a student's program stays
    for index, (file, data) in enumerate(files.items()):
        report("runtime", index, len(files), f"{file} ({len(data)} bytes)")
        write_synced(drive / file, data)
    wrong = [f for f, data in files.items() if _read(drive / f) != data]
    if wrong:
        raise FlashError(
            f"{drive}: {', '.join(wrong)} did not land intact; is the drive full? Delete old "
            "files from it and flash again"
        )
    report("runtime", len(files), len(files), "the runtime is on CIRCUITPY")
    return tuple(files)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def flash(target: Target, options: FlashOptions, on_progress: ProgressCallback) -> FlashResult:
    """CircuitPython onto the boot drive (checked first), then the runtime onto CIRCUITPY;
    a board already on its CIRCUITPY drive gets only the runtime."""
    report = Reporter(target.label, on_progress)
    drive = target.drive
    if drive is not None and re.fullmatch(r"CIRCUITPY\d*", drive.name):
        files = copy_runtime(drive, target.profile, options, report)
        return FlashResult(target.label, target.port, drive, files, f"runtime on {drive}")
    if drive is None or not (drive / "INFO_UF2.TXT").is_file():
        raise FlashError(
            f"{target.label}: no boot drive to copy CircuitPython onto; double-press the "
            "board's reset button so it shows one (CPLAYBOOT or CPLAYBTBOOT)"
        )
    family = firmware_info(target.profile).uf2_family
    if family is None:
        raise FlashError(f"boards/{target.profile.id}.toml: [firmware] uf2_family is missing")
    source, data = load_firmware(options.firmware, target.profile, cache=options.cache, step=report)
    blocks = check_uf2(data, family, source)
    before = _circuitpy_drives(drive.parent)
    report("write", 0, len(data), f"{blocks} blocks onto {drive.name}")
    write_synced(drive / UF2_NAME, data, lambda done: report("write", done, len(data)))
    report("wait", 0, 0, "the board restarts into CircuitPython")

    def new_drive() -> Path | None:
        fresh = sorted(_circuitpy_drives(drive.parent) - before)
        return next((p for p in fresh if claim(str(p))), None)

    circuitpy = wait_for(new_drive, options.timeout, 0.1)
    if circuitpy is None:
        raise FlashError(
            f"{target.label}: no CIRCUITPY drive appeared after the copy; press the board's "
            "reset button once, then `wearkit flash` its CIRCUITPY drive"
        )
    files = copy_runtime(circuitpy, target.profile, options, report)
    done = f"CircuitPython and the runtime on {circuitpy}"
    return FlashResult(target.label, None, circuitpy, files, done)
