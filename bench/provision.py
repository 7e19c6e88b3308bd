"""Runtime install on 1 and on 30 virtual boards at 115200 baud, against mpremote.

    .venv/bin/python bench/provision.py [--boards 30] [--family microbit-v2]

wearkit: `ensure_runtime` on one board, then on every board at once (a thread each,
through `wearkit.flash.batch.run_batch`, as `wearkit provision --all` does). mpremote:
one `mpremote connect PORT fs cp kit.py :kit.py + fs cp HAL.py :HAL.py + ...` per board,
in a loop, as a facilitator's script would. Every board starts without the runtime each time (its
files are removed and the board soft-reset). Prints wall times and the two ratios
(goals: 30 boards under 1.3x one board; at least 10x faster than the mpremote loop).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from wearkit.boards import get_profile
from wearkit.flash.batch import run_batch
from wearkit.link import open_link
from wearkit.paths import firmware_dir
from wearkit.provision import ensure_runtime, runtime_files
from wearkit.sim import VirtualBoard, start_fleet


def wipe(board: VirtualBoard) -> None:
    """Take the runtime off: the next install starts from nothing."""
    for path in board.flash_dir.iterdir():
        if path.is_file():
            path.unlink()


def install(board: VirtualBoard) -> str:
    with open_link(board.port) as link:
        ensure_runtime(link, board.profile)
    return "ok"


def wearkit_install(boards: list[VirtualBoard]) -> float:
    for board in boards:
        wipe(board)
    started = time.monotonic()
    results = run_batch(boards, install, key=lambda b: b.port, label=lambda b: b.name)
    elapsed = time.monotonic() - started
    failed = [r for r in results if not r.ok]
    if failed:
        sys.exit(f"install failed: {failed[0].label}: {failed[0].error}")
    return elapsed


def mpremote_install(boards: list[VirtualBoard], sources: list[Path]) -> float:
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
    folder = Path(tempfile.mkdtemp(prefix="wearkit-bench-"))
    with start_fleet(profile, args.boards, baud=115200, folder=folder, register=False) as fleet:
        boards = fleet.boards
        one = min(wearkit_install(boards[:1]) for _ in range(3))
        many = wearkit_install(boards)
        mp_one = mpremote_install(boards[:1], sources)
        mp_many = mpremote_install(boards, sources)
        files = sorted(p.name for p in boards[0].flash_dir.iterdir())
    shutil.rmtree(folder, ignore_errors=True)
    print(f"runtime for {profile.id}: {', '.join(names)} ({size:,} bytes of source)")
    print(f"mpremote left on a board: {', '.join(files)}")
    print(f"wearkit, 1 board (best of 3):    {one:6.2f} s")
    print(f"wearkit, {args.boards} boards at once:    {many:6.2f} s   {many / one:.2f}x one board")
    print(f"mpremote fs cp, 1 board:         {mp_one:6.2f} s")
    print(f"mpremote fs cp, {args.boards} in a loop:   {mp_many:6.2f} s   "
          f"{mp_many / many:.1f}x wearkit's {args.boards}")  # fmt: skip


if __name__ == "__main__":
    main()
