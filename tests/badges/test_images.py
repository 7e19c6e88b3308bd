"""Badge images: a drawn SVG naming the badge, and a PNG rendered from it."""

from __future__ import annotations

import struct

from wearkit.activities.model import Activity
from wearkit.badges.images import PNG_SIZE, badge_png, badge_svg


def test_the_svg_names_the_badge_for_screen_readers(step_counter: Activity) -> None:
    svg = badge_svg(step_counter)
    assert svg.startswith("<svg") and "<title>Step Tracker: a wearkit badge</title>" in svg


def test_every_badge_renders_to_a_square_png(catalogue: list[Activity]) -> None:
    seen = set()
    for activity in catalogue:
        png = badge_png(activity)
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", png[16:24])
        assert (width, height) == (PNG_SIZE, PNG_SIZE)
        seen.add(png)
    assert len(seen) == len(catalogue)  # each badge looks different
