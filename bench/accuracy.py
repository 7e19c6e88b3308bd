"""How well the step counter and the high five count: counted against true, on virtual boards.

Run: .venv/bin/python bench/accuracy.py [--family microbit-v2] [--jobs 2] [--speed 40]

Every generated scenario of the two activities (``scenarios/*.csv`` and
``scenarios/corpus/*.csv``, written by ``tools/scenarios/motion.py``, whose ``# truth:`` line
says how many steps or high fives really happened) is played on a fresh virtual board running
the activity's real main.py to its end (the tasks are swapped for one that is never met, so the
run is not stopped at the badge); the last value the script reported is what it counted.
Prints one markdown table per activity, all measured in this one run. The goal for steps is
within +-15 % on every walk (every wear, 1.4 to 2.8 steps/s); for traces with no steps or
high fives, any count is an error.
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

GOAL = 0.15  # +-15 %
#: activity slug -> the metric it counts with
COUNTED = {"step-counter": "steps", "high-five": "high_fives"}


def scenarios(activity: Activity) -> list[Path]:
    """The activity's generated scenarios (those with a ``# truth:`` line), catalogue first."""
    folder = activity.path / "scenarios"
    files = sorted(folder.glob("*.csv")) + sorted((folder / "corpus").glob("*.csv"))
    return [f for f in files if truth(f) is not None]


def truth(path: Path) -> int | None:
    """The true count in a scenario's ``# truth: name=N`` line."""
    for line in path.read_text(encoding="utf-8").splitlines():
        found = re.match(r"# truth: \w+=(\d+)", line)
        if found:
            return int(found.group(1))
        if not line.startswith("#"):
            return None
    return None


def description(path: Path) -> str:
    """The scenario's first comment line."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    return first.lstrip("# ").strip()


def count(activity: Activity, metric: str, path: Path, family: str, speed: float) -> int:
    """Play ``path`` to the script's end; the last value of ``metric`` it reported."""
    never = Task("count-all", "Count everything", AtLeast(metric, 1e9))
    endless = dataclasses.replace(activity, tasks=(never,))
    last = [0]

    def seen(event: ev.Event) -> None:
        if isinstance(event, ev.Report) and event.name == metric:
            last[0] = int(event.value)

    outcome = try_activity(
        endless, family=family, scenario=str(path), speed=speed, baud=None, on_event=seen
    )
    if outcome.traceback:
        raise SystemExit(f"{path}: the script failed:\n{outcome.traceback}")
    return last[0]


def table(slug: str, family: str, jobs: int, speed: float) -> tuple[list[str], int]:
    """The markdown table for one activity, and how many rows missed the goal."""
    activity = load_activity(activities_dir() / slug)
    metric = COUNTED[slug]
    files = scenarios(activity)
    with ThreadPoolExecutor(jobs) as pool:
        counted = list(pool.map(lambda p: count(activity, metric, p, family, speed), files))
    unit = metric.replace("_", " ")
    lines = [
        f"**{activity.title}** ({unit}, virtual {family}, speed {speed:g}):",
        "",
        "| scenario | what happens | true | counted | error | ok |",
        "|---|---|--:|--:|--:|:-:|",
    ]
    misses = 0
    total_true = total_err = 0
    for path, got in zip(files, counted, strict=True):
        real = truth(path) or 0
        if real:
            error = (got - real) / real
            shown = f"{error:+.0%}"
            ok = abs(error) <= GOAL if slug == "step-counter" else got == real
        else:
            shown = "—" if got == 0 else f"+{got}"
            ok = got == 0
        total_true += real
        total_err += abs(got - real)
        misses += not ok
        name = path.relative_to(activity.path / "scenarios").with_suffix("")
        lines.append(
            f"| {name} | {description(path)} | {real} | {got} | {shown} | "
            f"{'yes' if ok else '**no**'} |"
        )
    lines += [
        "",
        f"{len(files) - misses} of {len(files)} within the goal; "
        f"{total_err} {unit} wrong out of {total_true} real.",
        "",
    ]
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
