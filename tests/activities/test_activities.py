"""Loading and validating activity folders (wearkit.activities)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from wearkit.activities import (
    AtLeast,
    AtMost,
    Change,
    EventCount,
    FacilitatorSignOff,
    load_activity,
    load_catalogue,
    targets,
)
from wearkit.boards import load_profiles
from wearkit.errors import ActivityError

MakeActivity = Callable[..., Path]

TOML = "activities/test-thing/activity.toml"
SCRIPT = "activities/test-thing/main.py"


def problems(folder: Path) -> list[str]:
    with pytest.raises(ActivityError) as caught:
        load_activity(folder)
    return str(caught.value).splitlines()


def test_a_valid_activity_loads_with_every_kind_of_check(make_activity: MakeActivity) -> None:
    activity = load_activity(make_activity())
    assert activity.slug == "test-thing"
    assert activity.level == "beginner"
    assert activity.requires == ("accel",)
    assert activity.optional == ("display",)
    assert activity.time_limit == 60
    assert [type(t.check) for t in activity.tasks] == [
        AtLeast, AtMost, Change, EventCount, FacilitatorSignOff
    ]  # fmt: skip
    assert activity.task("goal").check == EventCount("goal", 2)
    assert activity.task("goal").within == 30
    assert activity.task("dark").check == Change("light", -0.5)
    assert [t.id for t in activity.board_tasks] == ["steps", "fast", "dark", "goal"]
    assert set(activity.scenarios) == {"pass", "fail"}
    assert activity.script.name == "main.py"
    assert activity.warnings == ()


def test_supported_by_and_targets(make_activity: MakeActivity) -> None:
    activity = load_activity(make_activity())
    assert activity.supported_by({"accel", "light"})
    assert not activity.supported_by({"light", "display"})
    assert activity.missing_capabilities({"light"}) == ("accel",)
    profiles = load_profiles().values()
    assert {p.id for p in targets(activity, profiles)} == {p.id for p in profiles}


def test_unknown_metric_in_a_task(make_activity: MakeActivity, minimal_toml: str) -> None:
    toml = minimal_toml.replace('metric = "steps"', 'metric = "stepz"')
    found = problems(make_activity(toml=toml))
    assert (
        f"{TOML}: task 'steps': unknown metric 'stepz' "
        "(declared metrics: steps, light, reaction_ms)"
    ) in found


def test_unknown_event_in_a_task(make_activity: MakeActivity, minimal_toml: str) -> None:
    toml = minimal_toml.replace('event = "goal"', 'event = "gaol"')
    assert f"{TOML}: task 'goal': unknown event 'gaol' (declared events: goal)" in problems(
        make_activity(toml=toml)
    )


def test_bad_level_lists_the_choices(make_activity: MakeActivity, minimal_toml: str) -> None:
    toml = minimal_toml.replace('level = "beginner"', 'level = "easy"')
    assert (
        f"{TOML}: field 'level': expected one of beginner, intermediate, advanced, got 'easy'"
    ) in problems(make_activity(toml=toml))


def test_missing_files(make_activity: MakeActivity) -> None:
    folder = make_activity()
    (folder / "main.py").unlink()
    (folder / "README.md").unlink()
    found = problems(folder)
    assert "activities/test-thing: missing main.py" in found
    assert "activities/test-thing: missing README.md" in found
    (folder / "activity.toml").unlink()
    assert "activities/test-thing: missing activity.toml" in problems(folder)


def test_missing_scenarios(make_activity: MakeActivity) -> None:
    found = problems(make_activity(scenarios={"pass": "t,az\n0,-1000\n"}))
    assert any(p.startswith("activities/test-thing: missing scenarios/fail.csv") for p in found)


def test_unknown_capability(make_activity: MakeActivity, minimal_toml: str) -> None:
    toml = minimal_toml.replace('requires = ["accel"]', 'requires = ["accel", "laser"]')
    found = problems(make_activity(toml=toml))
    assert any(
        p.startswith(f"{TOML}: field 'requires': unknown value 'laser' (known: accel,")
        for p in found
    )


def test_unknown_keys_suggest_the_right_one(make_activity: MakeActivity, minimal_toml: str) -> None:
    toml = minimal_toml.replace('title = "Test activity"', 'titel = "Test activity"')
    toml = toml.replace("at_least = 20", "at_lest = 20")
    found = problems(make_activity(toml=toml))
    assert f"{TOML}: unknown field 'titel' (did you mean 'title'?)" in found
    assert f"{TOML}: task 'steps': unknown field 'at_lest' (did you mean 'at_least'?)" in found
    assert f"{TOML}: field 'title': missing; add `title = \"...\"`" in found


def test_duplicate_task_ids(make_activity: MakeActivity, minimal_toml: str) -> None:
    toml = minimal_toml.replace('id = "fast"', 'id = "steps"')
    assert f"{TOML}: task 'steps': duplicate task id" in problems(make_activity(toml=toml))


def test_a_task_needs_exactly_one_check(make_activity: MakeActivity, minimal_toml: str) -> None:
    none = minimal_toml + '\n[[tasks]]\nid = "nothing"\ntitle = "Nothing to check"\n'
    found = problems(make_activity(toml=none))
    assert any(p.startswith(f"{TOML}: task 'nothing': no check;") for p in found)
    two = minimal_toml.replace("at_least = 20", "at_least = 20\nat_most = 40")
    found = problems(make_activity(toml=two))
    assert (
        f"{TOML}: task 'steps': more than one check (at_least, at_most); "
        "split it into one task per check"
    ) in found


def test_check_qualifiers_must_fit(make_activity: MakeActivity, minimal_toml: str) -> None:
    toml = minimal_toml.replace('hint = "They explain it."', "within = 10")
    toml = toml.replace("count = 2", "count = 0")
    found = problems(make_activity(toml=toml))
    assert f"{TOML}: task 'explain': 'within' cannot apply to a facilitator sign-off" in found
    assert any(p.startswith(f"{TOML}: task 'explain': a facilitator task needs") for p in found)
    assert f"{TOML}: task 'goal': field 'count': expected an integer above 0, got 0" in found


def test_within_longer_than_the_time_limit(make_activity: MakeActivity, minimal_toml: str) -> None:
    toml = minimal_toml.replace("within = 30", "within = 90")
    assert (
        f"{TOML}: task 'goal': field 'within': 90 s is longer than the activity's time_limit (60 s)"
    ) in problems(make_activity(toml=toml))


def test_every_problem_is_listed_at_once(make_activity: MakeActivity, minimal_toml: str) -> None:
    toml = minimal_toml.replace('level = "beginner"', 'level = "easy"')
    toml = toml.replace('metric = "steps"', 'metric = "stepz"').replace("minutes = 20", "")
    found = problems(make_activity(toml=toml))
    assert len(found) >= 3
    assert all(p.startswith(TOML) for p in found)


def test_invalid_toml(make_activity: MakeActivity) -> None:
    found = problems(make_activity(toml="title = \n"))
    assert found == [f"{TOML}: line 1, column 9: not valid TOML: Invalid value"]


def test_task_metric_never_reported_by_the_script(
    make_activity: MakeActivity, minimal_script: str
) -> None:
    script = minimal_script.replace('kit.report("steps", 0)\n', "")
    assert (
        f"{TOML}: task 'steps': metric 'steps' is never reported by main.py "
        "(it reports: light, reaction_ms)"
    ) in problems(make_activity(script=script))


def test_task_event_never_sent_by_the_script(
    make_activity: MakeActivity, minimal_script: str
) -> None:
    script = minimal_script.replace('kit.event("goal")', "pass")
    assert (
        f"{TOML}: task 'goal': event 'goal' is never sent by main.py (it sends: nothing)"
    ) in problems(make_activity(script=script))


def test_declared_but_never_reported_is_a_warning(
    make_activity: MakeActivity, minimal_toml: str, minimal_script: str
) -> None:
    unused = '[metrics.unused]\ndescription = "x"\n\n[events.goal]'
    toml = minimal_toml.replace("[events.goal]", unused)
    script = minimal_script.replace("kit.done()", 'kit.report("extra", 1)\nkit.done()')
    activity = load_activity(make_activity(toml=toml, script=script))
    assert activity.warnings == (
        f"{TOML}: metric 'unused' is declared but main.py never reports it",
        f"{TOML}: main.py reports 'extra', which [metrics] does not declare",
    )


def test_script_problems(make_activity: MakeActivity, minimal_script: str) -> None:
    script = "import os\nfrom kit import report\n" + minimal_script
    for old, new in [
        ('kit.show("x")', 'kit.show(f"{x}")'),
        ("kit.sleep(100)", "kit.slep(100)"),
        ("kit.done()", "level: int = 3"),
        ("TIME_LIMIT = 60", "TIME_LIMIT = 90"),
    ]:
        script = script.replace(old, new)
    found = problems(make_activity(script=script))
    assert f"{SCRIPT}:1: imports 'os'; activity scripts may import only kit, math, random" in found
    assert any(p.startswith(f"{SCRIPT}:2: use `import kit`") for p in found)
    assert any("f-strings do not run on micro:bit v1" in p for p in found)
    assert any("type annotations do not run on micro:bit v1" in p for p in found)
    assert any("kit has no function 'slep' (did you mean kit.sleep?)" in p for p in found)
    assert any(p.startswith(f"{SCRIPT}: never calls kit.done()") for p in found)
    assert f"{SCRIPT}: TIME_LIMIT = 90 but activity.toml says time_limit = 60" in found


def test_script_syntax_error(make_activity: MakeActivity) -> None:
    found = problems(make_activity(script="import kit\nwhile True\n    pass\n"))
    assert any(p.startswith(f"{SCRIPT}:2: syntax error") for p in found)


def test_script_capabilities_must_be_declared(
    make_activity: MakeActivity, minimal_toml: str, minimal_script: str
) -> None:
    toml = minimal_toml.replace('optional = ["display"]', 'optional = ["pixels"]')
    found = problems(make_activity(toml=toml, script=minimal_script))
    assert (
        f"{TOML}: field 'requires': main.py uses 'display' but neither requires nor "
        "optional lists it"
    ) in found
    assert f"{SCRIPT}: 'pixels' is optional, so guard its use with `if kit.has(\"pixels\"):`" in (
        found
    )


def test_scenario_problems_are_listed_by_the_loader(make_activity: MakeActivity) -> None:
    bad = "t,az,button_a\n0,-1000,0\n2,,2\n1,x,\n"
    found = problems(make_activity(scenarios={"pass": bad, "fail": "az\n-1000\n"}))
    where = "activities/test-thing/scenarios"
    assert (
        f"{where}/pass.csv: row 3, column 'button_a': button_a is 0 (released) or 1 (pressed), "
        "not 2"
    ) in found
    assert f"{where}/pass.csv: row 4, column 't': 1 comes after 2; rows go in time order" in (
        " ".join(found)
    )
    assert any(
        p.startswith(f"{where}/pass.csv: row 4, column 'az': 'x' is not a number") for p in found
    )
    assert any(p.startswith(f"{where}/fail.csv: row 1: no 't' column") for p in found)


def test_catalogue_collects_every_broken_activity(
    make_activity: MakeActivity, minimal_toml: str, tmp_path: Path
) -> None:
    make_activity("good-one")
    make_activity("bad-one", toml=minimal_toml.replace('level = "beginner"', 'level = "x"'))
    make_activity("bad-two", toml=minimal_toml.replace("minutes = 20", "minutes = -1"))
    (tmp_path / "activities" / "_drafts").mkdir()
    with pytest.raises(ActivityError) as caught:
        load_catalogue(tmp_path / "activities")
    message = str(caught.value)
    assert "activities/bad-one/activity.toml: field 'level'" in message
    assert "activities/bad-two/activity.toml: field 'minutes'" in message
    assert "good-one" not in message and "_drafts" not in message


def test_catalogue_orders_beginners_first(
    make_activity: MakeActivity, minimal_toml: str, tmp_path: Path
) -> None:
    make_activity("a-hard-one", toml=minimal_toml.replace('"beginner"', '"advanced"'))
    make_activity("b-easy-one")
    slugs = [a.slug for a in load_catalogue(tmp_path / "activities")]
    assert slugs == ["b-easy-one", "a-hard-one"]
