"""`wearkit activities`, `wearkit try`, `wearkit check`: the catalogue, for authors too."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from wearkit.boards import get_profile, load_profiles
from wearkit.cli.app import friendly_errors, main
from wearkit.errors import ActivityError


def find_activity(name: str) -> Any:
    """The activity called ``name`` in the catalogue, or the activity folder ``name``."""
    from wearkit.activities import load_activity, load_catalogue

    if Path(name).is_dir():
        return load_activity(Path(name))
    catalogue = load_catalogue()
    for activity in catalogue:
        if activity.slug == name:
            return activity
    known = ", ".join(a.slug for a in catalogue)
    raise ActivityError(f"no activity {name!r}; known: {known} (or give an activity folder)")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON list, for scripts.")
@click.option("--family", help="Only activities this board family can run.")
@friendly_errors
def activities(as_json: bool, family: str | None) -> None:
    """List the badge activities and the board families that can run them."""
    from wearkit.activities import load_catalogue, targets
    from wearkit.badges.summary import badge_json, badge_lines

    profiles = load_profiles()
    if family is not None:
        get_profile(family, profiles)  # an unknown family is an error, not an empty list
    rows: list[dict[str, Any]] = []
    badges: dict[str, list[str]] = {}
    for activity in load_catalogue():
        fams = [p.id for p in targets(activity, profiles.values())]
        if family and family not in fams:
            continue
        rows.append({
            "slug": activity.slug, "title": activity.title, "level": activity.level,
            "minutes": activity.minutes, "requires": list(activity.requires),
            "themes": list(activity.themes), "families": fams,
            "badge": activity.badge.name, "tasks": [t.id for t in activity.tasks],
            "badge_details": badge_json(activity),
        })  # fmt: skip
        badges[activity.slug] = badge_lines(activity)[1:]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        click.echo(f"{row['slug']:<20} {row['title']:<32} {row['level']:<12} "
                   f"needs {', '.join(row['requires']) or 'nothing'}; "
                   f"runs on {', '.join(row['families'])}")  # fmt: skip
        click.echo(f'  badge "{row["badge"]}": ' + badges[row["slug"]][0].strip())
        for line in badges[row["slug"]][2:]:  # alignment, tags, image (not the criteria)
            click.echo(line)


def _diagnostic_line(d: Any) -> str:
    """One line a user can click on: file:line:col, the message's first line, the stubs."""
    from wearkit.paths import shown

    first = d.message.splitlines()[0] if d.message else ""
    where = f"{shown(d.file)}:{d.line}:{d.column}"
    return f"{where}: {d.severity}: {first} [{d.rule}] (against {d.stubs})"


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--skip-types", is_flag=True, help="Validate activity.toml only; no pyright.")
@friendly_errors
def check(paths: tuple[Path, ...], skip_types: bool) -> None:
    """Check activities (default: the whole catalogue) and the firmware.

    Validates each activity.toml and type-checks each main.py and the kit runtime with
    pyright against the stubs of every board family the activity targets. Exit 1 if
    anything is wrong.
    """
    from wearkit import check as checking
    from wearkit.activities import load_activity
    from wearkit.paths import activities_dir

    folders = list(paths) or sorted(
        p for p in activities_dir().iterdir() if (p / "activity.toml").is_file()
    )
    from wearkit.badges.summary import badge_lines

    problems: list[str] = []
    valid: list[Path] = []
    for folder in folders:
        try:
            activity = load_activity(folder)
        except ActivityError as exc:
            problems.extend(str(exc).splitlines())
            continue
        problems.extend(f"warning: {w}" for w in activity.warnings)
        valid.append(folder)
        for line in badge_lines(activity):  # what a learner will earn, for the author
            click.echo(line)
    if not skip_types:

        def say(message: str) -> None:
            click.echo(message, err=True)

        diagnostics = checking.check_firmware(progress=say)
        diagnostics += checking.check_activities(valid, progress=say)
        problems.extend(_diagnostic_line(d) for d in diagnostics)
    problems = list(dict.fromkeys(problems))  # boards sharing stubs report alike
    for line in problems:
        click.echo(line)
    errors = [line for line in problems if not line.startswith("warning:")]
    click.echo(f"checked {len(folders)} activities and the firmware: "
               f"{len(errors) or 'no'} problem{'s' if len(errors) != 1 else ''}")  # fmt: skip
    sys.exit(1 if errors else 0)
