"""What a run writes down, and the protocol of whatever keeps it (the store satisfies it).

A run (``classroom.run``) never imports the store: it hands a `RunLog` batches of what
happened. A batch is written in one transaction, so a completion commits together with the
task result that earned it, the frames before it and its outbox row: a host killed a moment
later loses none of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from wearkit.frames import FrameLike

#: A learner reference: an opaque code a programme hands out (1 to 64 letters, digits,
#: '.', '_' or '-'), never a child's name or address.
LEARNER_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def learner_problem(ref: str) -> str | None:
    """Why ``ref`` cannot be a learner reference, or None if it can."""
    if LEARNER_REF.match(ref):
        return None
    return (
        f"{ref[:24]!r} is not an opaque learner reference: use 1 to 64 letters, digits, "
        "'.', '_' or '-', never a child's name"
    )


@dataclass(frozen=True)
class RunStart:
    """A run beginning on a board."""

    port: str
    board_family: str
    board_name: str
    activity_slug: str
    activity_title: str
    learner: str | None = None


@dataclass(frozen=True)
class TaskRecord:
    """A task's state as of this batch (a task once ``done`` stays done in the log)."""

    task_id: str
    state: str  # pending | done | failed (as the task tracker says)
    detail: str = ""
    t_ms: int | None = None
    signed_off_by: str | None = None


@dataclass(frozen=True)
class CompletionRecord:
    """An activity completed: the badge a learner earned.

    The run makes ``idempotency_key`` when the last task ticks, so a completion kept
    aside (the store could not be written) and written later keeps its key, and the
    badge service sees one award however many times it is sent.
    """

    activity_slug: str
    board_name: str
    learner: str | None
    completed_at: datetime
    idempotency_key: str
    evidence: Mapping[str, Any] = field(default_factory=dict)  # tasks and key readings


@dataclass
class Batch:
    """Everything a run saw since its last batch; written in one transaction."""

    frames: list[FrameLike] = field(default_factory=list)
    console: list[str] = field(default_factory=list)  # lines, without their newline
    tasks: list[TaskRecord] = field(default_factory=list)
    completion: CompletionRecord | None = None

    def __bool__(self) -> bool:
        return bool(self.frames or self.console or self.tasks or self.completion)


class RunLog(Protocol):
    """Where runs are recorded. Every method raises `StoreError` if it cannot write."""

    def start_run(self, start: RunStart) -> int:
        """Record that a run started; return its id."""
        ...

    def record(self, run_id: int, batch: Batch) -> None:
        """Write ``batch`` in one transaction (a completion with its outbox row)."""
        ...

    def record_many(self, items: Sequence[tuple[int, Batch]]) -> None:
        """Write the batches of several runs in one transaction (all, or none)."""
        ...

    def finish_run(
        self,
        run_id: int,
        outcome: str,
        error: str | None = None,
        *,
        frames: int | None = None,
        corrupted: int | None = None,
        lost: int | None = None,
    ) -> None:
        """Close a run: complete | incomplete | error | interrupted. The first finish wins."""
        ...

    def keep_aside(self, run_id: int | None, completion: CompletionRecord) -> str:
        """Keep a completion the log cannot write now somewhere safe; say where.

        It is written into the log the next time the log is opened with room to write.
        """
        ...
