"""A Blinka board in a classroom run beside a serial virtual board, and in the lists."""

from __future__ import annotations

from pathlib import Path

from wearkit.activities import load_catalogue
from wearkit.blinkaports import boards_seen
from wearkit.boards import get_profile, load_profiles
from wearkit.classroom import Seat, start_activity
from wearkit.classroom import events as ev
from wearkit.discovery import find_boards
from wearkit.sim import start_fleet
from wearkit.store import open_store


def test_a_blinka_board_beside_a_serial_board_in_one_run(tmp_path: Path) -> None:
    activity = next(a for a in load_catalogue() if a.slug == "step-counter")
    store = open_store(f"sqlite:///{tmp_path / 'class.db'}")
    fleet = start_fleet(
        [get_profile("blinka-pi"), get_profile("microbit-v2")], 2, baud=None, speed=20,
        scenario=activity.scenarios["pass"], folder=tmp_path / "b",
    )  # fmt: skip
    readings: dict[str, int] = {}

    def watch(event: ev.Event) -> None:
        if event.kind == "reading" and event.board:
            readings[event.board] = readings.get(event.board, 0) + 1

    try:
        blinka, serial = fleet.boards
        assert blinka.port.startswith("blinka:blinka-pi?sim=") and serial.port.startswith("/dev/")
        listed = {b.port: b for b in find_boards(load_profiles())}
        assert listed[blinka.port].family == "blinka-pi" and serial.port in listed
        seats = [
            Seat(blinka.port, "blinka-pi", blinka.name, "ref-pi"),
            Seat(serial.port, "microbit-v2", serial.name, "ref-mb"),
        ]
        results = start_activity(
            seats, activity, profiles=load_profiles(), log=store, on_event=watch,
            sign_off=[t.id for t in activity.tasks if t.by_facilitator],
        )  # fmt: skip
    finally:
        fleet.close()
    assert [(r.seat.family, r.state, r.outcome and r.outcome.complete) for r in results] == [
        ("blinka-pi", "done", True),
        ("microbit-v2", "done", True),
    ]
    assert readings.get(blinka.name, 0) > 0 and readings.get(serial.name, 0) > 0
    assert sorted(c.learner for c in store.completions()) == ["ref-mb", "ref-pi"]


def test_the_port_source_finds_adapters_and_a_pi() -> None:
    profiles = load_profiles()
    ft232h = (0x0403, 0x6014, "FT7ABCDE")
    other = (0x0D28, 0x0204, "9904360259F4E0E5")  # a micro:bit is no Blinka board
    found = boards_seen(profiles, [other, ft232h], "Raspberry Pi 4 Model B Rev 1.4")
    assert [(b.port, b.family, b.kind, b.detail) for b in found] == [
        ("blinka:blinka-ft232h", "blinka-ft232h", "blinka", "0403:6014"),
        ("blinka:blinka-pi", "blinka-pi", "blinka", "Raspberry Pi 4 Model B Rev 1.4"),
    ]
    assert found[0].name == "ABCDE"  # the end of the adapter's serial number
    assert boards_seen(profiles, [(0x04D8, 0x00DD, "")], "")[0].family == "blinka-mcp2221"
    assert boards_seen(profiles, [other], "Some laptop") == []
