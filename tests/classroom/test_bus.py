"""The event bus: every subscriber at its own pace, nothing but old readings ever lost."""

from __future__ import annotations

import threading
import time

from wearkit.classroom import events as ev
from wearkit.classroom.bus import RING, EventBus


def _task(board: str, task: str) -> ev.Event:
    return ev.TaskChanged(task, task, "done", "").on(board, "/dev/x")


def _reading(board: str, t_ms: int) -> ev.Event:
    return ev.Reading(t_ms, {"light": t_ms}).on(board, "/dev/x")


def test_a_slow_subscriber_loses_only_old_readings_and_keeps_every_task() -> None:
    bus = EventBus()
    fast, _ = bus.subscribe()
    slow, _ = bus.subscribe()
    got_fast = []
    for i in range(1000):
        bus.publish(_reading("a", i))
        if i % 100 == 0:
            bus.publish(_task("a", f"t{i}"))
        got_fast += fast.get(0)
    late = slow.get(0)
    # The fast reader saw everything, in order.
    assert [p.n for p in got_fast] == list(range(1, 1011))
    # The slow one kept every task, and the newest readings (the last RING), in order.
    kinds = [p.data["event"] for p in late]
    assert kinds.count("task") == 10
    readings = [p.data["t_ms"] for p in late if p.data["event"] == "reading"]
    assert readings == list(range(1000 - RING, 1000))
    assert [p.n for p in late] == sorted(p.n for p in late)
    assert slow.dropped == 1000 - RING


def test_readings_ring_per_board_so_a_busy_board_never_hides_a_quiet_one() -> None:
    bus = EventBus()
    sub, _ = bus.subscribe()
    bus.publish(_reading("quiet", 1))
    for i in range(500):
        bus.publish(_reading("busy", i))
    boards = {p.data["board"] for p in sub.get(0)}
    assert boards == {"quiet", "busy"}


def test_resuming_with_the_last_id_replays_what_was_missed() -> None:
    bus = EventBus()
    first, _ = bus.subscribe()
    bus.publish(_task("a", "one"))
    last = first.get(0)[-1].id
    first.close()
    bus.publish(_reading("a", 5))
    bus.publish(_task("a", "two"))
    bus.publish(_task("b", "three"))
    again, resumed = bus.subscribe(last)
    assert resumed
    assert [p.data["id"] for p in again.get(0)] == ["two", "three"]  # tasks, not the reading


def test_an_id_from_another_server_or_too_old_is_not_resumed() -> None:
    bus = EventBus()
    _, resumed = bus.subscribe("abcdef-3")
    assert not resumed
    _, resumed = bus.subscribe("garbage")
    assert not resumed
    _, resumed = bus.subscribe(f"{bus.epoch}-999")  # from the future
    assert not resumed


def test_a_board_subscription_sees_only_that_board() -> None:
    bus = EventBus()
    mine, _ = bus.subscribe(board="a")
    bus.publish(_task("a", "x"))
    bus.publish(_task("b", "y"))
    bus.publish(_reading("b", 1))
    assert [p.data["board"] for p in mine.get(0)] == ["a"]


def test_publishing_never_waits_for_a_subscriber_and_get_wakes_at_once() -> None:
    bus = EventBus()
    sub, _ = bus.subscribe()
    idle = [bus.subscribe()[0] for _ in range(20)]  # subscribers that never read
    woke: list[float] = []

    def reader() -> None:
        items = sub.get(5)
        woke.append(time.monotonic())
        assert items

    thread = threading.Thread(target=reader)
    thread.start()
    time.sleep(0.2)
    sent = time.monotonic()
    for i in range(20000):
        bus.publish(_reading("a", i))
    thread.join(5)
    assert woke and woke[0] - sent < 1.0
    # What an idle subscriber holds stays bounded: the newest readings only.
    assert len(idle[0].get(0)) == RING
    assert bus.subscribers == 21
    sub.close()
    assert bus.subscribers == 20
