"""What pages and the API say about activities, completions and sensors (no routes here)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup

from wearkit import sensors
from wearkit.activities import Activity
from wearkit.boards import BoardProfile
from wearkit.classroom import lifecycle as lc
from wearkit.store import Completion
from wearkit.web.state import Classroom

# CommonMark with raw HTML off: a README's "<script>" is shown as text, never run; links
# to javascript: and data: URLs are refused by markdown-it's own validator.
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable("table")
# A README's relative images live in its folder, which the app does not serve.
_LOCAL_IMAGE = re.compile(r"<img src=\"(?![a-z]+:)[^\"]*\" alt=\"([^\"]*)\"[^>]*>")


@lru_cache(maxsize=64)
def _render(path: Path, mtime: float) -> str:
    html = _MARKDOWN.render(path.read_text(encoding="utf-8"))
    return _LOCAL_IMAGE.sub(lambda m: f"<em>(picture: {m.group(1)})</em>", html)


def instructions(activity: Activity) -> Markup:
    """The activity's student README as safe HTML (headings start at level 2)."""
    try:
        html = _render(activity.readme, activity.readme.stat().st_mtime)
    except OSError:
        return Markup("<p>This activity has no instructions yet.</p>")
    # The page has its own h1: shift the README's headings down one level.
    html = re.sub(r"<(/?)h([1-5])>", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}>", html)
    return Markup(html)  # noqa: S704 - rendered with raw HTML off


def live_boards(room: Classroom) -> list[dict[str, Any]]:
    """The boards that are there now (not lost)."""
    return [b for b in room.engine.boards() if b["state"] != lc.LOST]


def activity_json(
    room: Classroom, activity: Activity, boards: Iterable[dict[str, Any]]
) -> dict[str, Any]:
    """One activity as ``GET /api/activities`` lists it."""
    families = [p.id for p in room.engine.profiles.values() if room.engine.supports(activity, p.id)]
    fitting = [b["name"] for b in boards if room.engine.supports(activity, b["family"])]
    return {
        "slug": activity.slug,
        "title": activity.title,
        "summary": activity.summary,
        "level": activity.level,
        "minutes": activity.minutes,
        "themes": list(activity.themes),
        "requires": list(activity.requires),
        "badge": {"name": activity.badge.name, "description": activity.badge.description},
        "tasks": [
            {"id": t.id, "title": t.title, "facilitator": t.by_facilitator} for t in activity.tasks
        ],
        "supported_by": {"families": families, "boards": fitting},
    }


def activities_json(room: Classroom) -> list[dict[str, Any]]:
    """Every activity, each with the families and the connected boards that can run it."""
    boards = live_boards(room)
    return [activity_json(room, a, boards) for a in room.engine.activities.values()]


def completion_json(completion: Completion, nicknames: dict[str, str]) -> dict[str, Any]:
    """One completion as ``GET /api/completions`` lists it."""
    return {
        "id": completion.id,
        "run_id": completion.run_id,
        "activity": completion.activity_slug,
        "board": completion.board_name,
        "learner": completion.learner,
        "nickname": nicknames.get(completion.learner or ""),
        "completed_at": completion.completed_at.isoformat(timespec="seconds"),
        "key": completion.idempotency_key,
    }


CSV_COLUMNS = ("completed_at", "activity", "badge", "nickname", "learner", "board", "run_id", "key")


def completions_csv(room: Classroom, rows: list[dict[str, Any]]) -> str:
    """The completions as CSV (cells that a spreadsheet would run as a formula are quoted)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        activity = room.activity(row["activity"])
        row = {**row, "badge": activity.badge.name if activity else ""}
        writer.writerow([_cell(row.get(col)) for col in CSV_COLUMNS])
    return out.getvalue()


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def sensor_table() -> dict[str, dict[str, Any]]:
    """Every sensor channel's unit and range, for the plot's axes."""
    return {
        s.name: {"unit": s.unit, "low": s.low, "high": s.high, "kind": s.kind}
        for s in sensors.LIVE.values()
    }


def sim_controls(profile: BoardProfile) -> list[dict[str, Any]]:
    """The sliders and switches of a virtual board of ``profile``: the live channels its
    capabilities give it, with its own parts' ranges."""
    controls = []
    for s in sensors.LIVE.values():
        if s.capability not in profile.capabilities:
            continue
        part = profile.sim_parts.get(s.capability)
        low, high = part.range if part and part.range else (s.low, s.high)
        controls.append(
            {
                "name": s.name,
                "kind": s.kind,
                "low": low,
                "high": high,
                "value": s.default if s.default is not None else low,
                "unit": s.unit,
                "step": 1 if s.kind == "binary" or high - low <= 300 else 10,
            }
        )
    return controls
