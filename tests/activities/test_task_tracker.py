"""Checking a run's tasks from its frames (wearkit.activities.TaskTracker)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from wearkit.activities import Activity, TaskTracker, load_activity
from wearkit.errors import ActivityError

MakeActivity = Callable[..., Path]
MakeFrame = Callable[..., Any]


@pytest.fixture
def activity(make_activity: MakeActivity) -> Activity:
    """Tasks: steps >= 20, reaction_ms <= 300, light change -0.5, goal x2 within 30 s,
    and a facilitator sign-off 'explain'."""
    return load_activity(make_activity())


def states(tracker: TaskTracker) -> dict[str, str]:
    return {s.task.id: s.state for s in tracker.status()}


def test_at_least(activity: Activity, frame: MakeFrame) -> None:
    tracker = TaskTracker(activity)
    assert tracker.feed(frame("report", 1000, "steps", 12)) == []
    assert tracker.status()[0].detail == "steps 12 of 20"
    updates = tracker.feed(frame("report", 6000, "steps", 20))
    assert [(u.task.id, u.state, u.t_ms, u.elapsed_ms) for u in updates] == [
        ("steps", "done", 6000, 5000)
    ]
    assert updates[0].detail == "steps 20 of 20 (at 5.0 s)"


def test_at_most(activity: Activity, frame: MakeFrame) -> None:
    tracker = TaskTracker(activity)
    tracker.feed(frame("report", 0, "reaction_ms", 420))
    assert tracker.state("fast") == "pending"
    assert tracker.status()[1].detail == "reaction ms 420 ms, needs 300 ms or less"
    assert [u.task.id for u in tracker.feed(frame("report", 10, "reaction_ms", 300))] == ["fast"]


def test_event_count(activity: Activity, frame: MakeFrame) -> None:
    tracker = TaskTracker(activity)
    assert tracker.feed(frame("event", 0, "goal")) == []
    assert tracker.status()[3].detail == "goal: 1 of 2 within 30 s"
    tracker.feed(frame("event", 100, "other"))
    assert tracker.state("goal") == "pending"
    assert [u.task.id for u in tracker.feed(frame("event", 200, "goal"))] == ["goal"]


def test_change_down(activity: Activity, frame: MakeFrame) -> None:
    tracker = TaskTracker(activity)
    tracker.feed(frame("report", 0, "light", 120))
    tracker.feed(frame("report", 1000, "light", 80))
    assert tracker.state("dark") == "pending"
    assert tracker.status()[2].detail == "light down 33.3%, needs down 50%"
    tracker.feed(frame("report", 2000, "light", 200))  # brighter never counts as darker
    assert tracker.state("dark") == "pending"
    assert [u.task.id for u in tracker.feed(frame("report", 3000, "light", 60))] == ["dark"]


def test_change_up_and_from_zero(
    make_activity: MakeActivity, minimal_toml: str, frame: MakeFrame
) -> None:
    activity = load_activity(make_activity(toml=minimal_toml.replace("-0.5", "0.2")))
    tracker = TaskTracker(activity)
    tracker.feed(frame("report", 0, "light", 100))
    tracker.feed(frame("report", 1, "light", 119))
    assert tracker.state("dark") == "pending"
    assert tracker.status()[2].detail == "light up 19%, needs up 20%"
    tracker.feed(frame("report", 2, "light", 120))
    assert tracker.state("dark") == "done"
    from_zero = TaskTracker(activity)
    from_zero.feed(frame("report", 0, "light", 0))
    from_zero.feed(frame("report", 1, "light", -5))
    assert from_zero.state("dark") == "pending"
    from_zero.feed(frame("report", 2, "light", 1))
    assert from_zero.state("dark") == "done"


def with_within(toml: str, task: str, within: int) -> str:
    """MINIMAL_TOML with ``within`` on task ``task`` instead of on 'goal'."""
    toml = toml.replace("count = 2\nwithin = 30\n", "count = 2\n")
    head, tail = toml.split(f'id = "{task}"\n')
    table, rest = tail.split("\n\n", 1)
    return f'{head}id = "{task}"\n{table}\nwithin = {within}\n\n{rest}'


def test_events_within_any_window_a_late_start_still_passes(
    activity: Activity, frame: MakeFrame
) -> None:
    # The script started at 0; the student straps the board on 50 s later.
    tracker = TaskTracker(activity)
    tracker.feed(frame("hello", 0))
    assert tracker.feed(frame("event", 50_000, "goal")) == []
    assert tracker.status()[3].detail == "goal: 1 of 2 within 30 s"
    updates = tracker.feed(frame("event", 79_000, "goal"))
    assert [(u.task.id, u.state, u.elapsed_ms) for u in updates] == [("goal", "done", 79_000)]
    assert updates[0].detail == "goal: 2 of 2 within 30 s (at 79.0 s)"


def test_events_spread_over_more_than_the_window_do_not_count(
    activity: Activity, frame: MakeFrame
) -> None:
    tracker = TaskTracker(activity)
    tracker.feed(frame("event", 0, "goal"))
    assert tracker.feed(frame("event", 30_001, "goal")) == []  # 30.001 s apart
    assert tracker.state("goal") == "pending"
    assert tracker.status()[3].detail == "goal: 1 of 2 within 30 s"
    tracker.feed(frame("sample", 61_000, value={"x": 1}))
    assert tracker.status()[3].detail == "goal: 0 of 2 within 30 s (best 1)"
    updates = tracker.finish()
    assert [(u.task.id, u.state) for u in updates if u.task.id == "goal"] == [("goal", "failed")]
    assert tracker.status()[3].detail == "the run ended: goal: 0 of 2 within 30 s (best 1)"


def test_the_event_window_is_inclusive(activity: Activity, frame: MakeFrame) -> None:
    tracker = TaskTracker(activity)
    tracker.feed(frame("event", 1_000, "goal"))
    assert [u.state for u in tracker.feed(frame("event", 31_000, "goal"))] == ["done"]


def test_three_events_within_thirty_seconds_anywhere_in_the_run(
    make_activity: MakeActivity, minimal_toml: str, frame: MakeFrame
) -> None:
    toml = minimal_toml.replace("count = 2\nwithin = 30", "count = 3\nwithin = 30")
    activity = load_activity(make_activity(toml=toml))
    tracker = TaskTracker(activity)
    tracker.feed(frame("hello", 0))
    for t in (5_000, 20_000, 40_000):  # 35 s from first to third: not yet
        assert tracker.feed(frame("event", t, "goal")) == []
    assert tracker.status()[3].detail == "goal: 2 of 3 within 30 s"
    updates = tracker.feed(frame("event", 41_200, "goal"))  # 20, 40, 41.2: 21.2 s
    assert [u.detail for u in updates] == ["goal: 3 of 3 within 30 s (at 41.2 s)"]


def test_a_metric_is_timed_from_its_first_progress(
    make_activity: MakeActivity, minimal_toml: str, frame: MakeFrame
) -> None:
    activity = load_activity(make_activity(toml=with_within(minimal_toml, "steps", 60)))
    tracker = TaskTracker(activity)
    tracker.feed(frame("hello", 0))
    tracker.feed(frame("report", 10, "steps", 0))
    tracker.feed(frame("report", 90_000, "steps", 0))  # no progress: the clock has not started
    assert tracker.status()[0].detail == "steps 0 of 20"
    tracker.feed(frame("report", 100_000, "steps", 1))  # the first step starts it
    assert tracker.status()[0].detail == "steps 1 of 20, by 160.0 s"
    updates = tracker.feed(frame("report", 160_000, "steps", 20))  # inclusive
    assert [(u.task.id, u.state, u.detail) for u in updates] == [
        ("steps", "done", "steps 20 of 20 (at 160.0 s)")
    ]


def test_a_metric_fails_when_its_time_from_the_first_progress_runs_out(
    make_activity: MakeActivity, minimal_toml: str, frame: MakeFrame
) -> None:
    activity = load_activity(make_activity(toml=with_within(minimal_toml, "steps", 60)))
    tracker = TaskTracker(activity)
    tracker.feed(frame("hello", 0))
    tracker.feed(frame("report", 500, "steps", 0))
    tracker.feed(frame("report", 12_300, "steps", 1))
    tracker.feed(frame("report", 70_000, "steps", 19))
    # A frame of another kind past the deadline fails it.
    updates = tracker.feed(frame("sample", 72_301, value={"x": 1}))
    assert [(u.task.id, u.state) for u in updates] == [("steps", "failed")]
    assert tracker.status()[0].detail == (
        "not done within 60 s of its first progress (12.3 s): steps 19 of 20"
    )
    tracker.feed(frame("report", 72_400, "steps", 25))
    assert tracker.state("steps") == "failed"


def test_at_most_and_change_start_their_clock_on_a_move_toward_the_goal(
    make_activity: MakeActivity, minimal_toml: str, frame: MakeFrame
) -> None:
    toml = with_within(with_within(minimal_toml, "fast", 10), "dark", 10)
    activity = load_activity(make_activity(toml=toml))
    tracker = TaskTracker(activity)
    tracker.feed(frame("report", 0, "reaction_ms", 420))
    tracker.feed(frame("report", 0, "light", 120))
    tracker.feed(frame("report", 5_000, "reaction_ms", 500))  # away from the goal
    tracker.feed(frame("report", 5_000, "light", 130))  # brighter: away from dark
    assert tracker.status()[1].detail == "reaction ms 420 ms, needs 300 ms or less"
    tracker.feed(frame("report", 20_000, "reaction_ms", 400))
    assert [u.task.id for u in tracker.feed(frame("report", 29_000, "reaction_ms", 290))] == [
        "fast"
    ]
    tracker.feed(frame("report", 50_000, "light", 100))
    assert tracker.status()[2].detail == "light down 16.7%, needs down 50%, by 60.0 s"
    updates = tracker.feed(frame("report", 60_001, "light", 60))
    assert [(u.task.id, u.state) for u in updates] == [("dark", "failed")]


def test_a_metric_met_at_its_first_report_is_done_at_once(
    make_activity: MakeActivity, minimal_toml: str, frame: MakeFrame
) -> None:
    activity = load_activity(make_activity(toml=with_within(minimal_toml, "steps", 5)))
    tracker = TaskTracker(activity)
    tracker.feed(frame("hello", 0))
    assert [u.state for u in tracker.feed(frame("report", 40_000, "steps", 20))] == ["done"]


def test_facilitator_sign_off(activity: Activity) -> None:
    tracker = TaskTracker(activity)
    update = tracker.sign_off("explain", by="Ms Rao")
    assert update is not None and update.state == "done" and update.by == "Ms Rao"
    assert update.detail == "signed off by Ms Rao"
    assert tracker.sign_off("explain", by="Mr Lee") is None
    assert tracker.status()[4].detail == "signed off by Ms Rao"
    with pytest.raises(ActivityError, match="checked by the board"):
        tracker.sign_off("steps", by="Ms Rao")
    with pytest.raises(ActivityError, match="no task 'nope'"):
        tracker.sign_off("nope", by="Ms Rao")
    with pytest.raises(ActivityError, match="who signs it off"):
        TaskTracker(activity).sign_off("explain", by=" ")


def test_complete_only_when_every_task_is_done(activity: Activity, frame: MakeFrame) -> None:
    tracker = TaskTracker(activity)
    for f in [
        frame("hello", 0),
        frame("report", 100, "steps", 25),
        frame("report", 200, "reaction_ms", 250),
        frame("report", 300, "light", 100),
        frame("report", 400, "light", 40),
        frame("event", 500, "goal"),
        frame("event", 600, "goal"),
    ]:
        tracker.feed(f)
        assert not tracker.complete
    assert tracker.board_tasks_complete
    assert states(tracker)["explain"] == "pending"
    tracker.sign_off("explain", by="Ms Rao")
    assert tracker.complete


def test_done_stays_done(activity: Activity, frame: MakeFrame) -> None:
    tracker = TaskTracker(activity)
    tracker.feed(frame("report", 0, "steps", 20))
    tracker.feed(frame("report", 100, "steps", 3))
    tracker.feed(frame("report", 200, "reaction_ms", 900))
    assert tracker.feed(frame("report", 300, "steps", 30)) == []
    tracker.finish()
    assert states(tracker)["steps"] == "done"


def test_finish_fails_unfinished_board_tasks_but_not_sign_offs(
    activity: Activity, frame: MakeFrame
) -> None:
    tracker = TaskTracker(activity)
    tracker.feed(frame("report", 0, "steps", 20))
    updates = tracker.finish()
    assert [(u.task.id, u.state) for u in updates] == [
        ("fast", "failed"), ("dark", "failed"), ("goal", "failed")
    ]  # fmt: skip
    assert states(tracker) == {
        "steps": "done", "fast": "failed", "dark": "failed", "goal": "failed",
        "explain": "pending",
    }  # fmt: skip
    assert tracker.status()[1].detail.startswith("the run ended: ")
    assert tracker.finish() == []
    assert tracker.feed(frame("report", 10, "reaction_ms", 1)) == []  # the run is over
    assert tracker.sign_off("explain", by="Ms Rao") is not None


def test_a_done_frame_ends_the_run(activity: Activity, frame: MakeFrame) -> None:
    tracker = TaskTracker(activity)
    tracker.feed(frame("report", 0, "steps", 20))
    updates = tracker.feed(frame("done", 5000))
    assert {u.task.id for u in updates} == {"fast", "dark", "goal"}
    assert tracker.finished


def test_unknown_frames_and_values_are_ignored(activity: Activity, frame: MakeFrame) -> None:
    tracker = TaskTracker(activity)
    assert tracker.feed(frame("gibberish", 0, "steps", 100)) == []
    assert tracker.started_ms is None  # unknown kinds do not even start the clock
    for f in [
        frame("report", 0, "unknown_metric", 100),
        frame("report", 1, "steps", "lots"),
        frame("report", 2, "steps", True),
        frame("report", 3, "steps", None),
        frame("report", 4, "steps", float("nan")),
        frame("event", 5, "not_declared"),
        frame("sample", 6, value={"steps": 100}),
        frame("report", 7, None, 100),
    ]:
        assert tracker.feed(f) == []
    assert all(s.state == "pending" for s in tracker.status())
    assert tracker.status()[0].detail == "steps - of 20"


def test_status_before_any_frame(activity: Activity) -> None:
    details = [s.detail for s in TaskTracker(activity).status()]
    assert details == [
        "steps - of 20",
        "reaction ms -, needs 300 ms or less",
        "light not read yet, needs down 50%",
        "goal: 0 of 2 within 30 s",
        "waiting for a facilitator to sign it off",
    ]
