"""A classroom: many boards, one worker thread each, running an activity together.

Board lifecycle as the facilitator sees it: ready -> running -> done (complete or
incomplete) or lost (the board went away). Events from every board go to one callback,
tagged with the board, which the CLI renders as lines and the web app as live status.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from wearkit.activities import Activity
from wearkit.errors import LinkError, WearkitError
from wearkit.link import SerialLink
from wearkit.runs import RunEvent, RunOutcome, run_activity
from wearkit.store import Store


@dataclass(frozen=True)
class Seat:
    """A board in the classroom: where it is, what it is, what students call it."""

    port: str
    family: str
    name: str


@dataclass
class SeatResult:
    """How one board's run ended: an outcome, or the error that lost the board."""

    seat: Seat
    state: str = "ready"  # ready | running | done | lost (board gone) | error
    outcome: RunOutcome | None = None
    error: str = ""
    events: int = field(default=0, repr=False)


ClassroomCallback = Callable[[Seat, RunEvent], None]


def start_activity(
    seats: Iterable[Seat],
    activity: Activity,
    *,
    store: Store | None = None,
    on_event: ClassroomCallback | None = None,
    timeout: float | None = None,
    sign_off: Iterable[str] = (),
    signed_off_by: str = "facilitator",
    stop: threading.Event | None = None,
) -> list[SeatResult]:
    """Run ``activity`` on every seat at once (a thread per board) and wait for all.

    A board that fails is marked lost with the reason; the others carry on.
    """
    results = [SeatResult(seat) for seat in seats]
    lock = threading.Lock()
    sign_offs = tuple(sign_off)

    def emit(seat: Seat, event: RunEvent) -> None:
        if on_event is not None:
            with lock:  # one board's event at a time: renderers need not be thread-safe
                on_event(seat, event)

    def one(result: SeatResult) -> SeatResult:
        seat = result.seat
        result.state = "running"
        emit(seat, RunEvent("state", {"state": "running"}))
        try:
            with SerialLink(seat.port) as link:
                result.outcome = run_activity(
                    link, activity, board_family=seat.family, board_name=seat.name,
                    store=store, on_event=lambda e: emit(seat, e), timeout=timeout,
                    stop=stop, sign_off=sign_offs, signed_off_by=signed_off_by,
                )  # fmt: skip
            result.state = "done"
        except LinkError as exc:
            result.state, result.error = "lost", str(exc)
        except WearkitError as exc:
            result.state, result.error = "error", str(exc)
        emit(seat, RunEvent("state", {"state": result.state, "error": result.error}))
        return result

    if not results:
        return results
    with ThreadPoolExecutor(max_workers=len(results), thread_name_prefix="board") as pool:
        return list(pool.map(one, results))
