"""Task criteria (wearkit.activities.criteria): one class per check, found by its TOML key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from wearkit.activities import CRITERIA, AtLeast, FacilitatorSignOff, load_activity
from wearkit.activities.criteria import Change, EventCount, Progress
from wearkit.errors import ActivityError

MakeActivity = Callable[..., Path]
TOML = "activities/test-thing/activity.toml"


def test_the_registry_is_keyed_by_the_toml_key() -> None:
    assert list(CRITERIA) == ["at_least", "at_most", "change", "event", "facilitator"]
    assert all(kind.key == key for key, kind in CRITERIA.items())
    assert [k for k, kind in CRITERIA.items() if kind.by_facilitator] == ["facilitator"]


def test_a_companion_key_names_the_checks_it_goes_with(
    make_activity: MakeActivity, minimal_toml: str
) -> None:
    toml = minimal_toml.replace("at_least = 20", "at_least = 20\ncount = 2\nhint = 'x'")
    toml = toml.replace('event = "goal"', 'event = "goal"\nmetric = "steps"')
    with pytest.raises(ActivityError) as caught:
        load_activity(make_activity(toml=toml))
    found = str(caught.value).splitlines()
    assert f"{TOML}: task 'steps': 'count' goes with event, not at_least" in found
    assert f"{TOML}: task 'steps': 'hint' goes with facilitator, not at_least" in found
    assert f"{TOML}: task 'goal': 'metric' goes with at_least, at_most or change, not event" in (
        found
    )


def test_a_task_without_a_check_lists_every_kind(
    make_activity: MakeActivity, minimal_toml: str
) -> None:
    toml = minimal_toml + '\n[[tasks]]\nid = "nothing"\ntitle = "Nothing to check"\n'
    with pytest.raises(ActivityError) as caught:
        load_activity(make_activity(toml=toml))
    assert (
        f"{TOML}: task 'nothing': no check; give one of `metric` with at_least, at_most or "
        "change, `event` (with optional count), or `facilitator = true` with a hint"
    ) in str(caught.value).splitlines()


def test_criteria_describe_their_progress() -> None:
    check = AtLeast("steps", 20)
    progress = Progress()
    assert check.describe(progress, {"steps": "steps"}) == "steps - of 20"
    progress.highest = 20
    assert check.met(progress)
    sign_off = FacilitatorSignOff("They explain it.")
    assert not sign_off.met(Progress())
    assert sign_off.describe(Progress(by="Ms Rao"), {}) == "signed off by Ms Rao"


class _Frame:
    """The fields of a frame a criterion reads."""

    def __init__(self, kind: str, t_ms: int, name: str, value: object = None) -> None:
        self.seq, self.kind, self.t_ms, self.name, self.value = 0, kind, t_ms, name, value


def test_events_count_within_any_window_not_from_the_start() -> None:
    check = EventCount("high_five", 3)
    progress = Progress(within_ms=30_000)
    for t in (100_000, 125_000, 131_000):  # a late start; 31 s first to third
        check.observe(progress, _Frame("event", t, "high_five"))
    assert not check.met(progress)
    assert check.describe(progress, {}) == "high five: 2 of 3 within 30 s"
    check.observe(progress, _Frame("event", 150_000, "high_five"))  # 125..150: 25 s
    assert check.met(progress)
    assert check.describe(progress, {}) == "high five: 3 of 3 within 30 s"
    assert check.clock_start(progress) is None  # no deadline: any window will do


def test_without_within_events_count_over_the_whole_run() -> None:
    check = EventCount("goal", 2)
    progress = Progress()
    check.observe(progress, _Frame("event", 0, "goal"))
    check.observe(progress, _Frame("event", 500_000, "goal"))
    assert check.met(progress) and check.describe(progress, {}) == "goal: 2 of 2"


def test_a_metric_clock_starts_at_the_first_move_toward_the_goal() -> None:
    check = AtLeast("steps", 20)
    progress = Progress(within_ms=60_000)
    check.observe(progress, _Frame("report", 0, "steps", 0))
    check.observe(progress, _Frame("report", 5_000, "steps", 0))
    check.observe(progress, _Frame("report", 6_000, "other", 5))
    assert check.clock_start(progress) is None
    check.observe(progress, _Frame("report", 41_200, "steps", 1))
    assert check.clock_start(progress) == 41_200
    down = Change("light", -0.5)
    dark = Progress(within_ms=10_000)
    down.observe(dark, _Frame("report", 0, "light", 100))
    down.observe(dark, _Frame("report", 1_000, "light", 140))  # the wrong way
    assert down.clock_start(dark) is None
    down.observe(dark, _Frame("report", 2_000, "light", 99))
    assert down.clock_start(dark) == 2_000
