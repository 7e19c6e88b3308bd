"""The package's shape: small modules, and no layer reaching up to one above it."""

from __future__ import annotations

import ast
from pathlib import Path

import wearkit

PACKAGE = Path(wearkit.__file__).parent
BASE = {"errors", "paths", "frames", "sensors", "_toml", "runlog", "boards", "kits", "__init__"}
# What each part may import besides the base. Parts not listed may import only the base.
ALLOWED: dict[str, set[str]] = {
    "activities": set(),
    "store": set(),
    "link": set(),
    "sim": {"activities"},
    "provision": {"link"},
    "flash": {"link", "provision"},
    "check": {"activities"},
    "discovery": {"sim", "blinkaports"},
    "blinkaports": {"discovery"},  # the port source of Blinka boards, for discovery.SOURCES
    "classroom": {"activities", "link", "provision", "sim", "discovery"},
    "badges": {"activities", "store"},
    "hub": {"activities", "badges"},
    "web": {"activities", "classroom", "store", "sim", "discovery", "badges", "link"},
    "cli": {"*"},
}
MAX_LINES = 450


def _part(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def _imported_parts(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "wearkit":
                names = [f"wearkit.{alias.name}" for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "wearkit" and len(parts) > 1:
                found.add(parts[1])
    return found


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "_bundled" not in p.parts)


def test_no_module_is_over_450_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_no_layer_reaches_up() -> None:
    wrong = []
    for path in modules():
        part = _part(path)
        allowed = BASE | ALLOWED.get(part, set()) | {part}
        if part in BASE:
            allowed = BASE
        if "*" in allowed:
            continue
        for imported in _imported_parts(path) - allowed:
            wrong.append(f"{path.relative_to(PACKAGE)} imports wearkit.{imported}")
    assert wrong == []


def test_mpremote_is_imported_by_the_serial_link_only() -> None:
    users = [
        str(p.relative_to(PACKAGE))
        for p in modules()
        if "mpremote" in p.read_text(encoding="utf-8")
        and "import" in p.read_text()
        and any(
            isinstance(n, (ast.Import, ast.ImportFrom)) and "mpremote" in ast.dump(n)
            for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
        )
    ]
    assert users == ["link/serial.py"]
