"""Every activity a Blinka kit can run, on a virtual Blinka board: the real kithal_blinka
layer, Blinka and the CircuitPython drivers, fed by the activity's own scenarios (and a
sample of its generated corpus), give the verdict the scenario's name promises."""

from __future__ import annotations

import pytest

from wearkit.activities import load_catalogue, targets
from wearkit.boards import load_profiles
from wearkit.classroom.tryout import try_activity

PROFILES = load_profiles()
BLINKA = sorted(p.id for p in PROFILES.values() if p.kit is not None)
CATALOGUE = {a.slug: a for a in load_catalogue()}
SPEED = 40.0
KINDS = ("pass-", "fail-")  # the first of each in a corpus


def _family(slug: str, index: int) -> str:
    """Take the fitting Blinka families in turn, so both accelerometers get played."""
    fitting = [p.id for p in targets(CATALOGUE[slug], PROFILES.values()) if p.kit is not None]
    return fitting[index % len(fitting)]


def _cases(corpus: bool) -> list[object]:
    cases: list[object] = []
    for slug, activity in sorted(CATALOGUE.items()):
        if not any(p.kit is not None for p in targets(activity, PROFILES.values())):
            continue
        if corpus:
            files = sorted((activity.path / "scenarios" / "corpus").glob("*.csv"))
            chosen = [next((f for f in files if f.stem.startswith(k)), None) for k in KINDS]
            names = [str(f) for f in chosen if f is not None]
        else:
            names = [
                n
                for n in sorted(activity.scenarios)
                if activity.scenario_expectation(n) is not None
            ]
        for index, name in enumerate(names):
            stem = name.rsplit("/", 1)[-1].removesuffix(".csv")
            cases.append(
                pytest.param(slug, _family(slug, index + corpus), name, id=f"{slug}-{stem}")
            )
    return cases


def _play(slug: str, family: str, scenario: str) -> None:
    activity = CATALOGUE[slug]
    outcome = try_activity(activity, family=family, scenario=scenario, speed=SPEED, baud=None)
    stem = scenario.rsplit("/", 1)[-1].removesuffix(".csv")
    assert not outcome.traceback, outcome.traceback
    assert outcome.corrupted == 0 and outcome.lost == 0
    assert outcome.complete is activity.scenario_expectation(stem), outcome.tasks


@pytest.mark.parametrize(("slug", "family", "scenario"), _cases(corpus=False))
def test_scenarios_on_a_blinka_kit(slug: str, family: str, scenario: str) -> None:
    _play(slug, family, scenario)


@pytest.mark.slow
@pytest.mark.parametrize(("slug", "family", "scenario"), _cases(corpus=True))
def test_corpus_on_a_blinka_kit(slug: str, family: str, scenario: str) -> None:
    _play(slug, family, scenario)


def test_what_a_blinka_kit_cannot_run() -> None:
    runs = {slug for slug, a in CATALOGUE.items() if targets(a, [PROFILES[f] for f in BLINKA])}
    # No touch pads, microphone, display or radio in a Blinka kit.
    assert not runs & {"touch-glove", "noise-meter", "morse-messenger", "radio-relay"}
    assert "step-counter" in runs and "tilt-rainbow" in runs
