"""The host killed, interrupted or out of disk: no completion it printed is ever lost."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from wearkit.activities import Activity
from wearkit.boards import get_profile
from wearkit.link import open_link
from wearkit.provision import ensure_runtime
from wearkit.sim import VirtualBoard, start_fleet
from wearkit.store import open_store

MakeActivity = Callable[..., Activity]

# Dark for the first 4 s of the board's clock, then bright: at x4 the badge is earned
# about a second into the run, and the script runs on for four more.
LATE_LIGHT = "t,light\n0,10\n4,250\n"


@pytest.fixture
def late_board(tmp_path: Path) -> Iterator[VirtualBoard]:
    scenario = tmp_path / "late.csv"
    scenario.write_text(LATE_LIGHT)
    with start_fleet(get_profile("microbit-v2"), 1, baud=115200, speed=4, scenario=scenario,
                     folder=tmp_path / "boards") as fleet:  # fmt: skip
        yield fleet.boards[0]


def start_run(activity: Activity, board: VirtualBoard, url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "wearkit.cli", "run", str(activity.path), "--port", board.port,
         "--json", "--store", url],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy(),
    )  # fmt: skip


# Kill after this many event lines; "tick" kills the moment the last task's tick is read.
MOMENTS: list[int | str] = [1, 2, 4, 8, 12, 20, 30, 40, 50, 60, "tick", "tick", "tick", "tick",
                            "tick", "tick", 70, 80, 90, 110, 130, 160]  # fmt: skip


@pytest.mark.timeout(400)
def test_sigkill_at_any_moment_never_loses_a_printed_completion(
    late_board: VirtualBoard, light_probe: MakeActivity, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    activity = light_probe()
    with open_link(late_board.port) as link:  # so every run's first line is its own
        ensure_runtime(link, get_profile("microbit-v2"))
    printed: list[bool] = []  # per run, in order: did the killed host print the tick?
    for moment in MOMENTS:
        late_board.set_scenario(tmp_path / "late.csv")  # replay from the start each run
        proc = start_run(activity, late_board, url)
        assert proc.stdout is not None
        seen, ticked = 0, False
        for line in proc.stdout:
            event = json.loads(line)
            seen += 1
            ticked = ticked or (event["event"] == "task" and event["state"] == "done")
            if (moment == "tick" and ticked) or seen == moment:
                break
        printed.append(ticked)
        proc.kill()
        proc.wait(10)
        assert proc.stderr is not None
        proc.stderr.close()
        proc.stdout.close()
    store = open_store(url)  # the next start of wearkit closes what the killed hosts left
    runs = sorted(store.list_runs(limit=100), key=lambda r: r.id)
    assert len(runs) == len(MOMENTS)  # the runtime was on the board: every run started
    assert not [r for r in runs if r.outcome == "running"]
    completions = store.completions()
    by_run = {c.run_id: c for c in completions}
    assert len(by_run) == len(completions)  # at most one completion per run
    # Every tick a killed host printed is a completion of that very run, with its delivery.
    missing = [
        i
        for i, (run, tick) in enumerate(zip(runs, printed, strict=True))
        if tick and run.id not in by_run
    ]
    assert sum(printed) >= 6 and missing == []
    outbox_keys = {item.idempotency_key for item in store.pending_outbox(limit=100)}
    assert outbox_keys and outbox_keys <= {c.idempotency_key for c in completions}


def test_a_memory_error_script_does_not_break_the_next_run(
    board: VirtualBoard,
    light_probe: MakeActivity,
    tmp_path: Path,
    wearkit: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    # Keep the heap full (g stays referenced in the REPL's globals), then raise.
    fill = (
        "g = []\ntry:\n    while True:\n        g.append(bytearray(2048))\n"
        "except MemoryError:\n    pass\nx = [0] * 100000"
    )
    broken = wearkit("exec", board.port, fill)
    assert broken.returncode == 1 and "MemoryError" in broken.stderr
    board.set_live(light=230)
    board.set_speed(20)
    done = wearkit("run", str(light_probe().path), "--port", board.port,
                   "--store", f"sqlite:///{tmp_path / 'm.db'}")  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


@contextlib.contextmanager
def small_disk(folder: Path, size_kb: int) -> Iterator[Path]:
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs",
                              str(folder)], capture_output=True, text=True)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({mounted.stderr.strip()}): needs root")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path) -> Path:
    """Write zeros until the disk is full (unbuffered: nothing is left to flush)."""
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(fd)
    return filler


def test_a_full_disk_at_the_moment_of_completion_keeps_it(
    late_board: VirtualBoard, light_probe: MakeActivity, tmp_path: Path
) -> None:
    with small_disk(tmp_path / "disk", 2048) as disk:
        url = f"sqlite:///{disk / 'class.db'}"
        proc = start_run(light_probe(), late_board, url)
        assert proc.stdout is not None
        events = []
        filler = None
        for line in proc.stdout:
            events.append(json.loads(line))
            if events[-1]["event"] == "started" and filler is None:
                filler = fill(disk)  # the disk fills up before the badge is earned
        assert proc.wait(60) == 0
        proc.stdout.close()
        assert proc.stderr is not None
        assert "warning:" in proc.stderr.read()  # the facilitator is told
        proc.stderr.close()
        kinds = [e["event"] for e in events]
        assert "store_error" in kinds and "completion_kept" in kinds, kinds
        kept = next(e for e in events if e["event"] == "completion_kept")
        assert kept["path"] and Path(kept["path"]).exists()
        key = next(e for e in events if e["event"] == "completed")["key"]
        assert filler is not None
        filler.unlink()  # space returns
        store = open_store(url)
        assert [c.idempotency_key for c in store.completions()] == [key]
        (run,) = store.list_runs()
        assert run.outcome == "complete"
        assert [o.idempotency_key for o in store.pending_outbox()] == [key]
        assert not Path(kept["path"]).exists()
        store.close()
