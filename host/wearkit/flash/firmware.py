"""Firmware not shipped in a package: a local file, or a download into a cache, checked.

A board profile's ``[firmware]`` table says where its firmware comes from and how to
check it (``url``, ``sha256``) and what the flashers need to know about it
(``microbit_hex``: which of micropython-microbit-fs's bundled hexes; ``uf2_family``: the
UF2 family id its bootloader takes). ``--firmware`` overrides the file: a path, or an
``http(s)`` URL, optionally ending in ``#sha256=<hex>`` to check it.
"""

from __future__ import annotations

import hashlib
import os
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from wearkit import paths
from wearkit.boards import BoardProfile
from wearkit.errors import FlashError

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_KEYS = ("url", "sha256", "microbit_hex", "uf2_family")
Step = Callable[[str, int, int, str], None]


@dataclass(frozen=True)
class FirmwareInfo:
    """A profile's ``[firmware]`` table, checked."""

    url: str | None = None
    sha256: str | None = None
    microbit_hex: int | None = None
    uf2_family: int | None = None


def firmware_info(profile: BoardProfile) -> FirmwareInfo:
    """``profile``'s ``[firmware]`` table; FlashError naming the file and field if wrong."""
    table = profile.extra.get("firmware", {})
    where = f"boards/{profile.id}.toml: [firmware]"
    if not isinstance(table, dict):
        raise FlashError(f"{where}: expected a table")
    unknown = sorted(set(table) - set(_KEYS))
    if unknown:
        raise FlashError(f"{where}: unknown field {unknown[0]!r} (known: {', '.join(_KEYS)})")
    url, sha = table.get("url"), table.get("sha256")
    if url is not None and not (isinstance(url, str) and url.startswith(("https://", "http://"))):
        raise FlashError(f"{where}: url must be an https:// address, not {url!r}")
    if sha is not None and not (isinstance(sha, str) and _SHA256.match(sha.lower())):
        raise FlashError(f"{where}: sha256 must be 64 hex digits, not {sha!r}")
    numbers = {}
    for key in ("microbit_hex", "uf2_family"):
        value = table.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise FlashError(f"{where}: {key} must be a whole number, not {value!r}")
        numbers[key] = value
    return FirmwareInfo(url, sha.lower() if sha else None, **numbers)


def cache_dir(cache: Path | None = None) -> Path:
    """Where downloaded firmware is kept (in the wearkit data folder unless given)."""
    folder = cache or paths.data_dir() / "firmware-cache"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def load_firmware(
    source: str | None, profile: BoardProfile, *, cache: Path | None = None, step: Step
) -> tuple[str, bytes]:
    """(where it came from, the bytes) of the firmware for ``profile``'s boards.

    ``source`` is a file or an http(s) URL (``#sha256=`` checks it); None takes the
    profile's ``[firmware] url`` and ``sha256``. A download goes into the cache once and
    is checked every time it is used.
    """
    info = firmware_info(profile)
    expected: str | None = None
    if source is None:
        if info.url is None:
            raise FlashError(
                f"no firmware for a {profile.name} is shipped with wearkit and boards/"
                f"{profile.id}.toml names none: give --firmware FILE or --firmware URL"
            )
        source, expected = info.url, info.sha256
    if not source.startswith(("http://", "https://")):
        path = Path(source).expanduser()
        try:
            return str(path), path.read_bytes()
        except OSError as exc:
            raise FlashError(
                f"--firmware {source}: cannot read it ({exc.strerror or exc}); give a firmware "
                "file or an https:// URL"
            ) from None
    url, _, fragment = source.partition("#")
    if fragment.startswith("sha256="):
        expected = fragment[len("sha256=") :].lower()
    return url, _download(url, expected, cache_dir(cache), step)


def _download(url: str, expected: str | None, folder: Path, step: Step) -> bytes:
    name = os.path.basename(urlsplit(url).path) or "firmware.bin"
    target = folder / f"{hashlib.sha256(url.encode()).hexdigest()[:12]}-{name}"
    if target.is_file():
        data = target.read_bytes()
        if expected is None or hashlib.sha256(data).hexdigest() == expected:
            step("download", len(data), len(data), f"{name} (cached)")
            return data
        target.unlink()  # a cached file that no longer checks out is fetched again
    part = target.with_name(target.name + ".part")
    try:
        with urllib.request.urlopen(url, timeout=60) as answer, open(part, "wb") as out:
            total = int(answer.headers.get("Content-Length") or 0)
            done = 0
            while chunk := answer.read(65536):
                out.write(chunk)
                done += len(chunk)
                step("download", done, total, name)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        part.unlink(missing_ok=True)
        reason = getattr(exc, "reason", None) or exc
        raise FlashError(
            f"{url}: cannot download the firmware ({reason}); check the network, or download "
            "it yourself and give --firmware FILE"
        ) from None
    data = part.read_bytes()
    got = hashlib.sha256(data).hexdigest()
    if expected is not None and got != expected:
        part.unlink(missing_ok=True)
        raise FlashError(
            f"{url}: the download is not the firmware expected (sha256 {got}, expected "
            f"{expected}); nothing was flashed. Try again, or check the address"
        )
    os.replace(part, target)
    return data
