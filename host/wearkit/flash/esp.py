"""ESP32: MicroPython written with esptool's Python API, its log turned into progress events.

detect the chip (it must be the profile's ``[esptool] chip``), load esptool's flasher
stub, erase the flash, write the image at the chip's offset (``[esptool] offset``:
0x1000 on an ESP32, 0 on S3/C3), verify it, reset the board; then, unless told not to,
provision it over its serial line (the runtime, its name, its radio group). The image is
checked (an ESP image for this chip) before esptool connects.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

from wearkit.errors import FlashError, LinkError
from wearkit.flash import FlashOptions, FlashResult, ProgressCallback, Reporter, Target
from wearkit.flash.firmware import load_firmware
from wearkit.link import open_link
from wearkit.provision import provision_board

ESP_IMAGE_MAGIC = 0xE9
FLASH_LIMIT = 4 * 1024 * 1024  # the smallest flash of the boards we support

# esptool has one global logger: it hands each line to the reporter of the flashing thread.
_reporters = threading.local()
_install_lock = threading.Lock()
_installed = False


def _install_logger() -> None:
    global _installed
    with _install_lock:
        if _installed:
            return
        from esptool.logger import TemplateLogger, log  # type: ignore[import-untyped]

        class ProgressLogger(TemplateLogger):  # type: ignore[misc]
            """esptool's messages and progress bars, as our progress events."""

            def print(self, *args: Any, **kwargs: Any) -> None:
                text = " ".join(str(a) for a in args).strip()
                if text:
                    _say("esptool", text)

            def note(self, message: str) -> None:
                _say("esptool", f"note: {message}")

            def warning(self, message: str) -> None:
                _say("esptool", f"warning: {message}")

            def error(self, message: str) -> None:
                _say("esptool", f"error: {message}")

            def stage(self, finish: bool = False) -> None:
                pass

            def progress_bar(
                self, cur_iter: int, total_iters: int, prefix: str = "", suffix: str = "",
                bar_length: int = 30,
            ) -> None:  # fmt: skip
                report: Reporter | None = getattr(_reporters, "report", None)
                if report is not None:
                    report(getattr(_reporters, "step", "write"), cur_iter, total_iters, prefix)

            def set_verbosity(self, verbosity: str) -> None:
                pass

        log.set_logger(ProgressLogger())
        _installed = True


def _say(step: str, message: str) -> None:
    report: Reporter | None = getattr(_reporters, "report", None)
    if report is not None:
        report(step, 0, 0, message)


@contextlib.contextmanager
def _reporting(report: Reporter) -> Iterator[None]:
    _install_logger()
    _reporters.report = report
    try:
        yield
    finally:
        _reporters.report = None


def check_image(data: bytes, chip: str, what: str) -> None:
    """FlashError unless ``data`` is an ESP application image for ``chip`` that fits."""
    from esptool.targets import CHIP_DEFS  # type: ignore[import-untyped]

    if len(data) < 24 or data[0] != ESP_IMAGE_MAGIC:
        raise FlashError(
            f"{what} is not an ESP32 firmware image (it does not start with 0xE9); download "
            "the .bin for this board from micropython.org/download"
        )
    wanted = CHIP_DEFS[chip].IMAGE_CHIP_ID
    found = int.from_bytes(data[12:14], "little")
    if found != wanted:
        names = [name for name, cls in CHIP_DEFS.items() if cls.IMAGE_CHIP_ID == found]
        raise FlashError(
            f"{what} is for an {names[0] if names else f'unknown chip ({found})'} chip; this "
            f"board is an {chip}: download the firmware made for it"
        )
    if len(data) > FLASH_LIMIT:
        raise FlashError(f"{what} is {len(data):,} bytes: more than a {FLASH_LIMIT:,}-byte flash")


def _settings(target: Target) -> tuple[str, int]:
    table = target.profile.extra.get("esptool", {})
    chip, offset = table.get("chip"), table.get("offset")
    if not isinstance(chip, str) or not isinstance(offset, int):
        raise FlashError(
            f'boards/{target.profile.id}.toml: [esptool] needs chip (like "esp32") and '
            "offset (like 0x1000)"
        )
    return chip, offset


def flash(target: Target, options: FlashOptions, on_progress: ProgressCallback) -> FlashResult:
    """Write MicroPython onto the ESP32 on ``target.port`` with esptool, verify it, reset it,
    and provision it (unless ``options.runtime`` is off)."""
    report = Reporter(target.label, on_progress)
    if target.port is None:
        raise FlashError(f"{target.label}: no serial port to flash it through")
    chip, offset = _settings(target)
    source, data = load_firmware(options.firmware, target.profile, cache=options.cache, step=report)
    check_image(data, chip, source)
    from esptool import cmds  # type: ignore[import-untyped]
    from esptool.util import FatalError  # type: ignore[import-untyped]

    with _reporting(report):
        try:
            report("detect", 0, 1, f"connecting to {target.port}")
            esp = cmds.detect_chip(target.port, connect_attempts=3)
            try:
                name = esp.CHIP_NAME.lower().replace("-", "")
                if name != chip:
                    raise FlashError(
                        f"{target.label}: it is an {esp.CHIP_NAME}, but boards/"
                        f"{target.profile.id}.toml is for an {chip}; nothing was written"
                    )
                report("detect", 1, 1, esp.CHIP_NAME)
                esp = cmds.run_stub(esp)
                cmds.attach_flash(esp)
                report("erase", 0, 1, "erasing the flash")
                cmds.erase_flash(esp)
                report("erase", 1, 1, "erased")
                _reporters.step = "write"
                cmds.write_flash(esp, [(offset, data)], flash_size="keep")
                _reporters.step = "verify"
                cmds.verify_flash(esp, [(offset, data)], flash_size="keep")
                report("verify", 1, 1, f"{len(data):,} bytes at {offset:#x} verified")
                cmds.reset_chip(esp, "hard-reset")
            finally:
                with contextlib.suppress(Exception):
                    esp._port.close()
        except FatalError as exc:
            raise FlashError(
                f"{target.label}: esptool: {exc}; hold the board's BOOT button while it "
                "connects, or check the cable"
            ) from None
        except OSError as exc:
            raise FlashError(f"{target.label}: {target.port} went away ({exc})") from None
    if not options.runtime:
        return FlashResult(target.label, target.port, None, (), "MicroPython written")
    try:
        with open_link(target.port, soft_reset=True) as link:
            done = provision_board(
                link, target.profile, name=options.name, group=options.group, on_progress=report
            )
    except LinkError as exc:
        raise FlashError(f"{target.label}: MicroPython written, but {exc}") from None
    return FlashResult(target.label, target.port, None, done.files, f"{done.name} is ready")
