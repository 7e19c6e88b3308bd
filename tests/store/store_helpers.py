"""Builders for the store tests: run starts, batches, completions, a small disk."""

from __future__ import annotations

import subprocess
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from wearkit.runlog import Batch, CompletionRecord, RunStart, TaskRecord


@dataclass(frozen=True)
class F:
    """A stand-in for ``wearkit.frames.Frame`` (the store reads any FrameLike)."""

    seq: int
    kind: str
    t_ms: int
    name: str | None = None
    value: Any = None


def start(slug: str = "step-counter", board: str = "zig", learner: str | None = None) -> RunStart:
    return RunStart(
        port="/dev/ttyACM0",
        board_family="microbit-v2",
        board_name=board,
        activity_slug=slug,
        activity_title=slug.replace("-", " ").title(),
        learner=learner,
    )


def completion(
    slug: str = "step-counter",
    learner: str | None = "L-7F3A",
    key: str | None = None,
    board: str = "zig",
) -> CompletionRecord:
    return CompletionRecord(
        activity_slug=slug,
        board_name=board,
        learner=learner,
        completed_at=datetime.now(timezone.utc),
        idempotency_key=key or uuid.uuid4().hex,
        evidence={"tasks": {"walk": "done"}, "steps": 20},
    )


def last_batch(done: CompletionRecord, frames: int = 20) -> Batch:
    """The batch in which the last task ticks: frames, console, the task, the completion."""
    return Batch(
        frames=[F(i, "sample", i * 10, None, {"light": i}) for i in range(frames - 1)]
        + [F(frames - 1, "report", frames * 10, "steps", 20)],
        console=["walking...", "20 steps!"],
        tasks=[TaskRecord("walk", "done", "20 steps", frames * 10)],
        completion=done,
    )


def mount_tmpfs(where: Path, size: str) -> None:
    """Mount a small tmpfs at ``where``, or skip the test saying why it cannot."""
    where.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    except OSError as exc:
        pytest.skip(f"cannot mount a tmpfs to fill (no mount command: {exc})")
    if done.returncode != 0:
        pytest.skip(f"mounting a tmpfs is not permitted here: {done.stderr.strip()}")


def fill(disk: Path) -> Path:
    """Fill ``disk`` to the last byte; the file to delete to free it."""
    filler = disk / "filler"
    with open(filler, "wb", buffering=0) as file:
        chunk = b"\0" * 4096
        try:
            while True:
                file.write(chunk)
        except OSError:
            pass
        try:  # the last partial page
            while True:
                file.write(b"\0")
        except OSError:
            pass
    return filler
