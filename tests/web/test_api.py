"""The JSON API on a real classroom of virtual boards: what the pages and scripts use."""

from __future__ import annotations

import csv
import io
import json

from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import free_board, post, wait_for
from wearkit.classroom.engine import Engine
from wearkit.classroom.events import BoardState, Console
from wearkit.sim import Fleet


def test_boards_lists_every_board_with_family_state_and_student(
    client: FlaskClient, app: Flask, engine: Engine
) -> None:
    name = free_board(engine, "cpx")
    post(client, "/api/roster", {"nickname": "RedFox", "board": name})
    boards = {b["name"]: b for b in client.get("/api/boards").get_json()["boards"]}
    assert {b["family"] for b in boards.values()} == {"microbit-v2", "cpx"}
    assert boards[name]["student"] == "RedFox"
    assert all(
        b["state"] in ("ready", "needs runtime", "complete", "running") for b in boards.values()
    )
    assert client.get(f"/api/boards/{name}").get_json()["student"] == "RedFox"
    missing = client.get("/api/boards/NOPE")
    assert missing.status_code == 404 and missing.get_json()["field"] == "board"


def test_activities_say_which_families_and_boards_can_run_them(
    client: FlaskClient, engine: Engine
) -> None:
    activities = {a["slug"]: a for a in client.get("/api/activities").get_json()["activities"]}
    micro = free_board(engine, "microbit-v2")
    cpx = free_board(engine, "cpx")
    night = activities["night-light"]
    assert {micro, cpx} <= set(night["supported_by"]["boards"])
    assert [t["id"] for t in night["tasks"] if t["facilitator"]] == ["sleeve"]
    radio = activities["radio-relay"]  # the Circuit Playground has no radio
    assert micro in radio["supported_by"]["boards"] and cpx not in radio["supported_by"]["boards"]
    assert "cpx" not in radio["supported_by"]["families"]


def test_bad_run_requests_name_the_field(client: FlaskClient, engine: Engine) -> None:
    cpx = free_board(engine, "cpx")
    cases = [
        (None, 400, "body"),
        ({"board": cpx}, 422, "activity"),
        ({"board": cpx, "activity": "no-such-thing"}, 404, "activity"),
        ({"board": 7, "activity": "night-light"}, 422, "board"),
        ({"board": [], "activity": "night-light"}, 422, "board"),
        ({"board": "NOPE", "activity": "night-light"}, 404, "board"),
        ({"board": cpx, "activity": "radio-relay"}, 409, "board"),
    ]
    for body, status, field in cases:
        answer = post(client, "/api/runs", body)
        assert (answer.status_code, answer.get_json()["field"]) == (status, field), body
        assert answer.get_json()["error"]
    assert client.get("/api/runs/999").status_code == 404
    assert client.get("/api/runs/999").get_json()["field"] == "run"
    assert post(client, "/api/runs/999/stop").status_code == 404
    assert client.get("/api/runs/abc").is_json  # JSON even for Flask's own 404


def test_a_run_completes_from_the_sliders_and_a_sign_off_and_is_exported(
    client: FlaskClient, engine: Engine, fleet: Fleet
) -> None:
    name = free_board(engine, "microbit-v2")
    board = next(b for b in fleet.boards if b.name == name)
    learner = post(client, "/api/roster", {"nickname": "Sam J", "board": name}).get_json()
    ref = next(s["learner"] for s in learner["students"] if s["nickname"] == "Sam J")
    assert post(client, "/api/sim/" + name + "/sensors", {"light": 120}).status_code == 200

    started = post(client, "/api/runs", {"board": name, "activity": "night-light"})
    assert started.status_code == 201
    run = started.get_json()["runs"][0]
    assert (run["board"], run["learner"], run["state"]) == (name, ref, "running")
    conflict = post(client, "/api/runs", {"board": [name], "activity": "night-light"})
    assert conflict.status_code == 409 and conflict.get_json()["field"] == "board"

    def task(task_id: str) -> str:
        tasks = client.get(f"/api/runs/{run['id']}").get_json()["tasks"]
        return str(next(t["state"] for t in tasks if t["id"] == task_id))

    wait_for(lambda: engine.board(name)["latest"], what="the first reading")
    post(client, f"/api/sim/{name}/sensors", {"light": 5})
    wait_for(lambda: task("lights-on") == "done", what="lights on")
    post(client, f"/api/sim/{name}/sensors", {"light": 200})
    wait_for(lambda: task("lights-off") == "done", what="lights off")
    assert task("cover") == "done" and task("sleeve") == "pending"

    wrong = post(client, f"/api/runs/{run['id']}/signoff", {"task": "nope"})
    assert wrong.status_code == 422 and wrong.get_json()["field"] == "task"
    empty = post(client, f"/api/runs/{run['id']}/signoff", {})
    assert empty.status_code == 422 and empty.get_json()["field"] == "task"
    signed = post(client, f"/api/runs/{run['id']}/signoff", {"task": "sleeve"})
    assert signed.status_code == 200
    wait_for(
        lambda: client.get(f"/api/runs/{run['id']}").get_json()["state"] == "complete",
        what="the run to complete",
    )
    board.set_live(light=None)

    rows = client.get("/api/completions").get_json()["completions"]
    mine = [r for r in rows if r["learner"] == ref]
    assert len(mine) == 1
    assert (mine[0]["activity"], mine[0]["board"], mine[0]["nickname"]) == (
        "night-light",
        name,
        "Sam J",
    )

    exported = client.get("/api/completions?format=csv")
    assert exported.mimetype == "text/csv"
    assert "attachment" in exported.headers["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    row = next(r for r in table if r["learner"] == ref)
    assert (row["badge"], row["nickname"], row["board"]) == ("Light Sensor", "Sam J", name)
    assert client.get("/api/completions?format=xml").get_json()["field"] == "format"
    page = client.get("/completions").get_data(as_text=True)
    assert "Sam J" in page and "Light Sensor" in page


def test_stopping_a_run_keeps_it_on_record_as_interrupted(
    client: FlaskClient, engine: Engine
) -> None:
    name = free_board(engine, "cpx")
    run = post(client, "/api/runs", {"board": name, "activity": "fever-patch"}).get_json()["runs"][
        0
    ]
    stopped = post(client, f"/api/runs/{run['id']}/stop")
    assert stopped.status_code == 200
    wait_for(
        lambda: client.get(f"/api/runs/{run['id']}").get_json()["state"] == "interrupted",
        what="the run to stop",
    )
    assert engine.board(name)["state"] != "running"


def test_sim_sensor_values_are_checked_and_name_the_field(
    client: FlaskClient, engine: Engine
) -> None:
    name = free_board(engine, "cpx")
    for body, field in [
        ({"lux": 3}, "lux"),
        ({"light": 900}, "light"),
        ({"button_a": 2}, "button_a"),
        ({"temp": "hot"}, "temp"),
        ({}, "body"),
    ]:
        answer = post(client, f"/api/sim/{name}/sensors", body)
        assert answer.status_code == 422 and answer.get_json()["field"] == field, body
    assert post(client, "/api/sim/NOPE/sensors", {"light": 3}).status_code == 404
    ok = post(client, f"/api/sim/{name}/sensors", {"light": 30, "temp": None})
    assert ok.get_json()["live"]["light"] == 30
    post(client, f"/api/sim/{name}/sensors", {"light": None})
    walking = post(client, f"/api/sim/{name}/walk")
    assert walking.status_code == 202 and walking.get_json()["seconds"] > 0


def test_an_unplugged_board_is_lost_within_two_seconds_and_comes_back(
    client: FlaskClient, engine: Engine
) -> None:
    name = free_board(engine, "cpx")
    assert post(client, f"/api/sim/{name}/unplug").status_code == 202
    wait_for(lambda: engine.board(name)["state"] == "lost", what="lost", timeout=2.0)
    board = client.get(f"/api/boards/{name}").get_json()
    assert "plug it in again" in board["problem"].lower()
    assert post(client, f"/api/sim/{name}/unplug").status_code == 409
    assert post(client, f"/api/sim/{name}/replug").status_code == 202
    wait_for(lambda: engine.board(name)["state"] not in ("lost", "connected"), what="back")


def _events(client: FlaskClient, url: str, headers: dict[str, str] | None = None) -> list[str]:
    """The first chunks of an event stream (then the client goes away)."""
    response = client.get(url, headers=headers or {}, buffered=False)
    assert response.mimetype == "text/event-stream"
    stream = iter(response.response)
    chunks = [next(stream).decode(), next(stream).decode()]
    response.close()
    return chunks


def test_the_event_stream_starts_with_a_snapshot_and_resumes_without_one(
    client: FlaskClient, engine: Engine
) -> None:
    first = _events(client, "/api/events")
    assert first[0].startswith("retry:")
    assert first[1].startswith("event: snapshot\n")
    snapshot = json.loads(first[1].split("data: ", 1)[1])
    assert {b["name"] for b in snapshot["boards"]} == {b["name"] for b in engine.boards()}

    name = free_board(engine, "cpx")
    # What a client missed while away (a state event, never dropped) comes first on resume.
    missed = engine.bus.publish(BoardState("error", "a test").on(name, "port"))
    engine.bus.publish(Console("a console line is not replayed").on(name, "port"))
    last_seen = f"{engine.bus.epoch}-{missed.n - 1}"
    resumed = _events(client, "/api/events", {"Last-Event-ID": last_seen})
    assert "snapshot" not in resumed[1]
    assert resumed[1].startswith(f"id: {missed.id}\n") and '"error":"a test"' in resumed[1]
    assert "console line" not in resumed[1]

    only = _events(client, f"/api/events?board={name}")
    boards = json.loads(only[1].split("data: ", 1)[1])["boards"]
    assert [b["name"] for b in boards] == [name]
    assert client.get("/api/events?board=NOPE").status_code == 404


def test_every_page_renders_for_the_facilitator(client: FlaskClient, engine: Engine) -> None:
    name = free_board(engine, "microbit-v2")
    for url, text in [
        ("/", name),
        (f"/boards/{name}", "Live readings"),
        ("/activities", "Night-light sleeve"),
        ("/session", "Class code"),
        ("/completions", "Completions"),
    ]:
        page = client.get(url)
        assert page.status_code == 200, url
        assert text in page.get_data(as_text=True), url
    assert client.get("/boards/NOPE").status_code == 404
