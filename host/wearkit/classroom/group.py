"""A classroom run: one activity on many boards at once, a worker thread per board.

Each worker owns its board's link. Events from every board go to one callback, tagged
with the board, which the CLI renders as lines and the web app as live status. One
``stop`` event stops every board (Ctrl-C); each run is then recorded as interrupted.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from wearkit.activities import Activity
from wearkit.boards import BoardProfile
from wearkit.classroom import events as ev
from wearkit.classroom.run import (
    EventCallback,
    RunOutcome,
    Seat,
    StoppedBeforeStart,
    run_activity,
)
from wearkit.classroom.writer import SharedLog
from wearkit.errors import LinkError, WearkitError
from wearkit.link import open_link
from wearkit.runlog import RunLog

#: Radio groups handed to pairs: 1 to 255 (micro:bit groups are 0 to 255; 0 is the default).
GROUPS = 255


@dataclass
class SeatResult:
    """How one board's run ended: an outcome, or the error that lost the board."""

    seat: Seat
    state: str = "ready"  # ready | running | done | stopped | lost (board gone) | error
    outcome: RunOutcome | None = None
    error: str = ""


def pair_groups(seats: Iterable[Seat]) -> list[Seat]:
    """``seats`` with a radio group per pair, in seat order: seats 1 and 2 get group 1,
    seats 3 and 4 group 2, and so on (after 255, 1 again; 0 is every board's default), so
    neighbouring pairs never hear each other."""
    return [replace(seat, group=1 + (index // 2) % GROUPS) for index, seat in enumerate(seats)]


def start_activity(
    seats: Iterable[Seat],
    activity: Activity,
    *,
    profiles: Mapping[str, BoardProfile],
    log: RunLog | None = None,
    on_event: EventCallback | None = None,
    timeout: float | None = None,
    sign_off: Iterable[str] = (),
    signed_off_by: str = "facilitator",
    stop: threading.Event | None = None,
    stop_when_complete: bool = False,
) -> list[SeatResult]:
    """Run ``activity`` on every seat at once (a thread per board) and wait for all.

    A board that fails is marked lost (its link broke) or error, with the reason; the
    others carry on. Setting ``stop`` interrupts every board. An activity that requires
    ``radio`` gets a radio group per pair of seats (`pair_groups`) unless a seat has one.
    """
    seats = list(seats)
    if "radio" in activity.requires and all(seat.group is None for seat in seats):
        seats = pair_groups(seats)
    results = [SeatResult(seat) for seat in seats]
    lock = threading.Lock()
    sign_offs = tuple(sign_off)

    def emit(event: ev.Event) -> None:
        if on_event is not None:
            with lock:  # one board's event at a time: renderers need not be thread-safe
                on_event(event)

    def one(result: SeatResult) -> SeatResult:
        seat = result.seat
        result.state = "running"
        emit(ev.BoardState("running").on(seat.name, seat.port))
        try:
            with open_link(seat.port) as link:
                result.outcome = run_activity(
                    link,
                    activity,
                    seat=seat,
                    profile=profiles[seat.family],
                    log=shared,
                    on_event=emit,
                    timeout=timeout,
                    stop=stop,
                    sign_off=sign_offs,
                    signed_off_by=signed_off_by,
                    stop_when_complete=stop_when_complete,
                )
            result.state = "done"
        except StoppedBeforeStart:
            result.state, result.error = "stopped", "stopped before the run started"
        except LinkError as exc:
            result.state, result.error = "lost", str(exc)
        except WearkitError as exc:
            result.state, result.error = "error", str(exc)
        except Exception as exc:  # a bug must not stall the other boards until their deadline
            result.state, result.error = "error", f"{type(exc).__name__}: {exc}"
        emit(ev.BoardState(result.state, result.error).on(seat.name, seat.port))
        return result

    if not results:
        return results
    # One writer for every board: one transaction per half second for the classroom.
    shared = SharedLog(log) if log is not None else None
    try:
        with ThreadPoolExecutor(max_workers=len(results), thread_name_prefix="board") as pool:
            return list(pool.map(one, results))
    finally:
        if shared is not None:
            shared.close()
