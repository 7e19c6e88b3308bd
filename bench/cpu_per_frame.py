"""Host CPU per frame while a classroom of boards streams readings at 20 a second.

Run: .venv/bin/python bench/cpu_per_frame.py [--boards 1 10 30] [--seconds 15]

For each classroom size, `wearkit sim` starts the virtual boards in another process (their
interpreters and bridges are the boards' CPU, not the host's); this process then runs a
classroom run of a streaming activity on all of them through the real serial links,
frame decoding, task tracking and a SQLite store, and measures its own CPU time
(`time.process_time`, every thread) per frame received. It prints CPU per frame and the
share of one core a classroom of that size at 20 readings a second would take.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from wearkit.activities import load_activity
from wearkit.boards import load_profiles
from wearkit.classroom import Seat, start_activity

TOML = """
title = "Stream"
summary = "Streams readings at 20 a second."
level = "beginner"
minutes = 5
themes = ["coding"]
requires = ["accel"]
time_limit = {seconds}

[badge]
name = "Stream"
description = "Streamed."
criteria = "Streamed readings."

[metrics.n]
unit = "readings"
description = "Readings sent."

[[tasks]]
id = "many"
title = "Send readings"
metric = "n"
at_least = 1000000
"""

SCRIPT = """import kit

n = 0
start = kit.ms()
while kit.ms() - start < {seconds} * 1000:
    x, y, z = kit.accel()
    n += 1
    kit.sample(ax=x, ay=y, az=z, light=kit.light())
    if n % 20 == 0:
        kit.report("n", n)
    kit.sleep(50)
kit.done()
"""


def make_activity(folder: Path, seconds: int) -> Path:
    folder.mkdir(parents=True)
    (folder / "activity.toml").write_text(TOML.format(seconds=seconds))
    (folder / "main.py").write_text(SCRIPT.format(seconds=seconds))
    (folder / "README.md").write_text("# Stream\n")
    return folder


def start_boards(count: int) -> tuple[subprocess.Popen[str], list[str]]:
    sim = subprocess.Popen(
        [sys.executable, "-m", "wearkit.cli", "sim", "--boards", str(count), "--family",
         "microbit-v2"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert sim.stdout is not None
    ports = [sim.stdout.readline().split()[0] for _ in range(count)]
    return sim, ports


def measure(count: int, seconds: int, root: Path) -> tuple[float, int, float]:
    activity = load_activity(make_activity(root / f"stream-{count}" / "stream", seconds))
    sim, ports = start_boards(count)
    try:
        from wearkit.store import open_store

        store = open_store(f"sqlite:///{root / f'bench-{count}.db'}")
        seats = [Seat(port, "microbit-v2", f"b{i}") for i, port in enumerate(ports)]
        cpu0, wall0 = time.process_time(), time.monotonic()
        results = start_activity(seats, activity, profiles=load_profiles(), log=store)
        cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
        frames = sum(r.outcome.frames for r in results if r.outcome)
        lost = [r.seat.port for r in results if r.outcome is None]
        if lost:
            raise SystemExit(f"boards lost during the bench: {lost}")
        return cpu, frames, wall
    finally:
        sim.terminate()
        sim.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boards", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument("--seconds", type=int, default=15)
    args = parser.parse_args()
    print(f"host: {os.cpu_count()} cores; each board streams 20 readings/s for {args.seconds} s")
    print(f"{'boards':>6} {'frames':>7} {'host CPU s':>10} {'CPU/frame':>10} {'core at 20/s':>12}")
    with tempfile.TemporaryDirectory(prefix="wearkit-bench-") as root:
        for count in args.boards:
            cpu, frames, _wall = measure(count, args.seconds, Path(root))
            per_frame = cpu / frames
            # Includes installing the runtime and opening each link: a fixed cost per run.
            share = per_frame * 20 * count
            print(f"{count:>6} {frames:>7} {cpu:>10.2f} {per_frame * 1000:>8.3f}ms "
                  f"{share:>11.1%}")  # fmt: skip


if __name__ == "__main__":
    main()
