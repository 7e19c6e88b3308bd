"""The classroom: runs of activities on boards, their typed events, and group runs.

Layers below (activities, link, sim, provision) do the work; the CLI and the web app
call these functions and render the events.
"""

from wearkit.classroom.events import STREAM_VERSION, Event
from wearkit.classroom.group import SeatResult, start_activity
from wearkit.classroom.run import RunOutcome, Seat, deadline, run_activity

__all__ = [
    "STREAM_VERSION",
    "Event",
    "RunOutcome",
    "Seat",
    "SeatResult",
    "deadline",
    "run_activity",
    "start_activity",
]
