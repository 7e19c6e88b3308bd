"""Provisioning from the dashboard: POST /api/provision on a real engine and virtual boards."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.web.conftest import free_board, post, wait_for
from wearkit.classroom.engine import Engine
from wearkit.sim import Fleet


def test_provision_all_puts_the_runtime_and_name_on_every_free_board(
    client: FlaskClient, engine: Engine, fleet: Fleet
) -> None:
    micro = free_board(engine, "microbit-v2")
    cpx = free_board(engine, "cpx")
    board = next(b for b in fleet.boards if b.name == micro)
    for file in ("kit.py", "kitver.txt", "kitcfg.txt"):  # as if it came out of the box
        (board.flash_dir / file).unlink(missing_ok=True)
    watch, _ = engine.bus.subscribe(board=micro)
    try:
        assert "Provision all" in client.get("/").get_data(as_text=True)
        answer = post(client, "/api/provision", {"board": "all"})
        assert answer.status_code == 202
        queued = {b["name"]: b for b in answer.get_json()["boards"]}
        assert set(queued) == {micro, cpx}
        assert {b["state"] for b in queued.values()} == {"installing"}
        assert "installing" in queued[micro]["problem"].lower()

        wait_for(
            lambda: all(engine.board(n)["state"] == "ready" for n in (micro, cpx)),
            what="both boards ready",
        )
        seen = [p.data for p in watch.get(1)]
    finally:
        watch.close()
    assert (board.flash_dir / "kit.py").is_file() and (board.flash_dir / "kitver.txt").is_file()
    # Its own name, and the first radio pair's group (it is the only radio board here).
    assert (board.flash_dir / "kitcfg.txt").read_text().split() == [micro, "1"]
    assert any(e["event"] == "runtime" and e["file"] == "kit.py" for e in seen), seen
    states = [e["status"]["state"] for e in seen if e["event"] == "board"]
    assert "installing" in states and states[-1] == "ready"
    assert engine.board(micro)["problem"] == ""


def test_a_running_board_is_refused_by_name_and_skipped_by_all(
    client: FlaskClient, engine: Engine
) -> None:
    cpx = free_board(engine, "cpx")
    micro = free_board(engine, "microbit-v2")
    run = post(client, "/api/runs", {"board": cpx, "activity": "fever-patch"}).get_json()["runs"]
    try:
        refused = post(client, "/api/provision", {"board": cpx})
        assert refused.status_code == 409
        assert refused.get_json()["field"] == "board"
        assert cpx in refused.get_json()["error"] and "stop its run" in refused.get_json()["error"]
        everyone = post(client, "/api/provision", {"board": "all"}).get_json()["boards"]
        assert [b["name"] for b in everyone] == [micro]
        assert engine.board(cpx)["state"] == "running"
    finally:
        post(client, f"/api/runs/{run[0]['id']}/stop")
    wait_for(lambda: engine.board(micro)["state"] == "ready", what="the micro:bit ready")
    wait_for(lambda: engine.board(cpx)["state"] != "running", what="the run to stop")


def test_bad_provision_requests_name_the_field(client: FlaskClient, engine: Engine) -> None:
    cases: list[tuple[object, int, str]] = [
        (None, 400, "body"),
        ({}, 422, "board"),
        ({"board": []}, 422, "board"),
        ({"board": 3}, 422, "board"),
        ({"board": "NOPE"}, 404, "board"),
    ]
    for body, status, field in cases:
        answer = post(client, "/api/provision", body)
        assert (answer.status_code, answer.get_json()["field"]) == (status, field), body
    assert client.post("/api/provision", json={"board": "all"}).status_code == 403  # no CSRF
