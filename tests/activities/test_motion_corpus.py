"""The step counter's and the high five's realistic corpus (``scenarios/corpus/*.csv``, 50 Hz
traces from ``tools/scenarios/motion.py``): every trace gives its expected verdict on two
families with room for a long trace (a micro:bit v1 cannot hold one until scenarios stream)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wearkit.activities import load_catalogue
from wearkit.classroom.tryout import try_activity

SPEED = 40.0
FAMILIES = ("microbit-v2", "cpx")
CATALOGUE = {a.slug: a for a in load_catalogue()}
SLUGS = ("step-counter", "high-five")


def _cases() -> list[tuple[str, str, str]]:
    cases = []
    for slug in SLUGS:
        corpus = CATALOGUE[slug].path / "scenarios" / "corpus"
        for path in sorted(corpus.glob("*.csv")):
            for family in FAMILIES:
                cases.append((slug, family, path.stem))
    return cases


def test_each_corpus_has_six_pass_and_six_fail_traces() -> None:
    for slug in SLUGS:
        names = [p.stem for p in (CATALOGUE[slug].path / "scenarios" / "corpus").glob("*.csv")]
        assert sum(n.startswith("pass") for n in names) >= 6, slug
        assert sum(n.startswith("fail") for n in names) >= 6, slug


@pytest.mark.slow
@pytest.mark.parametrize(("slug", "family", "name"), _cases())
def test_corpus_verdict(slug: str, family: str, name: str) -> None:
    activity = CATALOGUE[slug]
    path: Path = activity.path / "scenarios" / "corpus" / f"{name}.csv"
    outcome = try_activity(activity, family=family, scenario=str(path), speed=SPEED, baud=None)
    assert not outcome.traceback, outcome.traceback
    assert outcome.complete is activity.scenario_expectation(name), outcome.tasks
