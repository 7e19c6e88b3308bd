"""`wearkit activities` and `wearkit check` show each activity's badge to its author: name,
description, alignment, and its image (a file, or what wearkit will draw)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from wearkit.activities import load_catalogue
from wearkit.cli import main
from wearkit.paths import activities_dir


def test_the_catalogue_lists_every_badge() -> None:
    result = CliRunner().invoke(main, ["activities"])
    assert result.exit_code == 0, result.output
    for activity in load_catalogue():
        badge = activity.badge
        assert f'badge "{badge.name}": {badge.description}' in result.output
        assert badge.alignment is not None
        assert f'aligned to {badge.alignment.code} "{badge.alignment.name}"' in result.output
    drawn = 'image: drawn by wearkit: a rosette in #1b5e20 (wearable-tech) with "Step Tracker"'
    assert drawn in result.output
    rows = json.loads(CliRunner().invoke(main, ["activities", "--json"]).output)
    step = next(row for row in rows if row["slug"] == "step-counter")
    assert step["badge"] == "Step Tracker"
    assert step["badge_details"]["alignment"]["code"] == "2-DA-08"
    assert step["badge_details"]["image"] is None


def test_check_shows_the_badge_with_its_own_image_or_a_missing_alignment(tmp_path: Path) -> None:
    folder = tmp_path / "my-activity"
    shutil.copytree(activities_dir() / "step-counter", folder)
    (folder / "badge.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    toml = (folder / "activity.toml").read_text()
    toml = re.sub(r"\[badge\.alignment\]\n(.+\n)+?\n", "", toml)  # no alignment
    toml = toml.replace('name = "Step Tracker"', 'name = "Step Tracker"\nimage = "badge.svg"')
    (folder / "activity.toml").write_text(toml)
    result = CliRunner().invoke(main, ["check", "--skip-types", str(folder)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert 'my-activity: badge "Step Tracker" by wearkit programme' in lines
    assert "  criteria: Wore a step-counter wristband, walked 20 steps" in result.output
    assert "  aligned to no skill framework entry (add [badge.alignment])" in lines
    assert any(line.startswith("  image: ") and line.endswith("badge.svg") for line in lines)
