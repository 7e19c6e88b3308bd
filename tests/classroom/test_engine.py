"""The long-lived classroom engine on real virtual boards: hot-plug, states, runs, sign-offs."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from wearkit.activities import Activity, load_catalogue
from wearkit.boards import BoardProfile, load_profiles
from wearkit.classroom.bus import Subscription
from wearkit.classroom.engine import Engine, EngineError
from wearkit.discovery import FoundBoard, virtual_boards
from wearkit.sim import Fleet, start_fleet
from wearkit.store import Store, open_store


@pytest.fixture(scope="module")
def catalogue() -> dict[str, Activity]:
    return {a.slug: a for a in load_catalogue()}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path / 'class.db'}") as opened:
        yield opened


def _only(fleet: Fleet) -> Callable[[Mapping[str, BoardProfile], bool], list[FoundBoard]]:
    """The registered virtual boards of ``fleet`` (not those of other tests)."""
    names = {b.name for b in fleet.boards}

    def source(profiles: Mapping[str, BoardProfile], unknown: bool) -> list[FoundBoard]:
        return [b for b in virtual_boards(profiles, unknown) if b.name in names]

    return source


def _until(what: Callable[[], object], seconds: float = 20.0) -> object:
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        if value := what():
            return value
        time.sleep(0.05)
    raise AssertionError(f"not within {seconds} s")


def _state(engine: Engine, name: str) -> str:
    return str(engine.board(name)["state"])


def _events(sub: Subscription) -> list[dict[str, object]]:
    return [p.data for p in sub.get(0)]


def _engine(fleet: Fleet, catalogue: dict[str, Activity], store: Store | None) -> Engine:
    return Engine(
        load_profiles(), catalogue.values(), log=store, sources={"fleet": _only(fleet)}
    ).start()


def test_boards_are_found_probed_and_a_run_ends_waiting_for_its_sign_off(
    tmp_path: Path, catalogue: dict[str, Activity], store: Store
) -> None:
    profiles = load_profiles()
    night = catalogue["night-light"]
    fleet = start_fleet(
        [profiles["microbit-v2"], profiles["cpx"]], 2, baud=None, speed=20,
        scenario=night.scenarios["pass"], folder=tmp_path / "b",
    )  # fmt: skip
    engine = _engine(fleet, catalogue, store)
    sub, _ = engine.bus.subscribe()
    try:
        names = [b.name for b in fleet.boards]
        assert sorted(b["name"] for b in engine.boards()) == sorted(names)
        assert {b["family"] for b in engine.boards()} == {"microbit-v2", "cpx"}
        # A fresh board has no runtime yet: the probe says so, in words.
        _until(lambda: all(_state(engine, n) == "needs runtime" for n in names))
        assert "installed when you start" in engine.board(names[0])["problem"]

        (run_id,) = engine.start_runs([names[0]], "night-light", learners={names[0]: "wk-a1"})
        assert engine.board(names[0])["state"] == "running"
        run = _until(lambda: (r := engine.run(run_id))["state"] != "running" and r)
        assert isinstance(run, dict)
        # Every board task ticked; only the facilitator's sign-off is missing.
        assert run["state"] == "incomplete"
        assert [t["state"] for t in run["tasks"]] == ["done", "done", "done", "pending"]
        assert engine.board(names[0])["state"] == "ready"
        assert store.completions() == []

        # Signed off after the run: the badge is earned, on record, and on the dashboard.
        engine.sign_off(run_id, "sleeve", "Ms Patel")
        assert engine.run(run_id)["state"] == "complete"
        assert engine.board(names[0])["state"] == "complete"
        (completion,) = store.completions()
        assert (completion.board_name, completion.learner) == (names[0], "wk-a1")
        assert store.get_run(run["store_run"]).outcome == "complete"
        kinds = [e["event"] for e in _events(sub)]
        assert "reading" in kinds and "completed" in kinds
        assert kinds.index("started") < kinds.index("completed")
    finally:
        engine.close()
        fleet.close()


def test_an_unplugged_board_is_lost_within_2_s_keeps_its_tasks_and_comes_back(
    tmp_path: Path, catalogue: dict[str, Activity], store: Store
) -> None:
    night = catalogue["night-light"]
    fleet = start_fleet(
        load_profiles()["microbit-v2"], 1, baud=None, speed=1,
        scenario=night.scenarios["pass"], folder=tmp_path / "b",
    )  # fmt: skip
    board = fleet.boards[0]
    engine = _engine(fleet, catalogue, store)
    sub, _ = engine.bus.subscribe(board=board.name)
    try:
        _until(lambda: _state(engine, board.name) == "needs runtime")
        (run_id,) = engine.start_runs([board.name], "night-light")
        seen: list[dict[str, object]] = []
        _until(lambda: seen.extend(_events(sub)) or any(e["event"] == "task" for e in seen))
        board.unplug()
        unplugged = time.monotonic()
        _until(lambda: _state(engine, board.name) == "lost", 5)
        assert time.monotonic() - unplugged < 2.0
        lost = engine.board(board.name)
        assert "plug it in again" in lost["problem"].lower()
        assert lost["done"] >= 1  # the task done before the unplug is still shown done
        _until(lambda: engine.run(run_id)["state"] != "running", 10)
        store_run = engine.run(run_id)["store_run"]
        assert any(t.state == "done" for t in store.task_results(store_run))

        board.replug()
        _until(lambda: _state(engine, board.name) in ("ready", "needs runtime"), 10)
        assert engine.board(board.name)["port"] == board.port
    finally:
        engine.close()
        fleet.close()


def test_stopping_a_run_interrupts_it_at_once_and_the_board_takes_another(
    tmp_path: Path, catalogue: dict[str, Activity], store: Store
) -> None:
    night = catalogue["night-light"]
    fleet = start_fleet(
        load_profiles()["microbit-v2"], 1, baud=None, speed=1,
        scenario=night.scenarios["fail"], folder=tmp_path / "b",
    )  # fmt: skip
    name = fleet.boards[0].name
    engine = _engine(fleet, catalogue, store)
    sub, _ = engine.bus.subscribe()
    try:
        (run_id,) = engine.start_runs([name], "night-light")
        _until(lambda: any(e["event"] == "reading" for e in _events(sub)))
        # Signed off while the run goes on: ticked at once, by whom it says.
        engine.sign_off(run_id, "sleeve", "Mr Lee")
        sleeve = [t for t in engine.run(run_id)["tasks"] if t["id"] == "sleeve"]
        assert sleeve[0]["state"] == "done" and "Mr Lee" in sleeve[0]["detail"]
        asked = time.monotonic()
        engine.stop_run(run_id)
        _until(lambda: engine.run(run_id)["state"] == "interrupted", 10)
        assert time.monotonic() - asked < 5
        assert _state(engine, name) == "ready"
        (again,) = engine.start_runs([name], "night-light")
        assert again != run_id and _state(engine, name) == "running"
        engine.stop_board(name)
        _until(lambda: engine.run(again)["state"] == "interrupted", 10)
    finally:
        engine.close()
        fleet.close()


def test_bad_requests_name_the_field_and_start_nothing(
    tmp_path: Path, catalogue: dict[str, Activity]
) -> None:
    profiles = load_profiles()
    fleet = start_fleet(profiles["cpx"], 1, baud=None, folder=tmp_path / "b")
    name = fleet.boards[0].name
    engine = _engine(fleet, catalogue, None)
    try:
        cases: list[tuple[Callable[[], object], str, int]] = [
            (lambda: engine.start_runs([], "night-light"), "board", 422),
            (lambda: engine.start_runs(["nobody"], "night-light"), "board", 404),
            (lambda: engine.start_runs([name], "no-such-thing"), "activity", 404),
            # A Circuit Playground Express has no radio.
            (lambda: engine.start_runs([name], "radio-relay"), "board", 409),
            (
                lambda: engine.start_runs([name], "night-light", learners={name: "Amy Smith"}),
                "learner",
                422,
            ),
            (lambda: engine.run(99), "run", 404),
        ]
        for call, field, status in cases:
            with pytest.raises(EngineError) as caught:
                call()
            assert (caught.value.field, caught.value.status) == (field, status), str(caught.value)
        assert engine.runs() == []
        (run_id,) = engine.start_runs([name], "night-light")
        with pytest.raises(EngineError) as busy:
            engine.start_runs([name], "night-light")
        assert busy.value.status == 409 and "stop its run first" in str(busy.value)
        with pytest.raises(EngineError) as board_task:
            engine.sign_off(run_id, "cover")
        assert board_task.value.field == "task" and "checked by the board" in str(board_task.value)
    finally:
        engine.close()
        fleet.close()
