"""A cheap look at an activity's main.py: does it run on every board, and what does it send?

The kit API it is checked against is read from ``firmware/kit.py`` itself: its public
functions, and for each the capability it asks the board for with ``_need("...")``. Adding
a function to kit.py makes it known here; nothing lists the API twice.
"""

from __future__ import annotations

import ast
import difflib
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wearkit import paths
from wearkit._toml import Problems
from wearkit.activities._fields import fmt
from wearkit.activities.model import EventSpec, Metric, Task
from wearkit.boards import CAPABILITIES
from wearkit.errors import ActivityError

SCRIPT_IMPORTS = frozenset({"kit", "math", "random"})
#: The kit function that marks a capability a function needs: ``_need("accel")``.
_NEED = "_need"


@dataclass(frozen=True)
class KitApi:
    """What ``kit`` offers scripts: its public names, and the capability each one needs."""

    functions: frozenset[str]
    capability_of: Mapping[str, str]


def kit_api(firmware: Path | None = None) -> KitApi:
    """The kit API read from ``<firmware>/kit.py`` (the bundled firmware by default)."""
    kit = (firmware or paths.firmware_dir()) / "kit.py"
    try:
        stamp = kit.stat().st_mtime_ns
    except OSError as exc:
        raise ActivityError(
            f"{paths.shown(kit)}: cannot read: {exc.strerror}; the kit runtime must be there"
        ) from None
    return _parse_kit(kit, stamp)


@functools.lru_cache(maxsize=8)
def _parse_kit(kit: Path, stamp: int) -> KitApi:
    """``stamp`` (the file's mtime) keys the cache, so an edited kit.py is read again."""
    try:
        tree = ast.parse(kit.read_text(encoding="utf-8"), filename=str(kit))
    except (OSError, UnicodeDecodeError, SyntaxError) as exc:
        raise ActivityError(f"{paths.shown(kit)}: cannot read the kit API: {exc}") from None
    functions: set[str] = set()
    capability_of: dict[str, str] = {}
    for node in tree.body:
        if not isinstance(node, ast.FunctionDef | ast.ClassDef) or node.name.startswith("_"):
            continue
        functions.add(node.name)
        for inner in ast.walk(node):
            if (
                isinstance(inner, ast.Call)
                and isinstance(inner.func, ast.Name)
                and inner.func.id == _NEED
                and (name := _literal_name(inner)) is not None
            ):
                capability_of.setdefault(node.name, name)
    return KitApi(frozenset(functions), capability_of)


@dataclass
class ScriptFacts:
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


def scan_script(problems: Problems, script: Path, api: KitApi) -> ScriptFacts | None:
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
    facts = ScriptFacts()
    for node in ast.walk(tree):
        line = f"{where}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import | ast.ImportFrom):
            _check_import(problems, line, node)
        elif isinstance(node, ast.JoinedStr):
            problems.add(line, "f-strings do not run on micro:bit v1; join with + and str()")
        elif (
            isinstance(node, ast.AnnAssign)
            or (isinstance(node, ast.arg) and node.annotation is not None)
            or (isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.returns)
        ):
            problems.add(line, "type annotations do not run on micro:bit v1; remove them")
        elif isinstance(node, ast.Call):
            _scan_kit_call(problems, line, node, facts, api)
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


def _check_import(problems: Problems, line: str, node: ast.Import | ast.ImportFrom) -> None:
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
        problems.add(line, "use `import kit` and call kit.report(...), so what it reports is known")


def _scan_kit_call(
    problems: Problems, line: str, node: ast.Call, facts: ScriptFacts, api: KitApi
) -> None:
    func = node.func
    if not (
        isinstance(func, ast.Attribute)
        and isinstance(func.value, ast.Name)
        and func.value.id == "kit"
    ):
        return
    name = func.attr
    if name not in api.functions:
        close = difflib.get_close_matches(name, sorted(api.functions), n=1)
        hint = f" (did you mean kit.{close[0]}?)" if close else ""
        problems.add(line, f"kit has no function '{name}'{hint}")
        return
    if name in api.capability_of:
        facts.capabilities_used.add(api.capability_of[name])
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


@dataclass(frozen=True)
class Promises:
    """What activity.toml promises about its script."""

    metrics: Mapping[str, Metric]
    events: Mapping[str, EventSpec]
    tasks: Sequence[Task]
    requires: Sequence[str]
    optional: Sequence[str]
    time_limit: float | None


def check_against_config(
    problems: Problems, where: str, script_where: str, facts: ScriptFacts, promised: Promises
) -> None:
    """What activity.toml (at ``where``) promises against what main.py does."""
    _check_names(problems, where, facts, promised)
    used = facts.capabilities_used
    for cap in sorted(used - set(promised.requires) - set(promised.optional)):
        problems.field(
            where, "requires", f"main.py uses '{cap}' but neither requires nor optional lists it"
        )
    for cap in promised.optional:
        if cap not in facts.capabilities_checked:
            problems.add(
                script_where, f"'{cap}' is optional, so guard its use with `if kit.has(\"{cap}\"):`"
            )
    for cap in promised.requires:
        if cap not in used:
            problems.warn(where, f"requires '{cap}' but main.py never uses it")
    if not facts.calls_done:
        problems.add(script_where, "never calls kit.done(); the host could not tell it finished")
    limit = promised.time_limit
    if facts.time_limit is not None and limit is not None and facts.time_limit != limit:
        problems.add(
            script_where,
            f"TIME_LIMIT = {fmt(facts.time_limit)} but activity.toml says "
            f"time_limit = {fmt(limit)}",
        )


def _check_names(problems: Problems, where: str, facts: ScriptFacts, promised: Promises) -> None:
    """Metrics and events: those the tasks need, those declared, those main.py sends."""
    for task in promised.tasks:
        metric, event = task.check.metric_needed(), task.check.event_needed()
        if metric is not None and not facts.dynamic_reports and metric not in facts.reports:
            reported = ", ".join(sorted(facts.reports)) or "nothing"
            problems.add(
                where,
                f"task '{task.id}': metric '{metric}' is never reported by main.py "
                f"(it reports: {reported})",
            )
        if event is not None and not facts.dynamic_events and event not in facts.events:
            sent = ", ".join(sorted(facts.events)) or "nothing"
            problems.add(
                where,
                f"task '{task.id}': event '{event}' is never sent by main.py (it sends: {sent})",
            )
    if not facts.dynamic_reports:
        for name in promised.metrics:
            if name not in facts.reports:
                problems.warn(where, f"metric '{name}' is declared but main.py never reports it")
    if not facts.dynamic_events:
        for name in promised.events:
            if name not in facts.events:
                problems.warn(where, f"event '{name}' is declared but main.py never sends it")
    for name in sorted(facts.reports - set(promised.metrics)):
        problems.warn(where, f"main.py reports '{name}', which [metrics] does not declare")
    for name in sorted(facts.events - set(promised.events)):
        problems.warn(where, f"main.py sends event '{name}', which [events] does not declare")
