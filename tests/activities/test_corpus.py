"""Every activity's realistic corpus (``activities/<slug>/scenarios/corpus/*.csv``, written by
the seeded generators in ``tools/scenarios/``): each trace is valid, there are at least six
passing and six failing ones, and each gives the verdict its name promises (``pass-*``
completes every board task, ``fail-*`` leaves one undone) on two board families."""

from __future__ import annotations

from pathlib import Path

import pytest

from wearkit.activities import load_catalogue
from wearkit.activities.scenarios import scenario_problems
from wearkit.classroom.tryout import try_activity

#: The two families each corpus plays on, and why those.
FAMILIES = {
    "step-counter": ("microbit-v2", "cpx"),
    "high-five": ("microbit-v2", "cpx"),
    "night-light": ("microbit-v1", "cpx"),  # a slow LED-matrix sensor and a fast one
    "touch-glove": ("microbit-v1", "esp32-wearable"),
    "reaction-timer": ("microbit-v1", "cpb"),
    "combination-lock": ("microbit-v1", "cpx"),
    "morse-messenger": ("microbit-v1", "virtual"),  # needs a display: micro:bits, virtual
    "posture-alert": ("microbit-v1", "esp32-wearable"),
    "fever-patch": ("microbit-v1", "cpx"),  # whole degrees, and a fine thermistor
    "noise-meter": ("microbit-v2", "cpx"),  # the micro:bit's level, the Express's mic RMS
    "tilt-rainbow": ("cpx", "esp32-wearable"),  # +-8 g in m/s^2, +-2 g MPU-6050 registers
    "radio-relay": ("microbit-v1", "esp32-wearable"),  # the micro:bit's radio, ESP-NOW
}
#: The board clock's speed-up: these corpora hold no fine timing beyond x60.
SPEED = {
    "combination-lock": 60.0,
    "morse-messenger": 60.0,
    "posture-alert": 60.0,
    "fever-patch": 60.0,
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
    speed = SPEED.get(slug, 40.0)
    outcome = try_activity(activity, family=family, scenario=str(path), speed=speed, baud=None)
    assert not outcome.traceback, outcome.traceback
    assert outcome.corrupted == 0 and outcome.lost == 0
    assert outcome.complete is activity.scenario_expectation(path.stem), outcome.tasks
