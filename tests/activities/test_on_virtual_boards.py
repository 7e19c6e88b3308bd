"""Every activity on every board family it targets: the pass scenario completes, the fail
scenario does not. Real firmware, real hardware layers, simulated native modules, a real
MicroPython interpreter behind a pty."""

from __future__ import annotations

import pytest

from wearkit.activities import load_catalogue, targets
from wearkit.boards import load_profiles
from wearkit.classroom.tryout import try_activity

SPEED = 40.0


def _cases() -> list[object]:
    profiles = load_profiles()
    cases: list[object] = []
    for activity in load_catalogue():
        for profile in targets(activity, profiles.values()):
            for scenario in sorted(activity.scenarios):
                if activity.scenario_expectation(scenario) is not None:
                    cases.append((activity.slug, profile.id, scenario))
    return cases


CATALOGUE = {a.slug: a for a in load_catalogue()}


@pytest.mark.slow
@pytest.mark.parametrize(("slug", "family", "scenario"), _cases())
def test_scenario_outcome(slug: str, family: str, scenario: str) -> None:
    activity = CATALOGUE[slug]
    outcome = try_activity(activity, family=family, scenario=scenario, speed=SPEED, baud=None)
    expected = activity.scenario_expectation(scenario)
    assert not outcome.traceback, outcome.traceback
    assert outcome.corrupted == 0 and outcome.lost == 0
    assert outcome.complete is expected, outcome.tasks
