"""The kit API is read from firmware/kit.py (wearkit.activities.lint), never typed twice."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from wearkit import paths
from wearkit.activities import kit_api, load_activity
from wearkit.errors import ActivityError

MakeActivity = Callable[..., Path]
TOML = "activities/test-thing/activity.toml"
SCRIPT = "activities/test-thing/main.py"
BEEP = '\n\ndef beep(ms):  # a short sound\n    _need("sound").beep(ms)\n'


@pytest.fixture
def firmware(tmp_path: Path) -> Path:
    """A copy of the bundled firmware folder, to add to kit.py."""
    copy = tmp_path / "firmware"
    shutil.copytree(paths.firmware_dir(), copy, ignore=shutil.ignore_patterns("sim"))
    return copy


def test_the_bundled_kit_api() -> None:
    api = kit_api()
    assert {"accel", "report", "event", "done", "has", "send", "MissingCapability"} <= (
        api.functions
    )
    assert not any(name.startswith("_") for name in api.functions)
    assert api.capability_of["button"] == "buttons"
    assert api.capability_of["show"] == "display"
    assert api.capability_of["receive"] == "radio"
    assert "report" not in api.capability_of and "has" not in api.capability_of


def test_a_function_added_to_kit_py_is_known_to_the_linter(
    make_activity: MakeActivity, minimal_script: str, minimal_toml: str, firmware: Path
) -> None:
    script = minimal_script.replace("kit.done()", "kit.beep(100)\nkit.done()")
    folder = make_activity(script=script)
    with pytest.raises(ActivityError) as caught:
        load_activity(folder, firmware=firmware)
    assert "kit has no function 'beep'" in str(caught.value)

    kit = firmware / "kit.py"
    kit.write_text(kit.read_text(encoding="utf-8") + BEEP, encoding="utf-8")
    with pytest.raises(ActivityError) as caught:
        load_activity(folder, firmware=firmware)
    # beep is known now, and it needs the sound capability the activity does not list
    assert str(caught.value).splitlines() == [
        f"{TOML}: field 'requires': main.py uses 'sound' but neither requires nor optional lists it"
    ]
    toml = minimal_toml.replace('requires = ["accel"]', 'requires = ["accel", "sound"]')
    activity = load_activity(make_activity(script=script, toml=toml), firmware=firmware)
    assert activity.requires == ("accel", "sound")


def test_a_missing_kit_py_is_named(make_activity: MakeActivity, tmp_path: Path) -> None:
    with pytest.raises(ActivityError, match=r"kit.py: cannot read: No such file"):
        load_activity(make_activity(), firmware=tmp_path / "nowhere")
