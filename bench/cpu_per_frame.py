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
import threading
import time
from pathlib import Path

from wearkit.activities import load_activity
from wearkit.boards import load_profiles
from wearkit.classroom import Seat, start_activity
from wearkit.classroom import events as ev
from wearkit.store import open_store

TOML = """
title = "Stream"
summary = "Streams readings at 20 a second."
level = "beginner"
minutes = 5
themes = ["coding"]
requires = ["accel", "light"]
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
    (folder / "scenarios").mkdir()
    (folder / "scenarios" / "pass.csv").write_text("t,ax\n0,0\n")
    (folder / "scenarios" / "fail.csv").write_text("t,ax\n0,0\n")
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


class Window:
    """Counts frames and host CPU between every board streaming and the first finishing:
    the steady state a classroom spends most of its time in."""

    def __init__(self, boards: int) -> None:
        self.boards = boards
        self.lock = threading.Lock()
        self.streaming: set[str] = set()
        self.frames = 0
        self.cpu_start: float | None = None
        self.cpu_end: float | None = None
        self.frames_in_window = 0

    def __call__(self, event: ev.Event) -> None:
        with self.lock:
            if isinstance(event, (ev.Reading, ev.Report)):
                self.frames += 1
                if self.cpu_start is None and event.board:
                    self.streaming.add(event.board)
                    if len(self.streaming) == self.boards:
                        self.cpu_start, self.frames = time.process_time(), 0
            elif isinstance(event, ev.Finished) and self.cpu_end is None and self.cpu_start:
                self.cpu_end, self.frames_in_window = time.process_time(), self.frames


def measure(count: int, seconds: int, root: Path, keep: bool) -> tuple[float, float, int]:
    """(CPU per streamed frame, CPU per run outside streaming, frames) for ``count`` boards."""
    activity = load_activity(make_activity(root / f"stream-{count}-{keep}" / "stream", seconds))
    sim, ports = start_boards(count)
    try:
        log = open_store(f"sqlite:///{root / f'bench-{count}.db'}") if keep else None
        seats = [Seat(port, "microbit-v2", f"b{i}") for i, port in enumerate(ports)]
        window = Window(count)
        cpu0 = time.process_time()
        results = start_activity(
            seats, activity, profiles=load_profiles(), log=log, on_event=window
        )
        total = time.process_time() - cpu0
        lost = [r.seat.port for r in results if r.outcome is None]
        if lost or window.cpu_start is None or window.cpu_end is None:
            raise SystemExit(f"boards lost during the bench: {lost}")
        streaming = window.cpu_end - window.cpu_start
        frames = sum(r.outcome.frames for r in results if r.outcome)
        per_frame = streaming / window.frames_in_window
        setup = (total - per_frame * frames) / count
        return per_frame, setup, frames
    finally:
        sim.terminate()
        sim.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boards", type=int, nargs="+", default=[1, 10, 30])
    parser.add_argument("--seconds", type=int, default=15)
    args = parser.parse_args()
    print(f"host: {os.cpu_count()} cores; each board streams 20 readings/s for {args.seconds} s")
    print(
        f"{'boards':>6} {'store':>6} {'frames':>7} {'CPU/frame':>10} {'core at 20/s':>12} "
        f"{'setup/run':>10}"
    )
    with tempfile.TemporaryDirectory(prefix="wearkit-bench-") as root:
        for count in args.boards:
            for keep in (False, True):
                per_frame, setup, frames = measure(count, args.seconds, Path(root), keep)
                share = per_frame * 20 * count
                print(
                    f"{count:>6} {'yes' if keep else 'no':>6} {frames:>7} "
                    f"{per_frame * 1e6:>8.0f}us {share:>11.1%} {setup * 1000:>8.0f}ms"
                )


if __name__ == "__main__":
    main()
