"""An activity's badge in words, for `wearkit check` and `wearkit activities`: what an
author sees before any learner earns it."""

from __future__ import annotations

from typing import Any

from wearkit import paths
from wearkit.activities.model import Activity
from wearkit.badges.images import badge_colour


def image_preview(activity: Activity) -> str:
    """Where the badge's image comes from: its own file, or a description of the drawing."""
    badge = activity.badge
    if badge.image is not None:
        return paths.shown(badge.image)
    theme = activity.themes[0] if activity.themes else "no theme"
    return (f"drawn by wearkit: a rosette in {badge_colour(activity)} ({theme}) with "
            f'"{badge.name}" on its ribbon')  # fmt: skip


def badge_lines(activity: Activity) -> list[str]:
    """The badge of ``activity``: a heading line, then indented details."""
    badge = activity.badge
    by = f" by {badge.designer}" if badge.designer else ""
    lines = [f'{activity.slug}: badge "{badge.name}"{by}', f"  {badge.description}",
             f"  criteria: {badge.criteria}"]  # fmt: skip
    if badge.alignment is not None:
        a = badge.alignment
        lines.append(f'  aligned to {a.code} "{a.name}" ({a.framework}, {a.url})')
    else:
        lines.append("  aligned to no skill framework entry (add [badge.alignment])")
    if badge.tags:
        lines.append(f"  tags: {', '.join(badge.tags)}")
    lines.append(f"  image: {image_preview(activity)}")
    return lines


def badge_json(activity: Activity) -> dict[str, Any]:
    """The badge of ``activity`` as JSON for scripts."""
    badge = activity.badge
    a = badge.alignment
    return {
        "name": badge.name,
        "description": badge.description,
        "criteria": badge.criteria,
        "tags": list(badge.tags),
        "designer": badge.designer,
        "alignment": None if a is None else
        {"framework": a.framework, "code": a.code, "name": a.name, "url": a.url},
        "image": str(badge.image) if badge.image is not None else None,
        "image_preview": image_preview(activity),
    }  # fmt: skip
