"""Radio groups per pair: a classroom of pairs runs a radio activity on one shared air,
and each board hears only its partner."""

from __future__ import annotations

from pathlib import Path

import pytest

from wearkit.activities import load_catalogue
from wearkit.boards import get_profile, load_profiles
from wearkit.classroom import Seat, start_activity
from wearkit.classroom import events as ev
from wearkit.classroom.group import pair_groups
from wearkit.sim import start_fleet


def _presses(times_a: list[float], time_b: float) -> str:
    """A scenario pressing button A at each of ``times_a`` and B at ``time_b`` (0.3 s each)."""
    rows = ["t,button_a,button_b", "0,0,0"]
    for t in times_a:
        rows += [f"{t},1,", f"{t + 0.3},0,"]
    rows += [f"{time_b},,1", f"{time_b + 0.3},,0"]
    return "\n".join(rows) + "\n"


def test_pairs_by_seat() -> None:
    seats = [Seat(f"/dev/p{i}", "microbit-v2", f"b{i}") for i in range(5)]
    assert [s.group for s in pair_groups(seats)] == [1, 1, 2, 2, 3]
    many = pair_groups(Seat(f"/dev/p{i}", "microbit-v2", f"b{i}") for i in range(512))
    assert (many[509].group, many[510].group) == (255, 1)  # 0 stays everyone's default


@pytest.mark.parametrize("family", ["microbit-v2", "esp32-wearable"])
def test_three_pairs_on_one_air_hear_only_their_partner(tmp_path: Path, family: str) -> None:
    """The first of each pair sends 3 times at 20-24 s and passes one on at 32 s; the second
    sends at 26-30 s and passes one on at 34 s. Every board then hears its partner's 4
    messages; on one group each would hear the other five boards' 20."""
    activity = next(a for a in load_catalogue() if a.slug == "radio-relay")
    first = tmp_path / "first.csv"
    first.write_text(_presses([20, 22, 24], 32))
    second = tmp_path / "second.csv"
    second.write_text(_presses([26, 28, 30], 34))
    fleet = start_fleet(get_profile(family), 6, baud=None, speed=4, folder=tmp_path / "air")
    received: dict[str, object] = {}

    def watch(event: ev.Event) -> None:
        if isinstance(event, ev.Report) and event.name == "received":
            assert event.board is not None
            received[event.board] = event.value

    try:
        for index, board in enumerate(fleet.boards):
            board.set_scenario(second if index % 2 else first)
        seats = [Seat(b.port, family, b.name) for b in fleet.boards]
        results = start_activity(
            seats, activity, profiles=load_profiles(), on_event=watch,
            sign_off=[t.id for t in activity.tasks if t.by_facilitator],
        )  # fmt: skip
    finally:
        fleet.close()
    assert [r.seat.group for r in results] == [1, 1, 2, 2, 3, 3]
    assert all(r.state == "done" and r.outcome and r.outcome.complete for r in results), [
        (r.seat.name, r.state, r.error, r.outcome and r.outcome.tasks) for r in results
    ]
    assert received == {b.name: 4 for b in fleet.boards}
