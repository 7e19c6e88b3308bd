"""Noise of every byte value on the line mid-run never flips a verdict."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from wearkit.activities import load_catalogue
from wearkit.boards import get_profile
from wearkit.classroom import Seat, deadline, run_activity
from wearkit.classroom import events as ev
from wearkit.link import open_link
from wearkit.sim import start_fleet

# Five activities, each on its pass and its fail scenario: ten runs.
CASES = [
    (slug, scenario)
    for slug in ("step-counter", "night-light", "fever-patch", "reaction-timer", "high-five")
    for scenario in ("pass", "fail")
]
SPEED = 20


@pytest.mark.timeout(240)
@pytest.mark.parametrize(("slug", "scenario"), CASES)
def test_noise_bursts_mid_run_leave_the_verdict_unchanged(
    slug: str, scenario: str, tmp_path: Path
) -> None:
    activity = next(a for a in load_catalogue() if a.slug == slug)
    profile = get_profile("microbit-v2")
    noisy = {"bursts": 0}
    with start_fleet(profile, 1, baud=115200, speed=SPEED, folder=tmp_path / "b",
                     scenario=activity.scenarios[scenario]) as fleet:  # fmt: skip
        board = fleet.boards[0]
        stop_noise = threading.Event()

        def make_noise() -> None:
            # Mid-run: a burst every 0.15 s for the first second of a run of 1.5 to 3 s.
            for _burst in range(7):
                if stop_noise.wait(0.15):
                    return
                board.inject_noise(count=24)  # bytes of every value but Ctrl-C
                noisy["bursts"] += 1

        def start_noise(event: ev.Event) -> None:
            if isinstance(event, ev.Started):
                threading.Thread(target=make_noise, daemon=True).start()

        with open_link(board.port) as link:
            try:
                outcome = run_activity(
                    link, activity, seat=Seat(board.port, profile.id, board.name),
                    profile=profile, on_event=start_noise,
                    sign_off=[t.id for t in activity.tasks if t.by_facilitator],
                    timeout=deadline(activity, SPEED),
                )  # fmt: skip
            finally:
                stop_noise.set()
    assert noisy["bursts"] >= 3
    assert outcome.complete == (scenario == "pass"), (outcome.tasks, outcome.traceback)
    assert outcome.outcome in ("complete", "incomplete") and not outcome.traceback
