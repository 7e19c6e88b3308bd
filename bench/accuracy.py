"""How well the activities count: steps, high fives, touches and reactions, counted against
the truth, on virtual boards.

Run: .venv/bin/python bench/accuracy.py [--family microbit-v2] [--jobs 2] [--speed 40]
[--only touch-glove]

Every generated scenario of the four activities (``scenarios/*.csv`` and
``scenarios/corpus/*.csv``, written by ``tools/scenarios/motion.py`` and
``tools/scenarios/inputs.py``, whose ``# truth:`` line says how many steps, high fives, taps,
chords, reactions, false starts or misses really happened; a catalogue file that is a copy of
a corpus one is played once) is played on a fresh virtual board running the activity's real
main.py to its end (the tasks are swapped for one that is never met, so the run is not
stopped at the badge). What the script counted is the last value it reported for a metric
(steps, high fives, taps), or how many times it said an event (chords, false starts, misses)
or reported a reaction time. Prints one markdown table per activity, all measured in this
one run. The goal for steps is within +-15 % on every walk (every wear, 1.4 to 2.8
steps/s); everything else must be counted exactly; for traces with none, any count is an
error. The touch glove and the reaction timer are not on a micro:bit v2 by default: the
glove runs on a Circuit Playground Express, the timer on a micro:bit v1 (see FAMILY).
"""

from __future__ import annotations

import argparse
import dataclasses
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from wearkit.activities import Activity, load_activity
from wearkit.activities.criteria import AtLeast
from wearkit.activities.model import Task
from wearkit.classroom import events as ev
from wearkit.classroom.tryout import try_activity
from wearkit.paths import activities_dir

GOAL = 0.15  # +-15 % for steps


@dataclasses.dataclass(frozen=True)
class Count:
    """One thing an activity counts, and where its truth and its count come from."""

    label: str  # the table's name for it: "taps"
    truth: str  # its key in the scenario's ``# truth:`` line
    metric: str = ""  # the last value the script reported for this metric...
    event: str = ""  # ...or how many times it said this event...
    reports: str = ""  # ...or how many times it reported this metric

    def seen(self, event: ev.Event, counts: dict[str, int]) -> None:
        """Update ``counts[label]`` with one event from the board."""
        if isinstance(event, ev.Report):
            if event.name == self.metric:
                counts[self.label] = int(event.value)
            elif event.name == self.reports:
                counts[self.label] = counts.get(self.label, 0) + 1
        elif isinstance(event, ev.BoardEvent) and event.name == self.event:
            counts[self.label] = counts.get(self.label, 0) + 1


#: activity slug -> what it counts
COUNTED = {
    "step-counter": (Count("steps", "steps", metric="steps"),),
    "high-five": (Count("high fives", "high_fives", metric="high_fives"),),
    "touch-glove": (
        Count("taps", "taps", metric="taps"),
        Count("chords", "chords", event="chord"),
    ),
    "reaction-timer": (
        Count("reactions", "reactions", reports="reaction_ms"),
        Count("false starts", "false_starts", event="false_start"),
        Count("misses", "misses", event="missed"),
    ),
}


def scenarios(activity: Activity) -> list[Path]:
    """The activity's generated scenarios (those with a ``# truth:`` line), catalogue first;
    a catalogue file with the same text as a corpus one is left out."""
    folder = activity.path / "scenarios"
    corpus = sorted((folder / "corpus").glob("*.csv"))
    texts = {f.read_text(encoding="utf-8") for f in corpus}
    top = [f for f in sorted(folder.glob("*.csv")) if f.read_text(encoding="utf-8") not in texts]
    return [f for f in top + corpus if truth(f)]


def truth(path: Path) -> dict[str, int]:
    """The ``# truth: a=1 b=2`` line of a scenario ({} if none)."""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# truth:"):
            return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)}
        if not line.startswith("#"):
            break
    return {}


def description(path: Path) -> str:
    """The scenario's first comment line."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    return first.lstrip("# ").strip()


def count(
    activity: Activity, counted: tuple[Count, ...], path: Path, family: str, speed: float
) -> dict[str, int]:
    """Play ``path`` to the script's end; what the script counted, by label."""
    never = Task("count-all", "Count everything", AtLeast("never", 1e9))
    endless = dataclasses.replace(activity, tasks=(never,))
    counts = {c.label: 0 for c in counted}

    def seen(event: ev.Event) -> None:
        for c in counted:
            c.seen(event, counts)

    outcome = try_activity(
        endless, family=family, scenario=str(path), speed=speed, baud=None, on_event=seen
    )
    if outcome.traceback:
        raise SystemExit(f"{path}: the script failed:\n{outcome.traceback}")
    return counts


def table(slug: str, family: str, jobs: int, speed: float) -> tuple[list[str], int]:
    """The markdown table for one activity, and how many rows missed the goal."""
    activity = load_activity(activities_dir() / slug)
    counted = COUNTED[slug]
    files = scenarios(activity)
    with ThreadPoolExecutor(jobs) as pool:
        results = list(pool.map(lambda p: count(activity, counted, p, family, speed), files))
    units = ", ".join(c.label for c in counted)
    one = len(counted) == 1
    head = "| scenario | what happens |"
    rule = "|---|---|"
    for c in counted:
        head += " true | counted |" if one else f" true {c.label} | counted |"
        rule += "--:|--:|"
    head += " error | ok |" if one else " ok |"
    rule += "--:|:-:|" if one else ":-:|"
    lines = [f"**{activity.title}** ({units}, virtual {family}, speed {speed:g}):", "", head, rule]
    misses = 0
    totals = {c.label: [0, 0] for c in counted}  # label -> [true, wrong]
    for path, got in zip(files, results, strict=True):
        known = truth(path)
        ok = True
        cells = ""
        shown = ""
        for c in counted:
            real, n = known.get(c.truth, 0), got[c.label]
            totals[c.label][0] += real
            totals[c.label][1] += abs(n - real)
            if real and slug == "step-counter":
                ok = ok and abs(n - real) / real <= GOAL
            else:
                ok = ok and n == real
            cells += f" {real} | {n} |"
            if one:
                shown = f"{(n - real) / real:+.0%}" if real else ("—" if n == 0 else f"+{n}")
        misses += not ok
        name = path.relative_to(activity.path / "scenarios").with_suffix("")
        error = f" {shown} |" if one else ""
        lines.append(
            f"| {name} | {description(path)} |{cells}{error} {'yes' if ok else '**no**'} |"
        )
    wrong = "; ".join(f"{w} {label} wrong out of {t} real" for label, (t, w) in totals.items())
    lines += ["", f"{len(files) - misses} of {len(files)} within the goal; {wrong}.", ""]
    return lines, misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--family", default="microbit-v2")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--speed", type=float, default=40.0)
    parser.add_argument("--only", choices=sorted(COUNTED), help="one activity only")
    args = parser.parse_args()
    started = time.monotonic()
    misses = 0
    for slug in [args.only] if args.only else list(COUNTED):
        lines, missed = table(slug, args.family, args.jobs, args.speed)
        misses += missed
        print("\n".join(lines), flush=True)
    print(f"measured in {time.monotonic() - started:.0f} s")
    sys.exit(1 if misses else 0)


if __name__ == "__main__":
    main()
