"""Task criteria: one class per kind of check, in a registry keyed by its activity.toml key.

Each criterion parses itself from a ``[[tasks]]`` table, observes a run's frames into a
:class:`Progress`, says whether it is met, and describes its progress for the checklist.
The loader and the tracker loop over :data:`CRITERIA`; adding a kind of check is adding a
class here.

A task's ``within = N`` (seconds of board clock) never counts from the run's start, since
students strap the board on after the script is sent:

- an event with ``count``: done when any ``count`` of its events fall within N seconds of
  each other (first to last), whenever that happens in the run;
- a metric check: N seconds from the task's *first progress*, the first report that moves
  the metric from its first report toward the goal (up for ``at_least``, down for
  ``at_most``, the sign of ``change``), or that meets it outright. The tracker fails the
  task at the first frame after that start + N (see :meth:`Criterion.clock_start`).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from wearkit.activities._fields import Fields, fmt, is_number
from wearkit.frames import FrameLike


@dataclass
class Progress:
    """What a run's frames have shown so far towards one task."""

    first: float | None = None
    highest: float | None = None
    lowest: float | None = None
    count: int = 0
    by: str | None = None  # who signed it off
    #: The task's ``within`` in ms of board clock (set by whoever makes the Progress).
    within_ms: int | None = None
    #: Board time of the task's first progress (metric checks; see the module docstring).
    since_ms: int | None = None
    #: Board time of the newest frame seen.
    now_ms: int | None = None
    #: Board times of the newest events (at most the check's ``count``), with ``within``.
    times: list[int] = field(default_factory=list)
    #: The most events seen within any ``within_ms`` window so far.
    best: int = 0


@dataclass(frozen=True)
class TaskTable:
    """One ``[[tasks]]`` table being parsed, and the names its check may refer to."""

    data: Mapping[str, Any]
    fields: Fields
    metrics: Collection[str]
    events: Collection[str]

    def problem(self, message: str) -> None:
        """Record a problem with this task (not with one of its fields)."""
        self.fields.problems.add(self.fields.where, message)


class Criterion(ABC):
    """How one task is checked. Subclasses are frozen dataclasses registered in CRITERIA."""

    #: The activity.toml key that selects this check (``at_least = 20``).
    key: ClassVar[str]
    #: Further keys that may go with it (``metric``, ``count``, ``hint``).
    companions: ClassVar[tuple[str, ...]] = ()
    #: How an author asks for it, for the message of a task with no check.
    usage: ClassVar[str]
    #: Whether a person, not the board's frames, completes it.
    by_facilitator: ClassVar[bool] = False

    @classmethod
    @abstractmethod
    def parse(cls, table: TaskTable) -> Criterion | None:
        """The criterion ``table`` asks for, or None after recording its problems."""

    def observe(self, progress: Progress, frame: FrameLike) -> bool:
        """Take ``frame`` into ``progress``; whether it concerned this criterion."""
        return False

    @abstractmethod
    def met(self, progress: Progress) -> bool:
        """Whether ``progress`` completes the task."""

    @abstractmethod
    def describe(self, progress: Progress, units: Mapping[str, str]) -> str:
        """The checklist's progress text; ``units`` maps each metric to its unit."""

    def clock_start(self, progress: Progress) -> int | None:
        """Board time (ms) from which the task's ``within`` counts, once known: the task
        fails if it is not done by this + ``within``. None while it has not started, and
        always for checks that look for any window of ``within`` instead (events)."""
        return None

    def metric_needed(self) -> str | None:
        """The metric main.py must report for this check to be met, if any."""
        return None

    def event_needed(self) -> str | None:
        """The event main.py must send for this check to be met, if any."""
        return None


class _MetricCriterion(Criterion):
    """A check on the values main.py reports for one metric."""

    companions = ("metric",)
    usage = "`metric` with at_least, at_most or change"
    metric: str

    @classmethod
    def parse(cls, table: TaskTable) -> Criterion | None:
        """The criterion on ``metric`` with the target under this class's key."""
        metric = table.data.get("metric")
        if not isinstance(metric, str):
            table.problem(f"'{cls.key}' needs `metric = \"...\"` naming a declared metric")
        elif metric not in table.metrics:
            declared = ", ".join(table.metrics) or "none"
            table.problem(f"unknown metric '{metric}' (declared metrics: {declared})")
        target = table.fields.number(table.data, cls.key, positive=False)
        if not isinstance(metric, str) or target is None:
            return None
        return cls._build(metric, target, table)

    @classmethod
    @abstractmethod
    def _build(cls, metric: str, target: float, table: TaskTable) -> Criterion | None: ...

    def observe(self, progress: Progress, frame: FrameLike) -> bool:
        """Track the first, highest and lowest report of the metric, and when it first
        moved toward the goal."""
        progress.now_ms = frame.t_ms
        if frame.kind != "report" or frame.name != self.metric or not is_number(frame.value):
            return False
        value = float(frame.value)
        if math.isnan(value):
            return False
        if progress.first is None:
            progress.first = value
        progress.highest = value if progress.highest is None else max(progress.highest, value)
        progress.lowest = value if progress.lowest is None else min(progress.lowest, value)
        if progress.since_ms is None and (
            self._toward_goal(value - progress.first) or self.met(progress)
        ):
            progress.since_ms = frame.t_ms
        return True

    @abstractmethod
    def _toward_goal(self, delta: float) -> bool:
        """Whether moving by ``delta`` from the first report is a move toward the goal."""

    def clock_start(self, progress: Progress) -> int | None:
        """The board time of the task's first progress."""
        return progress.since_ms

    def metric_needed(self) -> str | None:
        """The metric this check reads."""
        return self.metric

    def _label(self, units: Mapping[str, str]) -> tuple[str, str]:
        unit = units.get(self.metric, "")
        shown_unit = f" {unit}" if unit and unit != self.metric else ""
        return self.metric.replace("_", " "), shown_unit


@dataclass(frozen=True)
class AtLeast(_MetricCriterion):
    """Done when a report of ``metric`` reaches ``value`` or more."""

    key = "at_least"
    metric: str
    value: float

    @classmethod
    def _build(cls, metric: str, target: float, table: TaskTable) -> Criterion | None:
        return cls(metric, target)

    def _toward_goal(self, delta: float) -> bool:
        return delta > 0

    def met(self, progress: Progress) -> bool:
        """Whether the highest report reached the value."""
        return progress.highest is not None and progress.highest >= self.value

    def describe(self, progress: Progress, units: Mapping[str, str]) -> str:
        """``steps 12 of 20``."""
        name, unit = self._label(units)
        best = "-" if progress.highest is None else fmt(round(progress.highest, 2))
        return f"{name} {best} of {fmt(self.value)}{unit}"


@dataclass(frozen=True)
class AtMost(_MetricCriterion):
    """Done when a report of ``metric`` is ``value`` or less."""

    key = "at_most"
    metric: str
    value: float

    @classmethod
    def _build(cls, metric: str, target: float, table: TaskTable) -> Criterion | None:
        return cls(metric, target)

    def _toward_goal(self, delta: float) -> bool:
        return delta < 0

    def met(self, progress: Progress) -> bool:
        """Whether the lowest report came down to the value."""
        return progress.lowest is not None and progress.lowest <= self.value

    def describe(self, progress: Progress, units: Mapping[str, str]) -> str:
        """``reaction ms 420 ms, needs 300 ms or less``."""
        name, unit = self._label(units)
        best = "-" if progress.lowest is None else fmt(round(progress.lowest, 2)) + unit
        return f"{name} {best}, needs {fmt(self.value)}{unit} or less"


@dataclass(frozen=True)
class Change(_MetricCriterion):
    """Done when ``metric`` moves from its first report by ``fraction`` (0.2 up, -0.5 down)."""

    key = "change"
    metric: str
    fraction: float

    @classmethod
    def _build(cls, metric: str, target: float, table: TaskTable) -> Criterion | None:
        if target == 0:
            table.fields.bad("change", "0 never changes anything; use e.g. 0.2 (up 20%) or -0.5")
            return None
        return cls(metric, target)

    def _toward_goal(self, delta: float) -> bool:
        return delta * self.fraction > 0

    def moved(self, progress: Progress) -> float | None:
        """The furthest fractional move from the first report in the check's direction."""
        if progress.first is None or progress.highest is None or progress.lowest is None:
            return None
        furthest = progress.highest if self.fraction > 0 else progress.lowest
        delta = furthest - progress.first
        if progress.first == 0:
            # No scale to measure a fraction against: any move the right way counts.
            return 0.0 if delta == 0 else math.copysign(math.inf, delta)
        return delta / abs(progress.first)

    def met(self, progress: Progress) -> bool:
        """Whether the metric moved far enough the right way."""
        moved = self.moved(progress)
        if moved is None:
            return False
        return moved >= self.fraction if self.fraction > 0 else moved <= self.fraction

    def describe(self, progress: Progress, units: Mapping[str, str]) -> str:
        """``light down 33.3%, needs down 50%``."""
        name, _ = self._label(units)
        direction = "up" if self.fraction > 0 else "down"
        goal = f"needs {direction} {fmt(round(abs(self.fraction) * 100, 1))}%"
        moved = self.moved(progress)
        if moved is None:
            return f"{name} not read yet, {goal}"
        if math.isinf(moved):
            shown = "a lot" if (moved > 0) == (self.fraction > 0) else "0%"
        else:
            signed = moved if self.fraction > 0 else -moved
            shown = f"{fmt(round(max(signed, 0.0) * 100, 1))}%"
        return f"{name} {direction} {shown}, {goal}"


@dataclass(frozen=True)
class EventCount(Criterion):
    """Done when ``event`` has happened ``count`` times."""

    key = "event"
    companions = ("count",)
    usage = "`event` (with optional count)"
    event: str
    count: int = 1

    @classmethod
    def parse(cls, table: TaskTable) -> Criterion | None:
        """The event named by ``event``, ``count`` times (once by default)."""
        event = table.data["event"]
        count = 1
        if "count" in table.data:
            got = table.fields.number(table.data, "count", integer=True)
            count = int(got) if got is not None else 1
        if not isinstance(event, str):
            table.fields.bad("event", f"expected the name of a declared event, got {event!r}")
        elif event not in table.events:
            declared = ", ".join(table.events) or "none"
            table.problem(f"unknown event '{event}' (declared events: {declared})")
        else:
            return cls(event, count)
        return None

    def observe(self, progress: Progress, frame: FrameLike) -> bool:
        """Count the event's frames; with ``within``, keep the newest ``count`` of their
        times and the most that fitted in one window."""
        progress.now_ms = frame.t_ms
        if frame.kind != "event" or frame.name != self.event:
            return False
        progress.count += 1
        if progress.within_ms is not None:
            times = progress.times
            times.append(frame.t_ms)
            del times[: -self.count]
            progress.best = max(progress.best, self._in_window(times, frame.t_ms, progress))
        return True

    @staticmethod
    def _in_window(times: list[int], now: int, progress: Progress) -> int:
        """How many of ``times`` lie within ``within_ms`` before ``now`` (inclusive)."""
        window = progress.within_ms or 0
        return sum(1 for t in times if 0 <= now - t <= window)

    def met(self, progress: Progress) -> bool:
        """Whether the event happened often enough (within one window, with ``within``)."""
        if progress.within_ms is None:
            return progress.count >= self.count
        return progress.best >= self.count

    def describe(self, progress: Progress, units: Mapping[str, str]) -> str:
        """``goal: yes``, ``goal: 1 of 2``, or with ``within``: ``goal: 2 of 3 within
        30 s``: those in the window ending now, and the best window if that had more."""
        name = self.event.replace("_", " ")
        if self.count == 1:
            return f"{name}: {'yes' if progress.count else 'not yet'}"
        if progress.within_ms is None:
            return f"{name}: {min(progress.count, self.count)} of {self.count}"
        window = f"within {fmt(progress.within_ms / 1000)} s"
        if self.met(progress):
            return f"{name}: {self.count} of {self.count} {window}"
        now = progress.now_ms
        live = 0 if now is None else self._in_window(progress.times, now, progress)
        best = f" (best {progress.best})" if progress.best > live else ""
        return f"{name}: {live} of {self.count} {window}{best}"

    def event_needed(self) -> str | None:
        """The event this check counts."""
        return self.event


@dataclass(frozen=True)
class FacilitatorSignOff(Criterion):
    """Done when a facilitator signs it off; ``hint`` tells them what to look for."""

    key = "facilitator"
    companions = ("hint",)
    usage = "`facilitator = true` with a hint"
    by_facilitator = True
    hint: str

    @classmethod
    def parse(cls, table: TaskTable) -> Criterion | None:
        """``facilitator = true`` and the hint for the person signing it off."""
        flag = table.data["facilitator"]
        if flag is not True:
            table.fields.bad("facilitator", f"expected true, got {flag!r}")
        hint = table.data.get("hint")
        if not isinstance(hint, str) or not hint.strip():
            table.problem('a facilitator task needs `hint = "..."`: what to look for')
        elif flag is True:
            return cls(hint.strip())
        return None

    def met(self, progress: Progress) -> bool:
        """Whether someone signed it off."""
        return progress.by is not None

    def describe(self, progress: Progress, units: Mapping[str, str]) -> str:
        """Who signed it off, or that it waits for them."""
        if progress.by is not None:
            return f"signed off by {progress.by}"
        return "waiting for a facilitator to sign it off"


#: Every kind of check, keyed by the activity.toml key that asks for it.
CRITERIA: Mapping[str, type[Criterion]] = {
    kind.key: kind for kind in (AtLeast, AtMost, Change, EventCount, FacilitatorSignOff)
}
