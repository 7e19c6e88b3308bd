"""Task criteria (wearkit.activities.criteria): one class per check, found by its TOML key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from wearkit.activities import CRITERIA, AtLeast, FacilitatorSignOff, load_activity
from wearkit.activities.criteria import Progress
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
