"""Two virtual micro:bits of one fleet talk by radio through the fleet's air folder."""

from __future__ import annotations

from pathlib import Path

from wearkit.boards import get_profile
from wearkit.link import SerialLink
from wearkit.sim import start_fleet

RECEIVE = """\
import time
got = None
t = time.ticks_ms()
while got is None and time.ticks_diff(time.ticks_ms(), t) < 5000:
    got = radio.receive()
    time.sleep_ms(20)
print(repr(got))
"""


def test_board_a_sends_and_board_b_receives(tmp_path: Path) -> None:
    with start_fleet(get_profile("microbit-v2"), 2, baud=None, folder=tmp_path) as fleet:
        a, b = fleet.boards
        assert a.air == b.air == tmp_path / "air"
        with SerialLink(a.port) as link_a, SerialLink(b.port) as link_b:
            link_b.exec("import radio\nradio.config(group=5)\nradio.on()")
            link_a.exec("import radio\nradio.config(group=5)\nradio.on()")
            link_a.exec(f"radio.send('hello from {a.name}')")
            assert link_b.exec(RECEIVE, timeout=15).strip() == repr(f"hello from {a.name}")
            assert link_a.eval("radio.receive()") is None  # a radio does not hear itself
            link_b.exec("radio.send('hi back')")
            assert link_a.exec(RECEIVE, timeout=15).strip() == "'hi back'"
