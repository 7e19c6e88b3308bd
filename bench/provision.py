"""Runtime install on 1 and on 30 virtual boards at 115200 baud, against mpremote.

    .venv/bin/python bench/provision.py [--boards 30] [--family microbit-v2]

The boards run in a `wearkit sim` process of their own (their interpreters and USB-serial
bridges are the boards' CPU, as each real board has its own processor; this process is the
facilitator's laptop). wearkit: `ensure_runtime` on one board, then on every board at once (a
thread each, through `wearkit.flash.batch.run_batch`, as `wearkit provision --all` does); the
host's CPU time for the 30 is printed too. mpremote:
one `mpremote connect PORT fs cp kit.py :kit.py + fs cp HAL.py :HAL.py + ...` per board,
in a loop, as a facilitator's script would. Every board starts without the runtime each time (its
files are removed and the board soft-reset). Prints wall times and the two ratios
(goals: 30 boards under 1.3x one board; at least 10x faster than the mpremote loop).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from wearkit.boards import BoardProfile, get_profile
from wearkit.flash.batch import run_batch
from wearkit.link import open_link
from wearkit.paths import firmware_dir
from wearkit.provision import ensure_runtime, runtime_files
from wearkit.sim import registry


@dataclass(frozen=True)
class Board:
    """A virtual board `wearkit sim` runs: its port and its flash folder."""

    port: str
    name: str
    flash_dir: Path
    profile: BoardProfile


def wipe(board: Board) -> None:
    """Take the runtime off: the next install starts from nothing."""
    for path in board.flash_dir.iterdir():
        if path.is_file():
            path.unlink()


def install(board: Board) -> str:
    with open_link(board.port) as link:
        ensure_runtime(link, board.profile)
    return "ok"


def wearkit_install(boards: list[Board]) -> tuple[float, float]:
    """Wall time and this process's CPU time to install the runtime on ``boards``."""
    for board in boards:
        wipe(board)
    started, cpu = time.monotonic(), time.process_time()
    results = run_batch(boards, install, key=lambda b: b.port, label=lambda b: b.name)
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu
    failed = [r for r in results if not r.ok]
    if failed:
        sys.exit(f"install failed: {failed[0].label}: {failed[0].error}")
    return elapsed, cpu


def start_boards(profile: BoardProfile, count: int) -> tuple[subprocess.Popen[str], list[Board]]:
    sim = subprocess.Popen(
        [sys.executable, "-m", "wearkit.cli", "sim", "--boards", str(count), "--family",
         profile.id, "--baud", "115200"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert sim.stdout is not None
    ports = [sim.stdout.readline().split()[0] for _ in range(count)]
    folders = {info["port"]: Path(info["folder"]) for info in registry.registered()}
    boards = [Board(port, folders[port].name, folders[port] / "flash", profile) for port in ports]
    return sim, boards


def mpremote_install(boards: list[Board], sources: list[Path]) -> float:
    mpremote = shutil.which("mpremote", path=str(Path(sys.executable).parent))
    if mpremote is None:
        sys.exit("mpremote is not installed beside this Python")
    for board in boards:
        wipe(board)
    started = time.monotonic()
    for board in boards:
        argv = [mpremote, "connect", board.port]
        for index, source in enumerate(sources):  # one process per board, a cp per file
            argv += [*(["+"] if index else []), "fs", "cp", str(source), f":{source.name}"]
        done = subprocess.run(argv, capture_output=True, text=True, timeout=120)
        if done.returncode:
            sys.exit(f"mpremote failed on {board.port}: {done.stderr.strip()[-300:]}")
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boards", type=int, default=30)
    parser.add_argument("--family", default="microbit-v2")
    args = parser.parse_args()
    profile = get_profile(args.family)
    names = list(runtime_files(profile))
    sources = [firmware_dir() / name for name in names]
    size = sum(p.stat().st_size for p in sources)
    home = Path(tempfile.mkdtemp(prefix="wearkit-bench-"))
    os.environ["WEARKIT_HOME"] = str(home)  # the sim registers its boards there
    sim, boards = start_boards(profile, args.boards)
    try:
        one = min(wearkit_install(boards[:1])[0] for _ in range(3))
        many, many_cpu = wearkit_install(boards)
        mp_one = mpremote_install(boards[:1], sources)
        mp_many = mpremote_install(boards, sources)
        files = sorted(p.name for p in boards[0].flash_dir.iterdir())
    finally:
        sim.send_signal(signal.SIGINT)
        sim.wait(60)
        if sim.stdout is not None:
            sim.stdout.close()
        shutil.rmtree(home, ignore_errors=True)
    print(f"runtime for {profile.id}: {', '.join(names)} ({size:,} bytes of source)")
    print(f"mpremote left on a board: {', '.join(files)}")
    print(f"wearkit, 1 board (best of 3):    {one:6.2f} s")
    print(f"wearkit, {args.boards} boards at once:    {many:6.2f} s   {many / one:.2f}x one board"
          f" (host CPU {many_cpu:.2f} s)")  # fmt: skip
    print(f"mpremote fs cp, 1 board:         {mp_one:6.2f} s")
    print(f"mpremote fs cp, {args.boards} in a loop:   {mp_many:6.2f} s   "
          f"{mp_many / many:.1f}x wearkit's {args.boards}")  # fmt: skip


if __name__ == "__main__":
    main()
