"""The catalogue: every activity folder under one root, validated together."""

from __future__ import annotations

from pathlib import Path

from wearkit import paths
from wearkit.activities.loader import load_activity
from wearkit.activities.model import LEVELS, Activity
from wearkit.errors import ActivityError


def load_catalogue(
    root: Path | str | None = None, *, firmware: Path | None = None
) -> list[Activity]:
    """Every activity under ``root`` (the bundled catalogue by default), beginner first.

    Folders whose names start with ``.`` or ``_`` are skipped. Raises one ActivityError
    listing the problems of every invalid activity."""
    folder = Path(root) if root is not None else paths.activities_dir()
    if not folder.is_dir():
        raise ActivityError(f"{paths.shown(folder)}: no such activities folder")
    activities: list[Activity] = []
    problems: list[str] = []
    for child in sorted(folder.iterdir()):
        if not child.is_dir() or child.name.startswith((".", "_")):
            continue
        try:
            activities.append(load_activity(child, firmware=firmware))
        except ActivityError as exc:
            problems.append(str(exc))
    if problems:
        raise ActivityError("\n".join(problems))
    return sorted(activities, key=lambda a: (LEVELS.index(a.level), a.slug))
