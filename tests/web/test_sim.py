"""The virtual boards' panel moves a real virtual board: a walk is counted as steps."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.conftest import load_profiles, post, wait_for
from wearkit.activities.catalogue import load_catalogue
from wearkit.classroom.engine import Engine
from wearkit.classroom.roster import Roster
from wearkit.discovery import FoundBoard
from wearkit.sim import start_fleet
from wearkit.store import open_store
from wearkit.web import create_app


@pytest.fixture
def walker(tmp_path: Path) -> Iterator[tuple[Engine, str, object]]:
    """One micro:bit v2 at real speed (a walk is fed in real time), its engine and app."""
    profiles = load_profiles()
    with start_fleet([profiles["microbit-v2"]], 1, baud=None, folder=tmp_path / "b") as fleet:
        board = fleet.boards[0]
        source = {
            "one": lambda _p, _u: [FoundBoard(board.port, "microbit-v2", board.name, "virtual")]
        }
        with open_store(f"sqlite:///{tmp_path / 's.db'}") as store:
            engine = Engine(profiles, load_catalogue(), log=store, sources=source).start()
            try:
                app = create_app(
                    engine, store, fleet=fleet, roster=Roster(), config={"TESTING": True}
                )
                yield engine, board.name, app.test_client()
            finally:
                engine.close()


def test_walking_a_virtual_board_counts_steps(walker: tuple[Engine, str, object]) -> None:
    engine, name, client = walker
    wait_for(lambda: engine.board(name)["state"] != "connected", what="the probe")
    run = engine.start_runs([name], "step-counter")[0]
    wait_for(lambda: engine.board(name)["latest"], what="the first reading")
    answer = post(client, f"/api/sim/{name}/walk")  # type: ignore[arg-type]
    assert answer.status_code == 202

    def twenty_steps() -> bool:
        tasks = {t["id"]: t["state"] for t in engine.run(run)["tasks"]}
        return tasks["twenty-steps"] == "done"

    # 24 steps in 12 s: each one must reach the board (live values changing many times a
    # second, each seen), or the count falls short of 20.
    wait_for(twenty_steps, what="twenty steps", timeout=25)
    engine.stop_run(run)
