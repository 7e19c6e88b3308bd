"""A badge's definition in activity.toml: every bundled one complete, mistakes named."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import LIGHT_PROBE_TOML, write_light_probe
from wearkit.activities import load_activity
from wearkit.activities.model import Activity
from wearkit.errors import ActivityError


def test_every_bundled_badge_has_tags_a_designer_and_an_alignment(
    catalogue: list[Activity],
) -> None:
    for activity in catalogue:
        badge = activity.badge
        assert badge.tags and badge.designer, activity.slug
        assert badge.alignment is not None and badge.alignment.url.startswith("https://")


def _probe(tmp_path: Path, badge_extra: str) -> Callable[[], Activity]:
    folder = write_light_probe(tmp_path / "light-probe")
    toml = LIGHT_PROBE_TOML.replace(
        'criteria = "Saw the light level reach 200."',
        'criteria = "Saw the light level reach 200."\n' + badge_extra,
    )
    (folder / "activity.toml").write_text(toml)
    return lambda: load_activity(folder)


def test_a_full_badge_table_loads(tmp_path: Path) -> None:
    extra = (
        'tags = ["light", "sensors"]\ndesigner = "Lumen Ltd"\n'
        'designer_url = "https://lumen.example.org/"\n\n[badge.alignment]\n'
        'framework = "CSTA"\ncode = "2-CS-02"\nname = "Combine hardware and software"\n'
        'url = "https://csteachers.org/k12standards/"\n'
    )
    badge = _probe(tmp_path, extra)().badge
    assert badge.tags == ("light", "sensors") and badge.designer == "Lumen Ltd"
    assert badge.alignment is not None and badge.alignment.code == "2-CS-02"


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ('tags = "light"', "field 'badge.tags'"),
        ('designer_url = "lumen"', "field 'badge.designer_url'"),
        ('[badge.alignment]\nframework = "CSTA"\ncode = "1"\nname = "x"', "badge.alignment.url"),
        (
            '[badge.alignment]\nframework = "CSTA"\ncode = "1"\nname = "x"\nurl = "ftp://x.org"\n'
            "level = 2",
            "unknown field in [badge.alignment] 'level'",
        ),  # fmt: skip
    ],
)
def test_a_wrong_badge_field_is_named_with_its_file(tmp_path: Path, extra: str, named: str) -> None:
    with pytest.raises(ActivityError) as caught:
        _probe(tmp_path, extra)()
    assert "activity.toml" in str(caught.value) and named in str(caught.value)
