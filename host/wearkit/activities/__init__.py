"""Activities: the catalogue, its validation, and checking a run's tasks from its frames.

An activity is a folder ``activities/<slug>/`` holding ``activity.toml`` (what it is, what it
needs, its badge and tasks), ``main.py`` (the script pushed to the board, written against
``kit``), ``README.md`` (the student's instructions) and ``scenarios/*.csv`` (sensor traces for
virtual boards). ``activities/README.md`` documents the format for authors.

Everything here is pure: it reads files and nothing else. ``TaskTracker`` turns a run's frames
into a task checklist without knowing where the frames came from.
"""

from __future__ import annotations

from wearkit.activities.catalogue import load_catalogue
from wearkit.activities.criteria import (
    CRITERIA,
    AtLeast,
    AtMost,
    Change,
    Criterion,
    EventCount,
    FacilitatorSignOff,
)
from wearkit.activities.lint import SCRIPT_IMPORTS, KitApi, kit_api
from wearkit.activities.loader import load_activity
from wearkit.activities.model import (
    LEVELS,
    THEMES,
    Activity,
    Badge,
    Check,
    EventSpec,
    Metric,
    Task,
    TaskState,
    require_support,
    targets,
)
from wearkit.activities.scenarios import COLUMNS as SCENARIO_COLUMNS
from wearkit.activities.scenarios import scenario_problems, validate_scenario
from wearkit.activities.tracker import TaskStatus, TaskTracker, TaskUpdate

__all__ = [
    "CRITERIA", "LEVELS", "SCENARIO_COLUMNS", "SCRIPT_IMPORTS", "THEMES", "Activity", "AtLeast",
    "AtMost", "Badge", "Change", "Check", "Criterion", "EventCount", "EventSpec",
    "FacilitatorSignOff", "KitApi", "Metric", "Task", "TaskState", "TaskStatus", "TaskTracker",
    "TaskUpdate", "kit_api", "load_activity", "load_catalogue", "require_support",
    "scenario_problems", "targets", "validate_scenario",
]  # fmt: skip
