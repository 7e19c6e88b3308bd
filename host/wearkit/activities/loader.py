"""Loading one activity folder and validating all of it: activity.toml, main.py, scenarios.

Every problem found is collected, so an author fixes them all in one go; the message lists
them one a line, each naming its file (and line, row or field).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from wearkit import _toml, paths
from wearkit._toml import Problems
from wearkit.activities import lint
from wearkit.activities._fields import Fields, fmt, unknown_keys
from wearkit.activities.criteria import CRITERIA, Criterion, TaskTable
from wearkit.activities.model import (
    LEVELS,
    THEMES,
    Activity,
    Alignment,
    Badge,
    EventSpec,
    Metric,
    Task,
)
from wearkit.activities.scenarios import scenario_problems
from wearkit.boards import CAPABILITIES
from wearkit.errors import ActivityError

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_TASK_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

_TOP_KEYS = (
    "title", "summary", "level", "minutes", "themes", "requires", "optional", "time_limit",
    "badge", "metrics", "events", "tasks",
)  # fmt: skip
_BADGE_KEYS = (
    "name", "description", "criteria", "image", "tags", "designer", "designer_url", "alignment",
)  # fmt: skip
_ALIGNMENT_KEYS = ("framework", "code", "name", "url")
_URL = re.compile(r"^https?://[^\s/]+\.[^\s]+$")
_METRIC_KEYS = ("unit", "description")
_EVENT_KEYS = ("description",)
_COMPANIONS = tuple(dict.fromkeys(key for kind in CRITERIA.values() for key in kind.companions))
_TASK_KEYS = ("id", "title", *CRITERIA, *_COMPANIONS, "within")


def load_activity(path: Path | str, *, firmware: Path | None = None) -> Activity:
    """Load and validate the activity folder ``path``; raise ActivityError listing every
    problem found. Its script is checked against the kit API of ``firmware`` (default: the
    bundled firmware folder)."""
    folder = Path(path)
    where_folder = paths.shown(folder)
    problems = Problems()
    slug = folder.name
    if not _SLUG.match(slug):
        problems.add(
            where_folder, "folder name must be a slug like 'step-counter' (a-z, 0-9 and -)"
        )
    config, script, readme = folder / "activity.toml", folder / "main.py", folder / "README.md"
    for required in (config, script, readme):
        if not required.is_file():
            problems.add(where_folder, f"missing {required.name}")
    if not config.is_file():
        raise ActivityError("\n".join(problems.items))
    where = paths.shown(config)
    try:
        data = _toml.load(config, ActivityError)
    except ActivityError as exc:
        raise ActivityError("\n".join([*problems.items, str(exc)])) from None

    unknown_keys(problems, where, data, _TOP_KEYS, "field")
    fields = Fields(problems, where)
    title = fields.text(data, "title")
    summary = fields.text(data, "summary")
    level = data.get("level")
    if level not in LEVELS:
        fields.bad("level", f"expected one of {', '.join(LEVELS)}, got {level!r}")
    minutes = fields.number(data, "minutes", integer=True)
    themes = fields.names(data, "themes", THEMES)
    if "themes" in data and not themes and isinstance(data["themes"], list):
        fields.bad("themes", f"list at least one of {', '.join(sorted(THEMES))}")
    requires = fields.names(data, "requires", CAPABILITIES)
    optional = fields.names(data, "optional", CAPABILITIES, required=False)
    for cap in set(requires) & set(optional):
        fields.bad("optional", f"{cap!r} is already in requires")
    time_limit = fields.number(data, "time_limit")
    if time_limit is not None and minutes is not None and time_limit > minutes * 60:
        fields.bad(
            "time_limit",
            f"{fmt(time_limit)} s of board time is longer than the activity's "
            f"{fmt(minutes)} minutes",
        )
    badge = _parse_badge(problems, where, folder, data)
    metrics, events = _parse_declarations(problems, where, data)
    tasks = _parse_tasks(problems, where, data, metrics, events, time_limit)

    if script.is_file():
        facts = lint.scan_script(problems, script, lint.kit_api(firmware))
        if facts is not None:
            promised = lint.Promises(metrics, events, tasks, requires, optional, time_limit)
            lint.check_against_config(problems, where, paths.shown(script), facts, promised)

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

    problems.raise_any(ActivityError)
    assert title and summary and minutes and time_limit and badge and isinstance(level, str)
    return Activity(
        slug=slug, title=title, summary=summary, level=level, minutes=int(minutes),
        themes=themes, requires=requires, optional=optional, time_limit=time_limit,
        badge=badge, metrics=metrics, events=events, tasks=tuple(tasks), path=folder,
        script=script, readme=readme, scenarios=scenarios, warnings=tuple(problems.warnings),
    )  # fmt: skip


def _parse_badge(
    problems: Problems, where: str, folder: Path, data: Mapping[str, Any]
) -> Badge | None:
    badge_data = data.get("badge")
    if not isinstance(badge_data, dict):
        problems.field(
            where, "badge", "missing; add a [badge] table with name, description and criteria"
        )
        return None
    unknown_keys(problems, where, badge_data, _BADGE_KEYS, "field in [badge]")
    fields = Fields(problems, where, "badge.")
    name = fields.text(badge_data, "name")
    description = fields.text(badge_data, "description")
    criteria = fields.text(badge_data, "criteria")
    image_name = fields.text(badge_data, "image", required=False)
    image = folder / image_name if image_name else None
    if image is not None and not image.is_file():
        fields.bad("image", f"no file {paths.shown(image)}")
    tags = _badge_tags(fields, badge_data)
    designer = fields.text(badge_data, "designer", required=False)
    designer_url = _url(fields, badge_data, "designer_url")
    alignment = _parse_alignment(problems, where, badge_data)
    if name and description and criteria:
        return Badge(name, description, criteria, image, tags, designer, designer_url, alignment)
    return None


def _badge_tags(fields: Fields, badge_data: Mapping[str, Any]) -> tuple[str, ...]:
    tags = badge_data.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        fields.bad("tags", f'expected a list of words such as ["wearable-tech"], got {tags!r}')
        return ()
    if len(set(tags)) != len(tags):
        fields.bad("tags", "a tag is listed twice")
    return tuple(dict.fromkeys(t.strip() for t in tags))


def _url(fields: Fields, data: Mapping[str, Any], key: str) -> str | None:
    value = fields.text(data, key, required=False)
    if value is not None and not _URL.match(value):
        fields.bad(key, f"expected an http(s) address such as https://example.org/, got {value!r}")
        return None
    return value


def _parse_alignment(
    problems: Problems, where: str, badge_data: Mapping[str, Any]
) -> Alignment | None:
    table = badge_data.get("alignment")
    if table is None:
        return None
    if not isinstance(table, dict):
        problems.field(
            where,
            "badge.alignment",
            "expected a [badge.alignment] table with framework, code, name and url",
        )
        return None
    unknown_keys(problems, where, table, _ALIGNMENT_KEYS, "field in [badge.alignment]")
    fields = Fields(problems, where, "badge.alignment.")
    framework = fields.text(table, "framework")
    code = fields.text(table, "code")
    name = fields.text(table, "name")
    url = _url(fields, table, "url")
    if "url" not in table:
        fields.bad("url", 'missing; add `url = "https://..."` (the framework entry\'s page)')
    if framework and code and name and url:
        return Alignment(framework, code, name, url)
    return None


def _parse_declarations(
    problems: Problems, where: str, data: Mapping[str, Any]
) -> tuple[dict[str, Metric], dict[str, EventSpec]]:
    metrics: dict[str, Metric] = {}
    for name, table in _named_tables(problems, where, data, "metrics", _METRIC_KEYS).items():
        fields = Fields(problems, where, f"metrics.{name}.")
        unit = table.get("unit", "")
        if not isinstance(unit, str):
            fields.bad("unit", f'expected a string such as "steps", got {unit!r}')
            unit = ""
        metrics[name] = Metric(name, unit, fields.text(table, "description") or "")
    events: dict[str, EventSpec] = {}
    for name, table in _named_tables(problems, where, data, "events", _EVENT_KEYS).items():
        description = Fields(problems, where, f"events.{name}.").text(table, "description")
        events[name] = EventSpec(name, description or "")
    return metrics, events


def _named_tables(
    problems: Problems, where: str, data: Mapping[str, Any], key: str, known: Sequence[str]
) -> dict[str, Mapping[str, Any]]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        problems.field(where, key, f"expected tables like [{key}.name], got {value!r}")
        return {}
    tables: dict[str, Mapping[str, Any]] = {}
    for name, table in value.items():
        if not _NAME.match(name):
            problems.field(
                where,
                f"{key}.{name}",
                "names are lower_case letters, digits and _ (they are used in kit calls)",
            )
            continue
        if not isinstance(table, dict):
            problems.field(where, f"{key}.{name}", f"expected a table, got {table!r}")
            continue
        unknown_keys(problems, where, table, known, f"field in [{key}.{name}]")
        tables[name] = table
    return tables


def _parse_tasks(
    problems: Problems,
    where: str,
    data: Mapping[str, Any],
    metrics: Collection[str],
    events: Collection[str],
    time_limit: float | None,
) -> list[Task]:
    raw_tasks = data.get("tasks")
    if not isinstance(raw_tasks, list) or not raw_tasks:
        problems.field(where, "tasks", "missing; add one or more [[tasks]] tables")
        raw_tasks = []
    tasks: list[Task] = []
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
    return tasks


def _parse_task(
    problems: Problems,
    where: str,
    index: int,
    data: Any,
    metrics: Collection[str],
    events: Collection[str],
    time_limit: float | None,
) -> Task | None:
    if not isinstance(data, dict):
        problems.add(where, f"task #{index + 1}: expected a [[tasks]] table, got {data!r}")
        return None
    task_id = data.get("id")
    if isinstance(task_id, str) and _TASK_ID.match(task_id):
        here = f"{where}: task '{task_id}'"
    else:
        here = f"{where}: task #{index + 1}"
        problems.add(
            here,
            "field 'id': expected a short name like \"steps\" (lower case, digits, - and _), "
            f"got {task_id!r}",
        )
    count_before = len(problems.items)
    unknown_keys(problems, here, data, _TASK_KEYS, "field")
    fields = Fields(problems, here)
    title = fields.text(data, "title")
    kinds = [key for key in CRITERIA if key in data]
    if len(kinds) != 1:
        if kinds:
            problems.add(
                here, f"more than one check ({', '.join(kinds)}); split it into one task per check"
            )
        else:
            usages = list(dict.fromkeys(kind.usage for kind in CRITERIA.values()))
            problems.add(here, f"no check; give one of {', '.join(usages[:-1])}, or {usages[-1]}")
        return None
    kind = CRITERIA[kinds[0]]
    for key in _COMPANIONS:
        if key in data and key not in kind.companions:
            owners = [k for k, c in CRITERIA.items() if key in c.companions]
            problems.add(here, f"'{key}' goes with {_either(owners)}, not {kind.key}")
    within = _parse_within(problems, here, fields, data, kind, time_limit)
    check = kind.parse(TaskTable(data, fields, metrics, events))
    if check is None or title is None or len(problems.items) > count_before:
        return None
    return Task(str(task_id), title, check, within)


def _parse_within(
    problems: Problems,
    here: str,
    fields: Fields,
    data: Mapping[str, Any],
    kind: type[Criterion],
    time_limit: float | None,
) -> float | None:
    if "within" not in data:
        return None
    if kind.by_facilitator:
        problems.add(here, "'within' cannot apply to a facilitator sign-off")
        return None
    within = fields.number(data, "within")
    if within is not None and time_limit is not None and within > time_limit:
        fields.bad(
            "within",
            f"{fmt(within)} s is longer than the activity's time_limit ({fmt(time_limit)} s)",
        )
    return within


def _either(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
