"""What an activity is, once loaded and validated: plain frozen data."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from wearkit.activities.criteria import Criterion
from wearkit.boards import BoardProfile
from wearkit.errors import ActivityError

LEVELS = ("beginner", "intermediate", "advanced")
THEMES = frozenset({"coding", "games-design", "cyber-security", "wearable-tech"})

TaskState = Literal["pending", "done", "failed"]
#: Any kind of check (see :data:`wearkit.activities.criteria.CRITERIA`).
Check = Criterion


@dataclass(frozen=True)
class Alignment:
    """The skill framework entry a badge stands for (an Open Badges alignment)."""

    framework: str
    code: str
    name: str
    url: str


@dataclass(frozen=True)
class Badge:
    """The badge a student earns when every task of the activity is done."""

    name: str
    description: str
    criteria: str
    image: Path | None = None
    tags: tuple[str, ...] = ()
    designer: str | None = None  # the employer or partner that designed the badge
    designer_url: str | None = None
    alignment: Alignment | None = None


@dataclass(frozen=True)
class Metric:
    """A named value the script sends with ``kit.report(name, value)``."""

    name: str
    unit: str
    description: str


@dataclass(frozen=True)
class EventSpec:
    """A named moment the script signals with ``kit.event(name)``."""

    name: str
    description: str


@dataclass(frozen=True)
class Task:
    """One line of the student's checklist and the one check that ticks it."""

    id: str
    title: str
    check: Criterion
    within: float | None = None  # seconds of board clock (see criteria: never from the start)

    @property
    def by_facilitator(self) -> bool:
        """Whether a person, not the board, completes this task."""
        return self.check.by_facilitator


@dataclass(frozen=True, eq=False)
class Activity:
    """One validated activity folder."""

    slug: str
    title: str
    summary: str
    level: str
    minutes: int
    themes: tuple[str, ...]
    requires: tuple[str, ...]
    optional: tuple[str, ...]
    time_limit: float
    badge: Badge
    metrics: Mapping[str, Metric]
    events: Mapping[str, EventSpec]
    tasks: tuple[Task, ...]
    path: Path
    script: Path
    readme: Path
    scenarios: Mapping[str, Path] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def supported_by(self, capabilities: Iterable[str]) -> bool:
        """Whether a board with ``capabilities`` can run this activity."""
        return not self.missing_capabilities(capabilities)

    def missing_capabilities(self, capabilities: Iterable[str]) -> tuple[str, ...]:
        """The required capabilities that a board with ``capabilities`` lacks."""
        have = set(capabilities)
        return tuple(cap for cap in self.requires if cap not in have)

    def task(self, task_id: str) -> Task:
        """The task called ``task_id``."""
        for task in self.tasks:
            if task.id == task_id:
                return task
        known = ", ".join(t.id for t in self.tasks)
        raise ActivityError(f"{self.slug}: no task {task_id!r} (tasks: {known})")

    @functools.cached_property  # read for every frame of every run
    def board_tasks(self) -> tuple[Task, ...]:
        """The tasks the board's frames complete (every task but facilitator sign-offs)."""
        return tuple(t for t in self.tasks if not t.by_facilitator)

    def scenario_expectation(self, name: str) -> bool | None:
        """Whether scenario ``name`` should complete every board task (True), leave at least
        one undone (False), or is a demo with no expectation (None): by its name's prefix."""
        if name.startswith("pass"):
            return True
        if name.startswith("fail"):
            return False
        return None


def targets(activity: Activity, profiles: Iterable[BoardProfile]) -> list[BoardProfile]:
    """The board profiles that can run ``activity``, in the order given."""
    return [p for p in profiles if activity.supported_by(p.capabilities)]


def require_support(
    activity: Activity, profile: BoardProfile, profiles: Iterable[BoardProfile]
) -> None:
    """Raise ActivityError if ``profile`` lacks what ``activity`` needs, naming the boards
    (among ``profiles``) that can run it instead."""
    missing = activity.missing_capabilities(profile.capabilities)
    if missing:
        fitting = ", ".join(sorted(p.id for p in targets(activity, profiles))) or "no board"
        raise ActivityError(
            f"{activity.slug} needs {', '.join(missing)}, which a {profile.name} does not have; "
            f"it runs on {fitting}"
        )
