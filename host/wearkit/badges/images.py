"""Badge images: drawn by wearkit as SVG from the activity, rendered to PNG with resvg.

The drawing is a rosette in the activity's theme colour with the badge name on a ribbon, so
every badge of the catalogue looks related and none needs an artist. Text is set in DejaVu
Sans (Debian's fonts-dejavu-core; any sans-serif font otherwise).
"""

from __future__ import annotations

import functools
import hashlib
import math
import textwrap
from xml.sax.saxutils import escape

import resvg_py

from wearkit.activities.model import Activity
from wearkit.errors import BadgeServiceError

#: Pixels of the square PNG (Open Badges asks for at least 90; LinkedIn shows 400).
PNG_SIZE = 400
#: Dark enough for white text at WCAG AA (contrast above 4.5:1) on every one of them.
THEME_COLOURS = {
    "wearable-tech": "#1b5e20",
    "coding": "#0d47a1",
    "games-design": "#6a1b9a",
    "cyber-security": "#b71c1c",
}
_FONT = "DejaVu Sans, Verdana, Arial, sans-serif"


def badge_colour(activity: Activity) -> str:
    """The colour of ``activity``'s badge: its first theme's."""
    return THEME_COLOURS.get(activity.themes[0] if activity.themes else "", "#37474f")


def _rosette(points: int, outer: float, inner: float, centre: float) -> str:
    corners = []
    for i in range(points * 2):
        radius = outer if i % 2 == 0 else inner
        angle = math.pi * i / points - math.pi / 2
        x, y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        corners.append(f"{x:.1f},{y:.1f}")
    return " ".join(corners)


def badge_svg(activity: Activity) -> str:
    """The SVG image of ``activity``'s badge (200 x 200 user units, with a title)."""
    badge = activity.badge
    colour = badge_colour(activity)
    lines = textwrap.wrap(badge.name, 12)[:3] or [badge.name]
    longest = max(len(line) for line in lines)
    size = 20 if longest <= 10 else 16 if longest <= 12 else 13
    first_y = 104 - (len(lines) - 1) * size * 0.6
    text = "".join(
        f'<text x="100" y="{first_y + i * size * 1.15:.1f}" font-family="{_FONT}" '
        f'font-size="{size}" font-weight="bold" text-anchor="middle" fill="#ffffff">'
        f"{escape(line)}</text>"
        for i, line in enumerate(lines)
    )
    # A few dots seeded by the slug tell the badges of one theme apart at a glance.
    seed = hashlib.sha256(activity.slug.encode()).digest()
    dots = "".join(
        f'<circle cx="{100 + 83 * math.cos(seed[i] / 40.7):.1f}" '
        f'cy="{100 + 83 * math.sin(seed[i] / 40.7):.1f}" r="3" fill="#ffffff"/>'
        for i in range(5)
    )
    title = escape(f"{badge.name}: a wearkit badge")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200" '
        f'viewBox="0 0 200 200" role="img" aria-label="{title}">'
        f"<title>{title}</title>"
        f'<polygon points="{_rosette(16, 98, 88, 100)}" fill="{colour}"/>'
        f'<circle cx="100" cy="100" r="78" fill="none" stroke="#ffffff" stroke-width="3"/>'
        f'<circle cx="100" cy="100" r="70" fill="{colour}" stroke="#ffffff" stroke-width="1"/>'
        f"{dots}{text}"
        f'<text x="100" y="160" font-family="{_FONT}" font-size="11" text-anchor="middle" '
        f'fill="#ffffff">wearkit</text>'
        "</svg>"
    )


@functools.lru_cache(maxsize=64)
def render_png(svg: str, size: int = PNG_SIZE) -> bytes:
    """``svg`` rendered to a ``size`` x ``size`` PNG."""
    try:
        png = resvg_py.svg_to_bytes(
            svg_string=svg, width=size, height=size, sans_serif_family="DejaVu Sans"
        )
    except ValueError as exc:
        raise BadgeServiceError(f"cannot render a badge image: {exc}") from exc
    return bytes(png)


def badge_png(activity: Activity, size: int = PNG_SIZE) -> bytes:
    """The PNG image of ``activity``'s badge: its own image file if it names one, else the
    drawn SVG rendered."""
    image = activity.badge.image
    if image is not None and image.suffix.lower() == ".png":
        return image.read_bytes()
    if image is not None and image.suffix.lower() == ".svg":
        return render_png(image.read_text(encoding="utf-8"), size)
    return render_png(badge_svg(activity), size)


def badge_image_svg(activity: Activity) -> str:
    """The SVG image of ``activity``'s badge: its own SVG file if it names one, else drawn."""
    image = activity.badge.image
    if image is not None and image.suffix.lower() == ".svg":
        return image.read_text(encoding="utf-8")
    return badge_svg(activity)
