"""The generated light, touch and button corpus (tools/scenarios/inputs.py): every scenario
gives its expected verdict (``pass-*`` completes, ``fail-*`` does not) on two families, one of
them a micro:bit v1 where the activity runs there (its light sensor lags 250 ms)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wearkit.activities import load_catalogue
from wearkit.classroom.tryout import try_activity

SPEED = 40.0
SLUGS = ("night-light", "touch-glove", "reaction-timer")
FAMILIES = {
    "night-light": ("microbit-v1", "cpx"),  # a slow LED-matrix sensor and a fast one
    "touch-glove": ("microbit-v1", "esp32-wearable"),
    "reaction-timer": ("microbit-v1", "cpb"),
}
CATALOGUE = {a.slug: a for a in load_catalogue() if a.slug in SLUGS}


def _corpus(slug: str) -> list[Path]:
    return sorted((CATALOGUE[slug].path / "scenarios" / "corpus").glob("*.csv"))


CASES = [
    (slug, family, path.name)
    for slug in SLUGS
    for path in _corpus(slug)
    for family in FAMILIES[slug]
]


def test_corpus_has_six_of_each() -> None:
    for slug in SLUGS:
        names = [p.name for p in _corpus(slug)]
        assert sum(n.startswith("pass-") for n in names) >= 6, slug
        assert sum(n.startswith("fail-") for n in names) >= 6, slug


@pytest.mark.slow
@pytest.mark.parametrize(("slug", "family", "name"), CASES)
def test_corpus_verdict(slug: str, family: str, name: str) -> None:
    activity = CATALOGUE[slug]
    path = activity.path / "scenarios" / "corpus" / name
    outcome = try_activity(activity, family=family, scenario=str(path), speed=SPEED, baud=None)
    assert not outcome.traceback, outcome.traceback
    assert outcome.corrupted == 0 and outcome.lost == 0
    assert outcome.complete is name.startswith("pass-"), outcome.tasks
