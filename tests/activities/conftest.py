"""Fixtures for the activity tests: frames as the board sends them, and a writable activity."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

try:  # the real codec's frame once it exists; a stand-in with the same fields until then
    from wearkit.frames import Frame
except ImportError:  # pragma: no cover - only before wearkit.frames lands

    @dataclasses.dataclass(frozen=True)
    class Frame:  # type: ignore[no-redef]
        seq: int
        kind: str
        t_ms: int
        name: str | None = None
        value: Any = None


MakeFrame = Callable[..., Any]


@pytest.fixture
def frame() -> MakeFrame:
    """``frame(kind, t_ms, name=None, value=None)`` with a rising sequence number."""
    counter = iter(range(1, 1_000_000))

    def make(kind: str, t_ms: int, name: str | None = None, value: Any = None) -> Any:
        return Frame(seq=next(counter), kind=kind, t_ms=t_ms, name=name, value=value)

    return make


MINIMAL_TOML = """\
title = "Test activity"
summary = "Something to test the loader with."
level = "beginner"
minutes = 20
themes = ["coding"]
requires = ["accel"]
optional = ["display"]
time_limit = 60

[badge]
name = "Tester"
description = "Tested things."
criteria = "Did the tasks."

[metrics.steps]
unit = "steps"
description = "Steps so far."

[metrics.light]
unit = "level"
description = "Light level."

[metrics.reaction_ms]
unit = "ms"
description = "Reaction time."

[events.goal]
description = "Goal reached."

[[tasks]]
id = "steps"
title = "Walk 20 steps"
metric = "steps"
at_least = 20

[[tasks]]
id = "fast"
title = "React fast"
metric = "reaction_ms"
at_most = 300

[[tasks]]
id = "dark"
title = "Make it dark"
metric = "light"
change = -0.5

[[tasks]]
id = "goal"
title = "Reach the goal twice within 30 s"
event = "goal"
count = 2
within = 30

[[tasks]]
id = "explain"
title = "Explain it"
facilitator = true
hint = "They explain it."
"""

MINIMAL_SCRIPT = """\
import kit

TIME_LIMIT = 60
start = kit.ms()
kit.report("steps", 0)
kit.report("light", 100)
while kit.ms() - start < TIME_LIMIT * 1000:
    x, y, z = kit.accel()
    kit.report("reaction_ms", 250)
    kit.event("goal")
    if kit.has("display"):
        kit.show("x")
    kit.sleep(100)
kit.done()
"""


def write_activity(
    folder: Path,
    toml: str = MINIMAL_TOML,
    script: str = MINIMAL_SCRIPT,
    scenarios: dict[str, str] | None = None,
) -> Path:
    """Write an activity folder (valid unless told otherwise) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "activity.toml").write_text(toml, encoding="utf-8")
    (folder / "main.py").write_text(script, encoding="utf-8")
    (folder / "README.md").write_text("# Test\n", encoding="utf-8")
    (folder / "scenarios").mkdir(exist_ok=True)
    if scenarios is None:
        scenarios = {"pass": "t,az\n0,-1000\n1,-1500\n", "fail": "t,az\n0,-1000\n"}
    for name, text in scenarios.items():
        (folder / "scenarios" / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


MakeActivity = Callable[..., Path]


@pytest.fixture
def make_activity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MakeActivity:
    """``make_activity(slug="test-thing", toml=..., script=..., scenarios=...)`` writes an
    activity under ``<tmp>/activities`` (valid unless told otherwise); the cwd is ``<tmp>`` so
    messages name ``activities/<slug>/...``."""
    monkeypatch.chdir(tmp_path)

    def make(slug: str = "test-thing", **parts: Any) -> Path:
        return write_activity(tmp_path / "activities" / slug, **parts)

    return make


@pytest.fixture
def minimal_toml() -> str:
    """A valid activity.toml using every kind of check."""
    return MINIMAL_TOML


@pytest.fixture
def minimal_script() -> str:
    """A main.py reporting everything MINIMAL_TOML declares."""
    return MINIMAL_SCRIPT


@pytest.fixture
def copy_activity(tmp_path: Path) -> Callable[[str], Path]:
    """Copy a bundled activity into tmp_path to break it on purpose."""
    from wearkit import paths

    def copy(slug: str) -> Path:
        target = tmp_path / "copies" / slug
        shutil.copytree(paths.activities_dir() / slug, target)
        return target

    return copy
