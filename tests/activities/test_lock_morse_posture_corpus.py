"""The realistic corpus of the combination lock, the Morse messenger and the posture alert
(``activities/<slug>/scenarios/corpus/``, written by ``tools/scenarios/buttons_posture.py``):
every scenario gives the verdict its name promises (``pass-*`` completes every board task,
``fail-*`` leaves one undone) on two board families, micro:bit v1 and one other."""

from __future__ import annotations

from pathlib import Path

import pytest

from wearkit.activities import load_catalogue
from wearkit.activities.scenarios import scenario_problems
from wearkit.classroom.tryout import try_activity

SPEED = 60.0
FAMILIES = {
    "combination-lock": ("microbit-v1", "cpx"),
    "morse-messenger": ("microbit-v1", "virtual"),  # needs a display: micro:bits, virtual
    "posture-alert": ("microbit-v1", "esp32-wearable"),
}
CATALOGUE = {a.slug: a for a in load_catalogue() if a.slug in FAMILIES}


def _corpus(slug: str) -> list[Path]:
    return sorted((CATALOGUE[slug].path / "scenarios" / "corpus").glob("*.csv"))


CASES = [
    (slug, family, path.name)
    for slug, families in FAMILIES.items()
    for path in _corpus(slug)
    for family in families
]


@pytest.mark.parametrize("slug", sorted(FAMILIES))
def test_corpus_is_big_enough_and_valid(slug: str) -> None:
    names = [p.stem for p in _corpus(slug)]
    assert sum(n.startswith("pass-") for n in names) >= 6
    assert sum(n.startswith("fail-") for n in names) >= 6
    for path in _corpus(slug):
        assert not list(scenario_problems(path)), path


@pytest.mark.slow
@pytest.mark.parametrize(("slug", "family", "name"), CASES)
def test_corpus_verdict(slug: str, family: str, name: str) -> None:
    activity = CATALOGUE[slug]
    path = activity.path / "scenarios" / "corpus" / name
    outcome = try_activity(activity, family=family, scenario=str(path), speed=SPEED, baud=None)
    assert not outcome.traceback, outcome.traceback
    assert outcome.corrupted == 0 and outcome.lost == 0
    assert outcome.complete is activity.scenario_expectation(path.stem), outcome.tasks
