"""Where wearkit's bundled data and the user's data live.

An installed wheel carries firmware/, boards/ and activities/ inside the package
(``wearkit/_bundled``); a source checkout (editable install, tests) uses the folders
at the top of the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

_PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """Return the bundled folder ``name`` (``firmware``, ``boards`` or ``activities``)."""
    inside = _PACKAGE / "_bundled" / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent.parent / name


def firmware_dir() -> Path:
    """The on-device runtime sources (kit.py, the hardware layers, the simulated modules)."""
    return bundled("firmware")


def boards_dir() -> Path:
    """The board profiles (``*.toml``)."""
    return bundled("boards")


def activities_dir() -> Path:
    """The bundled activity catalogue."""
    return bundled("activities")


def data_dir() -> Path:
    """The user's wearkit data folder (store, caches); ``WEARKIT_HOME`` overrides it."""
    override = os.environ.get("WEARKIT_HOME")
    path = Path(override) if override else Path(platformdirs.user_data_dir("wearkit", False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def runtime_dir() -> Path:
    """Where running virtual boards register themselves, for ``wearkit boards``."""
    path = data_dir() / "sim-registry"
    path.mkdir(parents=True, exist_ok=True)
    return path


def shown(path: Path | str) -> str:
    """``path`` as a user should read it in a message: relative to the current folder if inside."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path``'s content in one step: a reader (another process, a virtual board's
    interpreter) sees the old file or the new one, never half of it."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
