"""micro:bit: a MicroPython hex with the runtime inside, copied onto the MICROBIT drive.

The hex is the official MicroPython for the board's version (micropython-microbit-fs ships
v1 and v2; the profile's ``[firmware] microbit_hex`` says which) with the board's own
runtime files, its name (``kitcfg.txt``) and a ``main.py`` in its file system. DAPLink
flashes a hex as it is copied, then the drive remounts: with ``FAIL.TXT`` saying why if
it refused it, else the board restarts into MicroPython, on its serial port.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from pathlib import Path

from wearkit.boards import BoardProfile
from wearkit.errors import FlashError, LinkError
from wearkit.flash import (
    FlashOptions,
    FlashResult,
    ProgressCallback,
    Reporter,
    Target,
    wait_for,
    write_synced,
)
from wearkit.flash.firmware import firmware_info, load_firmware
from wearkit.link import open_link
from wearkit.provision import (
    BOOT_FILE,
    CONFIG_FILE,
    VERSION_FILE,
    board_config,
    boot_file,
    check_name,
    runtime_files,
    runtime_version,
)

HEX_NAME = "WEARKIT.HEX"

# What DAPLink writes in FAIL.TXT (its error.c), in a teacher's words.
_PLAIN = {
    "checksum": "the hex file is damaged (a line's checksum is wrong)",
    "parser": "the hex file is damaged (it is not a valid Intel hex file)",
    "cannot be programmed": "the board could not write it; unplug it, plug it in and try again",
    "isn't compatible": "the hex file is for another board or mode (is it in MAINTENANCE mode?)",
    "offset": "the hex file is for another board (its addresses are wrong for this one)",
    "timed out": "the copy stopped half way; copy it again and wait until the light stops",
    "bounds": "the hex file is too big for this board",
}


@dataclass(frozen=True)
class BuiltHex:
    """A hex ready to copy: its text, the files in it, and the MicroPython it carries."""

    text: str
    files: dict[str, bytes]
    micropython: str


def hex_files(
    profile: BoardProfile, *, name: str | None, group: int | None, main: bytes | None
) -> dict[str, bytes]:
    """The files a hex for ``profile`` carries: its runtime (as source: the micro:bit's
    MicroPython loads an older bytecode than mpy-cross makes), the version file, its
    name, and ``main`` (an activity's script) or else the boot file that shows the name."""
    files = runtime_files(profile)
    files[VERSION_FILE] = runtime_version(runtime_files(profile)).encode()
    if name is not None:
        files[CONFIG_FILE] = board_config(check_name(name), group)
    files[BOOT_FILE] = main if main is not None else boot_file()
    return files


def build_hex(
    profile: BoardProfile,
    *,
    name: str | None = None,
    group: int | None = None,
    main: bytes | None = None,
    base: str | None = None,
) -> BuiltHex:
    """The hex for ``profile``'s boards; ``base`` replaces the bundled MicroPython hex.

    Raises FlashError before anything is written: a base that is not a MicroPython hex
    for this board, or files that do not fit its file system (the sizes named).
    """
    import micropython_microbit_fs as mbfs
    from micropython_microbit_fs import device_info, filesystem, hex_utils

    version = firmware_info(profile).microbit_hex
    if version is None:
        raise FlashError(
            f"boards/{profile.id}.toml: [firmware] microbit_hex is missing; a hex-drive board "
            "names the bundled MicroPython it takes (1 or 2)"
        )
    text = base if base is not None else _bundled(version)
    try:  # parsed once: a 1.2 MB hex takes about half a second to parse
        ih = hex_utils.load_hex(text)
        info = device_info.get_device_info_ih(ih)
    except Exception as exc:  # intelhex raises its own kinds for every damage
        raise FlashError(f"the firmware is not a micro:bit MicroPython hex ({exc})") from None
    found = {"V1": 1, "V2": 2}.get(getattr(info.device_version, "value", ""), 0)
    if found != version:
        raise FlashError(
            f"the firmware is a MicroPython hex for micro:bit v{found}; this is a "
            f"{profile.name}: give a v{version} hex, or leave --firmware out"
        )
    files = hex_files(profile, name=name, group=group, main=main)
    needed = sum(filesystem.calculate_file_size(n, data) for n, data in files.items())
    room = len(filesystem.get_free_chunks(ih, info)) * filesystem.CHUNK_SIZE
    if needed > room:
        listed = ", ".join(f"{n} {len(files[n]):,}" for n in files)
        raise FlashError(
            f"the files need {needed:,} bytes of the {profile.name}'s file system, which has "
            f"{room:,} ({listed} bytes, each rounded up to 128-byte blocks): make main.py "
            "smaller"
        )
    try:
        filesystem.add_files_to_hex(ih, info, files)
    except mbfs.FilesystemError as exc:
        raise FlashError(f"the files do not fit in the {profile.name}'s hex: {exc}") from None
    return BuiltHex(hex_utils.hex_to_string(ih), files, info.micropython_version)


@functools.lru_cache(maxsize=2)
def _bundled(version: int) -> str:
    """The official MicroPython hex micropython-microbit-fs ships for micro:bit ``version``."""
    import micropython_microbit_fs as mbfs

    return mbfs.get_bundled_hex(version).content


def plain_failure(reason: str) -> str:
    """FAIL.TXT's ``reason`` in plain words (and the reason itself, for a search)."""
    lowered = reason.lower()
    plain = next((words for key, words in _PLAIN.items() if key in lowered), None)
    said = " ".join(reason.split())
    return f"{plain} (FAIL.TXT: {said})" if plain else f"FAIL.TXT says: {said}"


def flash(target: Target, options: FlashOptions, on_progress: ProgressCallback) -> FlashResult:
    """Copy a hex with MicroPython, the runtime and the board's name onto its drive, and
    wait until the board is back on its serial port with those files."""
    report = Reporter(target.label, on_progress)
    drive = target.drive
    if drive is None or not (drive / "DETAILS.TXT").is_file():
        raise FlashError(
            f"{target.label}: no MICROBIT drive to copy the hex onto; plug the micro:bit in "
            "(`wearkit boards` lists its drive)"
        )
    base = None
    if options.firmware is not None:
        _, data = load_firmware(options.firmware, target.profile, cache=options.cache, step=report)
        base = data.decode("ascii", errors="replace")
    report("build", 0, 1, "building the hex")
    built = build_hex(
        target.profile, name=options.name, group=options.group, main=options.main, base=base
    )
    report("build", 1, 1, f"{built.micropython.split(';')[0]}, {len(built.files)} files")
    payload = built.text.encode("ascii")
    report("write", 0, len(payload), f"copying onto {drive}")
    write_synced(drive / HEX_NAME, payload, lambda done: report("write", done, len(payload)))
    report("wait", 0, 0, "the micro:bit is flashing; its drive remounts")
    wait_for(lambda: not drive.exists(), min(options.timeout, 15), 0.05)
    if not wait_for(lambda: (drive / "DETAILS.TXT").is_file(), options.timeout, 0.05):
        raise FlashError(
            f"{target.label}: its drive did not come back after the copy; unplug the micro:bit, "
            "plug it in and flash it again"
        )
    fail = _fail_text(drive)  # DAPLink removes it on the remount after a good flash
    if fail:
        raise FlashError(f"{target.label}: the micro:bit refused the hex: {plain_failure(fail)}")
    port = _back_on_serial(target, options, report)
    if port is None:
        return FlashResult(target.label, None, drive, tuple(built.files), "flashed")
    report("verify", 0, 1, f"checking its files on {port}")
    try:
        with open_link(port) as link:
            missing = sorted(set(built.files) - set(link.list_files()))
    except LinkError as exc:
        raise FlashError(
            f"{target.label}: flashed, but it does not answer on {port}: {exc}"
        ) from None
    if missing:
        raise FlashError(
            f"{target.label}: flashed, but {', '.join(missing)} did not arrive; flash it again"
        )
    report("verify", 1, 1, "MicroPython and the runtime are on it")
    return FlashResult(target.label, port, drive, tuple(built.files), f"ready on {port}")


def _fail_text(drive: Path) -> str:
    try:
        return (drive / "FAIL.TXT").read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""


def _back_on_serial(target: Target, options: FlashOptions, report: Reporter) -> str | None:
    """The serial port the board came back on (None when no way to look was given)."""
    if options.find_port is None or not target.uid:
        return None
    report("wait", 0, 0, "waiting for MicroPython on its serial port")
    find = options.find_port
    started = time.monotonic()
    port = wait_for(lambda: find(target.uid), options.timeout, 0.1)
    if port is None:
        raise FlashError(
            f"{target.label}: flashed, but its serial port did not come back within "
            f"{time.monotonic() - started:.0f} s; unplug it and plug it in again"
        )
    return str(port)
