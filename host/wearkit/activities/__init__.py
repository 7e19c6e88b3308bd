"""Activities: the catalogue, its validation, and checking a run's tasks from its frames.

An activity is a folder ``activities/<slug>/`` holding ``activity.toml`` (what it is, what it
needs, its badge and tasks), ``main.py`` (the script pushed to the board, written against
``kit``), ``README.md`` (the student's instructions) and ``scenarios/*.csv`` (sensor traces for
virtual boards). ``activities/README.md`` documents the format for authors.

Everything here is pure: it reads files and nothing else. ``TaskTracker`` turns a run's frames
into a task checklist without knowing where the frames came from.
"""

from __future__ import annotations

import ast
import difflib
import math
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from wearkit import paths
from wearkit.activities.scenarios import COLUMNS, scenario_problems
from wearkit.activities.scenarios import validate_scenario as validate_scenario
from wearkit.boards import CAPABILITIES, BoardProfile
from wearkit.errors import ActivityError
from wearkit.frames import FrameLike

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

LEVELS = ("beginner", "intermediate", "advanced")
THEMES = frozenset({"coding", "games-design", "cyber-security", "wearable-tech"})
#: The columns a scenario CSV may have.
SCENARIO_COLUMNS = COLUMNS
SCRIPT_IMPORTS = frozenset({"kit", "math", "random"})

# The kit API on every board, and the capability each sensor or output function needs.
KIT_FUNCTIONS = frozenset(
    {
        "accel", "light", "temp", "sound", "button", "touch", "pixels", "show",
        "sleep", "ms", "has", "report", "event", "sample", "done", "MissingCapability",
        "send", "receive",
    }
)  # fmt: skip
KIT_CAPABILITY_OF = {
    "accel": "accel",
    "light": "light",
    "temp": "temp",
    "sound": "sound",
    "button": "buttons",
    "touch": "touch",
    "pixels": "pixels",
    "show": "display",
    "send": "radio",
    "receive": "radio",
}

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_TASK_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

_TOP_KEYS = (
    "title", "summary", "level", "minutes", "themes", "requires", "optional", "time_limit",
    "badge", "metrics", "events", "tasks",
)  # fmt: skip
_BADGE_KEYS = ("name", "description", "criteria", "image")
_METRIC_KEYS = ("unit", "description")
_EVENT_KEYS = ("description",)
_TASK_KEYS = (
    "id", "title", "metric", "at_least", "at_most", "change", "event", "count", "within",
    "facilitator", "hint",
)  # fmt: skip
_CHECK_KEYS = ("at_least", "at_most", "change", "event", "facilitator")

TaskState = Literal["pending", "done", "failed"]


# --------------------------------------------------------------------------------------------
# The model


@dataclass(frozen=True)
class Badge:
    """The badge a student earns when every task of the activity is done."""

    name: str
    description: str
    criteria: str
    image: Path | None = None


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
class AtLeast:
    """Done when a report of ``metric`` reaches ``value`` or more."""

    metric: str
    value: float


@dataclass(frozen=True)
class AtMost:
    """Done when a report of ``metric`` is ``value`` or less."""

    metric: str
    value: float


@dataclass(frozen=True)
class Change:
    """Done when ``metric`` moves from its first report by ``fraction`` (0.2 up, -0.5 down)."""

    metric: str
    fraction: float


@dataclass(frozen=True)
class EventCount:
    """Done when ``event`` has happened ``count`` times."""

    event: str
    count: int = 1


@dataclass(frozen=True)
class FacilitatorSignOff:
    """Done when a facilitator signs it off; ``hint`` tells them what to look for."""

    hint: str


Check = AtLeast | AtMost | Change | EventCount | FacilitatorSignOff


@dataclass(frozen=True)
class Task:
    """One line of the student's checklist and the one check that ticks it."""

    id: str
    title: str
    check: Check
    within: float | None = None  # seconds of board clock from the run's first frame

    @property
    def by_facilitator(self) -> bool:
        """Whether a person, not the board, completes this task."""
        return isinstance(self.check, FacilitatorSignOff)


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

    @property
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


# --------------------------------------------------------------------------------------------
# Loading and validation


class _Problems:
    """Every problem found in one activity, so an author fixes them all in one go."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self.warnings: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}")

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(f"{where}: {message}")


def _unknown_keys(
    problems: _Problems, where: str, data: Mapping[str, Any], known: Sequence[str], what: str
) -> None:
    for key in data:
        if key in known:
            continue
        close = difflib.get_close_matches(key, known, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(known)}"
        problems.add(where, f"unknown {what} '{key}' ({hint})")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


class _Reader:
    """Typed access to one TOML table, recording a problem for each wrong or missing field."""

    def __init__(self, problems: _Problems, where: str, prefix: str = "") -> None:
        self.problems = problems
        self.where = where
        self.prefix = prefix

    def bad(self, key: str, message: str) -> None:
        self.problems.add(self.where, f"field '{self.prefix}{key}': {message}")

    def text(self, data: Mapping[str, Any], key: str, required: bool = True) -> str | None:
        if key not in data:
            if required:
                self.bad(key, f'missing; add `{key} = "..."`')
            return None
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            self.bad(key, f"expected a non-empty string, got {value!r}")
            return None
        return value.strip()

    def number(
        self, data: Mapping[str, Any], key: str, *, integer: bool = False, positive: bool = True
    ) -> float | None:
        if key not in data:
            self.bad(key, f"missing; add `{key} = ...`")
            return None
        value = data[key]
        kind = "an integer" if integer else "a number"
        if not _is_number(value) or (integer and not isinstance(value, int)):
            self.bad(key, f"expected {kind}, got {value!r}")
            return None
        if positive and value <= 0:
            self.bad(key, f"expected {kind} above 0, got {value!r}")
            return None
        return float(value)

    def names(
        self, data: Mapping[str, Any], key: str, allowed: Iterable[str], required: bool = True
    ) -> tuple[str, ...]:
        known = sorted(allowed)
        if key not in data:
            if required:
                self.bad(key, f"missing; add `{key} = [...]` (one or more of {', '.join(known)})")
            return ()
        value = data[key]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.bad(key, f"expected a list of strings, got {value!r}")
            return ()
        good: list[str] = []
        for item in value:
            if item not in known:
                self.bad(key, f"unknown value {item!r} (known: {', '.join(known)})")
            elif item in good:
                self.bad(key, f"{item!r} is listed twice")
            else:
                good.append(item)
        return tuple(good)


@dataclass
class _ScriptFacts:
    """What a cheap look at main.py's syntax tree tells about it."""

    reports: set[str] = field(default_factory=set)
    events: set[str] = field(default_factory=set)
    dynamic_reports: bool = False
    dynamic_events: bool = False
    capabilities_used: set[str] = field(default_factory=set)
    capabilities_checked: set[str] = field(default_factory=set)
    calls_done: bool = False
    time_limit: float | None = None


def _literal_name(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def _scan_script(problems: _Problems, script: Path) -> _ScriptFacts | None:
    """Check main.py runs on every board (micro:bit v1 included) and learn what it reports."""
    where = paths.shown(script)
    try:
        source = script.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(where, f"cannot read: {exc}")
        return None
    try:
        tree = ast.parse(source, filename=where)
    except SyntaxError as exc:
        problems.add(f"{where}:{exc.lineno}", f"syntax error: {exc.msg}")
        return None
    facts = _ScriptFacts()
    for node in ast.walk(tree):
        line = f"{where}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import | ast.ImportFrom):
            if isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                modules = [alias.name for alias in node.names]
            for module in modules:
                if module.split(".")[0] not in SCRIPT_IMPORTS:
                    problems.add(
                        line,
                        f"imports '{module}'; activity scripts may import only "
                        f"{', '.join(sorted(SCRIPT_IMPORTS))}",
                    )
            if isinstance(node, ast.ImportFrom) and node.module == "kit":
                problems.add(
                    line, "use `import kit` and call kit.report(...), so what it reports is known"
                )
        elif isinstance(node, ast.JoinedStr):
            problems.add(line, "f-strings do not run on micro:bit v1; join with + and str()")
        elif isinstance(node, ast.AnnAssign) or (
            isinstance(node, ast.arg) and node.annotation is not None
        ):
            problems.add(line, "type annotations do not run on micro:bit v1; remove them")
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns:
            problems.add(line, "type annotations do not run on micro:bit v1; remove them")
        elif isinstance(node, ast.Call):
            _scan_kit_call(problems, line, node, facts)
    for stmt in tree.body:
        if (
            isinstance(stmt, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "TIME_LIMIT" for t in stmt.targets)
            and isinstance(stmt.value, ast.Constant)
            and isinstance(stmt.value.value, int | float)
            and not isinstance(stmt.value.value, bool)
        ):
            facts.time_limit = float(stmt.value.value)
    return facts


def _scan_kit_call(problems: _Problems, line: str, node: ast.Call, facts: _ScriptFacts) -> None:
    func = node.func
    if not (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "kit"
    ):
        return
    name = func.attr
    if name not in KIT_FUNCTIONS:
        close = difflib.get_close_matches(name, sorted(KIT_FUNCTIONS), n=1)
        hint = f" (did you mean kit.{close[0]}?)" if close else ""
        problems.add(line, f"kit has no function '{name}'{hint}")
        return
    if name in KIT_CAPABILITY_OF:
        facts.capabilities_used.add(KIT_CAPABILITY_OF[name])
    literal = _literal_name(node)
    if name == "report":
        if literal is None:
            facts.dynamic_reports = True
        else:
            facts.reports.add(literal)
    elif name == "event":
        if literal is None:
            facts.dynamic_events = True
        else:
            facts.events.add(literal)
    elif name == "has" and literal is not None:
        if literal not in CAPABILITIES:
            problems.add(
                line,
                f"kit.has({literal!r}): unknown capability "
                f"(known: {', '.join(sorted(CAPABILITIES))})",
            )
        facts.capabilities_checked.add(literal)
    elif name == "done":
        facts.calls_done = True


def _parse_named_tables(
    problems: _Problems,
    where: str,
    data: Mapping[str, Any],
    key: str,
    known: Sequence[str],
) -> dict[str, Mapping[str, Any]]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        problems.add(where, f"field '{key}': expected tables like [{key}.name], got {value!r}")
        return {}
    tables: dict[str, Mapping[str, Any]] = {}
    for name, table in value.items():
        if not _NAME.match(name):
            problems.add(
                where,
                f"field '{key}.{name}': names are lower_case letters, digits and _ "
                "(they are used in kit calls)",
            )
            continue
        if not isinstance(table, dict):
            problems.add(where, f"field '{key}.{name}': expected a table, got {table!r}")
            continue
        _unknown_keys(problems, where, table, known, f"field in [{key}.{name}]")
        tables[name] = table
    return tables


def _parse_task(
    problems: _Problems,
    where: str,
    index: int,
    data: Any,
    metrics: Mapping[str, Metric],
    events: Mapping[str, EventSpec],
    time_limit: float | None,
) -> Task | None:
    if not isinstance(data, dict):
        problems.add(where, f"task #{index + 1}: expected a [[tasks]] table, got {data!r}")
        return None
    task_id = data.get("id")
    if isinstance(task_id, str) and _TASK_ID.match(task_id):
        label = f"task '{task_id}'"
    else:
        label = f"task #{index + 1}"
        problems.add(
            where,
            f"{label}: field 'id': expected a short name like \"steps\" "
            f"(lower case, digits, - and _), got {task_id!r}",
        )
    here = f"{where}: {label}"
    count_before = len(problems.items)
    _unknown_keys(problems, here, data, _TASK_KEYS, "field")
    reader = _Reader(problems, here)
    title = reader.text(data, "title")
    checks = [key for key in _CHECK_KEYS if key in data]
    if not checks:
        problems.add(
            here,
            "no check; give one of `metric` with at_least, at_most or change, "
            "`event` (with optional count), or `facilitator = true` with a hint",
        )
        return None
    if len(checks) > 1:
        problems.add(
            here, f"more than one check ({', '.join(checks)}); split it into one task per check"
        )
        return None
    kind = checks[0]
    if "metric" in data and kind not in ("at_least", "at_most", "change"):
        problems.add(here, f"'metric' goes with at_least, at_most or change, not {kind}")
    if "count" in data and kind != "event":
        problems.add(here, "'count' goes with event only")
    if "hint" in data and kind != "facilitator":
        problems.add(here, "'hint' goes with facilitator = true only")
    within: float | None = None
    if "within" in data:
        if kind == "facilitator":
            problems.add(here, "'within' cannot apply to a facilitator sign-off")
        else:
            within = reader.number(data, "within")
            if within is not None and time_limit is not None and within > time_limit:
                reader.bad(
                    "within",
                    f"{_fmt(within)} s is longer than the activity's time_limit "
                    f"({_fmt(time_limit)} s)",
                )
    check: Check | None = None
    if kind in ("at_least", "at_most", "change"):
        metric = data.get("metric")
        if not isinstance(metric, str):
            problems.add(here, f"'{kind}' needs `metric = \"...\"` naming a declared metric")
        elif metric not in metrics:
            declared = ", ".join(metrics) or "none"
            problems.add(here, f"unknown metric '{metric}' (declared metrics: {declared})")
        target = reader.number(data, kind, positive=False)
        if isinstance(metric, str) and target is not None:
            if kind == "at_least":
                check = AtLeast(metric, target)
            elif kind == "at_most":
                check = AtMost(metric, target)
            elif target == 0:
                reader.bad("change", "0 never changes anything; use e.g. 0.2 (up 20%) or -0.5")
            else:
                check = Change(metric, target)
    elif kind == "event":
        event = data["event"]
        count = 1
        if "count" in data:
            got = reader.number(data, "count", integer=True)
            count = int(got) if got is not None else 1
        if not isinstance(event, str):
            reader.bad("event", f"expected the name of a declared event, got {event!r}")
        elif event not in events:
            declared = ", ".join(events) or "none"
            problems.add(here, f"unknown event '{event}' (declared events: {declared})")
        else:
            check = EventCount(event, count)
    else:
        if data["facilitator"] is not True:
            reader.bad("facilitator", f"expected true, got {data['facilitator']!r}")
        hint = data.get("hint")
        if not isinstance(hint, str) or not hint.strip():
            problems.add(here, 'a facilitator task needs `hint = "..."`: what to look for')
        elif data["facilitator"] is True:
            check = FacilitatorSignOff(hint.strip())
    if check is None or title is None or len(problems.items) > count_before:
        return None
    return Task(str(task_id), title, check, within)


def load_activity(path: Path | str) -> Activity:
    """Load and validate the activity folder ``path``; raise ActivityError listing every
    problem found."""
    folder = Path(path)
    where_folder = paths.shown(folder)
    problems = _Problems()
    slug = folder.name
    if not _SLUG.match(slug):
        problems.add(
            where_folder, "folder name must be a slug like 'step-counter' (a-z, 0-9 and -)"
        )
    config = folder / "activity.toml"
    script = folder / "main.py"
    readme = folder / "README.md"
    for required in (config, script, readme):
        if not required.is_file():
            problems.add(where_folder, f"missing {required.name}")
    if not config.is_file():
        raise ActivityError("\n".join(problems.items))
    where = paths.shown(config)
    try:
        data = tomllib.loads(config.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        problems.add(where, f"not valid TOML: {exc}")
        raise ActivityError("\n".join(problems.items)) from None
    except (OSError, UnicodeDecodeError) as exc:
        problems.add(where, f"cannot read: {exc}")
        raise ActivityError("\n".join(problems.items)) from None

    _unknown_keys(problems, where, data, _TOP_KEYS, "field")
    reader = _Reader(problems, where)
    title = reader.text(data, "title")
    summary = reader.text(data, "summary")
    level = data.get("level")
    if level not in LEVELS:
        reader.bad("level", f"expected one of {', '.join(LEVELS)}, got {level!r}")
    minutes = reader.number(data, "minutes", integer=True)
    themes = reader.names(data, "themes", THEMES)
    if "themes" in data and not themes and isinstance(data["themes"], list):
        reader.bad("themes", f"list at least one of {', '.join(sorted(THEMES))}")
    requires = reader.names(data, "requires", CAPABILITIES)
    optional = reader.names(data, "optional", CAPABILITIES, required=False)
    for cap in set(requires) & set(optional):
        reader.bad("optional", f"{cap!r} is already in requires")
    time_limit = reader.number(data, "time_limit")
    if time_limit is not None and minutes is not None and time_limit > minutes * 60:
        reader.bad(
            "time_limit",
            f"{_fmt(time_limit)} s of board time is longer than the activity's "
            f"{_fmt(minutes)} minutes",
        )

    badge: Badge | None = None
    badge_data = data.get("badge")
    if not isinstance(badge_data, dict):
        reader.bad("badge", "missing; add a [badge] table with name, description and criteria")
    else:
        _unknown_keys(problems, where, badge_data, _BADGE_KEYS, "field in [badge]")
        badge_reader = _Reader(problems, where, "badge.")
        name = badge_reader.text(badge_data, "name")
        description = badge_reader.text(badge_data, "description")
        criteria = badge_reader.text(badge_data, "criteria")
        image_name = badge_reader.text(badge_data, "image", required=False)
        image = folder / image_name if image_name else None
        if image is not None and not image.is_file():
            badge_reader.bad("image", f"no file {paths.shown(image)}")
        if name and description and criteria:
            badge = Badge(name, description, criteria, image)

    metrics: dict[str, Metric] = {}
    for name, table in _parse_named_tables(problems, where, data, "metrics", _METRIC_KEYS).items():
        metric_reader = _Reader(problems, where, f"metrics.{name}.")
        unit = table.get("unit", "")
        if not isinstance(unit, str):
            metric_reader.bad("unit", f'expected a string such as "steps", got {unit!r}')
            unit = ""
        description = metric_reader.text(table, "description")
        metrics[name] = Metric(name, unit, description or "")
    events: dict[str, EventSpec] = {}
    for name, table in _parse_named_tables(problems, where, data, "events", _EVENT_KEYS).items():
        description = _Reader(problems, where, f"events.{name}.").text(table, "description")
        events[name] = EventSpec(name, description or "")

    tasks: list[Task] = []
    raw_tasks = data.get("tasks")
    if not isinstance(raw_tasks, list) or not raw_tasks:
        reader.bad("tasks", "missing; add one or more [[tasks]] tables")
        raw_tasks = []
    seen: set[str] = set()
    for index, raw in enumerate(raw_tasks):
        task = _parse_task(problems, where, index, raw, metrics, events, time_limit)
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        if isinstance(raw_id, str):
            if raw_id in seen:
                problems.add(where, f"task '{raw_id}': duplicate task id")
            seen.add(raw_id)
        if task is not None:
            tasks.append(task)

    if script.is_file():
        facts = _scan_script(problems, script)
        if facts is not None:
            _check_script_against_config(
                problems, where, paths.shown(script), facts, metrics, events, tasks,
                requires, optional, time_limit,
            )  # fmt: skip

    scenarios: dict[str, Path] = {}
    scenario_dir = folder / "scenarios"
    if scenario_dir.is_dir():
        for csv_path in sorted(scenario_dir.glob("*.csv")):
            problems.items.extend(scenario_problems(csv_path))
            scenarios[csv_path.stem] = csv_path
    if any(not t.by_facilitator for t in tasks):
        for needed in ("pass", "fail"):
            if needed not in scenarios:
                problems.add(
                    where_folder,
                    f"missing scenarios/{needed}.csv (a sensor trace that "
                    f"{'completes every' if needed == 'pass' else 'leaves undone a'} board task)",
                )

    if problems.items:
        raise ActivityError("\n".join(problems.items))
    assert title and summary and minutes and time_limit and badge and isinstance(level, str)
    return Activity(
        slug=slug,
        title=title,
        summary=summary,
        level=level,
        minutes=int(minutes),
        themes=themes,
        requires=requires,
        optional=optional,
        time_limit=time_limit,
        badge=badge,
        metrics=metrics,
        events=events,
        tasks=tuple(tasks),
        path=folder,
        script=script,
        readme=readme,
        scenarios=scenarios,
        warnings=tuple(problems.warnings),
    )


def _check_script_against_config(
    problems: _Problems,
    where: str,
    script_where: str,
    facts: _ScriptFacts,
    metrics: Mapping[str, Metric],
    events: Mapping[str, EventSpec],
    tasks: Sequence[Task],
    requires: Sequence[str],
    optional: Sequence[str],
    time_limit: float | None,
) -> None:
    """What activity.toml promises against what main.py does."""
    for task in tasks:
        check = task.check
        if isinstance(check, AtLeast | AtMost | Change) and not facts.dynamic_reports:
            if check.metric not in facts.reports:
                reported = ", ".join(sorted(facts.reports)) or "nothing"
                problems.add(
                    where,
                    f"task '{task.id}': metric '{check.metric}' is never reported by main.py "
                    f"(it reports: {reported})",
                )
        if isinstance(check, EventCount) and not facts.dynamic_events:
            if check.event not in facts.events:
                sent = ", ".join(sorted(facts.events)) or "nothing"
                problems.add(
                    where,
                    f"task '{task.id}': event '{check.event}' is never sent by main.py "
                    f"(it sends: {sent})",
                )
    if not facts.dynamic_reports:
        for name in metrics:
            if name not in facts.reports:
                problems.warn(where, f"metric '{name}' is declared but main.py never reports it")
    if not facts.dynamic_events:
        for name in events:
            if name not in facts.events:
                problems.warn(where, f"event '{name}' is declared but main.py never sends it")
    for name in sorted(facts.reports - set(metrics)):
        problems.warn(where, f"main.py reports '{name}', which [metrics] does not declare")
    for name in sorted(facts.events - set(events)):
        problems.warn(where, f"main.py sends event '{name}', which [events] does not declare")
    for cap in sorted(facts.capabilities_used - set(requires) - set(optional)):
        problems.add(
            where,
            f"field 'requires': main.py uses '{cap}' but neither requires nor optional lists it",
        )
    for cap in optional:
        if cap not in facts.capabilities_checked:
            problems.add(
                script_where,
                f"'{cap}' is optional, so guard its use with `if kit.has(\"{cap}\"):`",
            )
    for cap in requires:
        if cap not in facts.capabilities_used:
            problems.warn(where, f"requires '{cap}' but main.py never uses it")
    if not facts.calls_done:
        problems.add(script_where, "never calls kit.done(); the host could not tell it finished")
    if facts.time_limit is not None and time_limit is not None and facts.time_limit != time_limit:
        problems.add(
            script_where,
            f"TIME_LIMIT = {_fmt(facts.time_limit)} but activity.toml says "
            f"time_limit = {_fmt(time_limit)}",
        )


def load_catalogue(root: Path | str | None = None) -> list[Activity]:
    """Every activity under ``root`` (the bundled catalogue by default), beginner first.

    Folders whose names start with ``.`` or ``_`` are skipped. Raises one ActivityError
    listing the problems of every invalid activity."""
    folder = Path(root) if root is not None else paths.activities_dir()
    if not folder.is_dir():
        raise ActivityError(f"{paths.shown(folder)}: no such activities folder")
    activities: list[Activity] = []
    problems: list[str] = []
    for child in sorted(folder.iterdir()):
        if not child.is_dir() or child.name.startswith((".", "_")):
            continue
        try:
            activities.append(load_activity(child))
        except ActivityError as exc:
            problems.append(str(exc))
    if problems:
        raise ActivityError("\n".join(problems))
    return sorted(activities, key=lambda a: (LEVELS.index(a.level), a.slug))


# --------------------------------------------------------------------------------------------
# Checking a run's tasks from its frames


@dataclass(frozen=True)
class TaskUpdate:
    """A task that just became done or failed.

    ``t_ms`` is the board clock of the frame that decided it (for a sign-off, of the last
    frame seen, or None before any), ``elapsed_ms`` the same since the run's first frame."""

    task: Task
    state: TaskState
    t_ms: int | None
    elapsed_ms: int | None
    detail: str
    by: str | None = None


@dataclass(frozen=True)
class TaskStatus:
    """One line of the live checklist."""

    task: Task
    state: TaskState
    detail: str


@dataclass
class _Progress:
    state: TaskState = "pending"
    first: float | None = None
    highest: float | None = None
    lowest: float | None = None
    count: int = 0
    elapsed_ms: int | None = None
    by: str | None = None
    failed_because: str = ""


def _met(check: Check, progress: _Progress) -> bool:
    if isinstance(check, AtLeast):
        return progress.highest is not None and progress.highest >= check.value
    if isinstance(check, AtMost):
        return progress.lowest is not None and progress.lowest <= check.value
    if isinstance(check, Change):
        moved = _moved(check, progress)
        return moved is not None and (
            moved >= check.fraction if check.fraction > 0 else moved <= check.fraction
        )
    if isinstance(check, EventCount):
        return progress.count >= check.count
    return progress.by is not None


def _moved(check: Change, progress: _Progress) -> float | None:
    """The furthest fractional move from the first report in the check's direction."""
    if progress.first is None or progress.highest is None or progress.lowest is None:
        return None
    furthest = progress.highest if check.fraction > 0 else progress.lowest
    delta = furthest - progress.first
    if progress.first == 0:
        # No scale to measure a fraction against: any move the right way counts.
        return 0.0 if delta == 0 else math.copysign(math.inf, delta)
    return delta / abs(progress.first)


class TaskTracker:
    """Ticks an activity's tasks from one run's frames (sans-IO).

    Feed it every frame of the run in order; it ignores what it does not understand. Times are
    the board's clock: a task's ``within`` window starts at the run's first frame. A task once
    done stays done. A ``done`` frame ends the run, failing every board task not done yet;
    facilitator tasks can still be signed off afterwards."""

    def __init__(self, activity: Activity) -> None:
        self.activity = activity
        self._progress = {task.id: _Progress() for task in activity.tasks}
        self.started_ms: int | None = None
        self.last_ms: int | None = None
        self.finished = False

    def feed(self, frame: FrameLike) -> list[TaskUpdate]:
        """Take one frame; return the tasks it newly completed or failed."""
        if self.finished or frame.kind not in ("hello", "report", "event", "sample", "done"):
            return []
        if not isinstance(frame.t_ms, int) or isinstance(frame.t_ms, bool):
            return []
        if self.started_ms is None:
            self.started_ms = frame.t_ms
        self.last_ms = frame.t_ms
        elapsed = frame.t_ms - self.started_ms
        updates = self._expire(elapsed)
        if frame.kind == "done":
            return updates + self.finish()
        for task in self.activity.board_tasks:
            progress = self._progress[task.id]
            if progress.state != "pending" or not self._observe(task.check, progress, frame):
                continue
            if _met(task.check, progress):
                progress.state = "done"
                progress.elapsed_ms = elapsed
                updates.append(self._update(task, frame.t_ms))
        return updates

    @staticmethod
    def _observe(check: Check, progress: _Progress, frame: FrameLike) -> bool:
        if isinstance(check, EventCount):
            if frame.kind == "event" and frame.name == check.event:
                progress.count += 1
                return True
            return False
        if isinstance(check, FacilitatorSignOff):
            return False
        if frame.kind != "report" or frame.name != check.metric or not _is_number(frame.value):
            return False
        value = float(frame.value)
        if math.isnan(value):
            return False
        if progress.first is None:
            progress.first = value
        progress.highest = value if progress.highest is None else max(progress.highest, value)
        progress.lowest = value if progress.lowest is None else min(progress.lowest, value)
        return True

    def _expire(self, elapsed: int) -> list[TaskUpdate]:
        updates: list[TaskUpdate] = []
        for task in self.activity.board_tasks:
            progress = self._progress[task.id]
            if (
                progress.state == "pending"
                and task.within is not None
                and elapsed > task.within * 1000
            ):
                progress.state = "failed"
                progress.failed_because = f"not done within {_fmt(task.within)} s"
                updates.append(self._update(task, self.last_ms))
        return updates

    def sign_off(self, task_id: str, by: str) -> TaskUpdate | None:
        """A facilitator signs off task ``task_id``; None if it was already done."""
        task = self.activity.task(task_id)
        if not task.by_facilitator:
            raise ActivityError(
                f"{self.activity.slug}: task '{task_id}' is checked by the board, "
                "not signed off by a facilitator"
            )
        if not by.strip():
            raise ActivityError(f"{self.activity.slug}: task '{task_id}': say who signs it off")
        progress = self._progress[task.id]
        if progress.state == "done":
            return None
        progress.state = "done"
        progress.by = by.strip()
        if self.started_ms is not None and self.last_ms is not None:
            progress.elapsed_ms = self.last_ms - self.started_ms
        return self._update(task, self.last_ms)

    def finish(self) -> list[TaskUpdate]:
        """End the run (the script finished, stopped, or its board was lost): every board task
        not done yet fails. Later frames are ignored. Returns the newly failed tasks."""
        updates: list[TaskUpdate] = []
        if self.finished:
            return updates
        self.finished = True
        for task in self.activity.board_tasks:
            progress = self._progress[task.id]
            if progress.state == "pending":
                progress.state = "failed"
                progress.failed_because = "the run ended"
                updates.append(self._update(task, self.last_ms))
        return updates

    def status(self) -> list[TaskStatus]:
        """The checklist: every task in the activity's order, its state and progress."""
        return [
            TaskStatus(task, self._progress[task.id].state, self._detail(task))
            for task in self.activity.tasks
        ]

    def state(self, task_id: str) -> TaskState:
        """The state of task ``task_id``."""
        return self._progress[self.activity.task(task_id).id].state

    @property
    def complete(self) -> bool:
        """Whether every task is done: the badge is earned."""
        return all(p.state == "done" for p in self._progress.values())

    @property
    def board_tasks_complete(self) -> bool:
        """Whether every task the board can check is done (sign-offs aside)."""
        return all(self._progress[t.id].state == "done" for t in self.activity.board_tasks)

    def _update(self, task: Task, t_ms: int | None) -> TaskUpdate:
        progress = self._progress[task.id]
        elapsed = None
        if t_ms is not None and self.started_ms is not None:
            elapsed = t_ms - self.started_ms
        return TaskUpdate(task, progress.state, t_ms, elapsed, self._detail(task), progress.by)

    def _detail(self, task: Task) -> str:
        progress = self._progress[task.id]
        text = self._progress_text(task.check, progress)
        if progress.state == "done" and progress.elapsed_ms is not None and progress.by is None:
            text += f" (at {progress.elapsed_ms / 1000:.1f} s)"
        elif progress.state == "failed":
            text = f"{progress.failed_because}: {text}"
        return text

    def _progress_text(self, check: Check, progress: _Progress) -> str:
        if isinstance(check, FacilitatorSignOff):
            if progress.by is not None:
                return f"signed off by {progress.by}"
            return "waiting for a facilitator to sign it off"
        if isinstance(check, EventCount):
            name = check.event.replace("_", " ")
            if check.count == 1:
                return f"{name}: {'yes' if progress.count else 'not yet'}"
            return f"{name}: {min(progress.count, check.count)} of {check.count}"
        metric = self.activity.metrics.get(check.metric)
        unit = f" {metric.unit}" if metric and metric.unit and metric.unit != check.metric else ""
        name = check.metric.replace("_", " ")
        if isinstance(check, AtLeast):
            best = "-" if progress.highest is None else _fmt(round(progress.highest, 2))
            return f"{name} {best} of {_fmt(check.value)}{unit}"
        if isinstance(check, AtMost):
            best = "-" if progress.lowest is None else _fmt(round(progress.lowest, 2)) + unit
            return f"{name} {best}, needs {_fmt(check.value)}{unit} or less"
        direction = "up" if check.fraction > 0 else "down"
        goal = f"needs {direction} {_fmt(round(abs(check.fraction) * 100, 1))}%"
        moved = _moved(check, progress)
        if moved is None:
            return f"{name} not read yet, {goal}"
        if math.isinf(moved):
            shown = "a lot" if (moved > 0) == (check.fraction > 0) else "0%"
        else:
            signed = moved if check.fraction > 0 else -moved
            shown = f"{_fmt(round(max(signed, 0.0) * 100, 1))}%"
        return f"{name} {direction} {shown}, {goal}"
