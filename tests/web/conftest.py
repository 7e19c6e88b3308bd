"""Fixtures for the web app: a real classroom engine on real virtual boards, Flask clients."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from wearkit import paths
from wearkit.activities.catalogue import load_catalogue
from wearkit.boards import BoardProfile, load_profile
from wearkit.classroom.engine import Engine
from wearkit.classroom.roster import Roster
from wearkit.discovery import FoundBoard
from wearkit.sim import Fleet, start_fleet
from wearkit.store import Store, open_store
from wearkit.web import create_app

PASSCODE = "teacher-42"
SCHOOL_FAMILIES = ("microbit-v1", "microbit-v2", "cpx", "cpb", "esp32-wearable")


def load_profiles() -> dict[str, BoardProfile]:
    """The school boards' profiles (each loaded on its own: a profile being written
    elsewhere in the folder does not stop the web tests)."""
    return {f: load_profile(paths.boards_dir() / f"{f}.toml") for f in SCHOOL_FAMILIES}


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fleet]:
    """Two virtual boards, a micro:bit v2 and a Circuit Playground Express, clock x5."""
    profiles = load_profiles()
    folder = tmp_path_factory.mktemp("web-boards")
    with start_fleet(
        [profiles["microbit-v2"], profiles["cpx"]], 2, baud=None, speed=5, folder=folder
    ) as started:
        yield started


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with open_store(f"sqlite:///{tmp_path_factory.mktemp('web-store') / 'web.db'}") as opened:
        yield opened


@pytest.fixture(scope="module")
def engine(fleet: Fleet, store: Store) -> Iterator[Engine]:
    """A classroom engine that sees exactly the fleet's boards (not other tests' boards)."""

    def fleet_source(_profiles: Any, _unknown: bool) -> list[FoundBoard]:
        return [
            FoundBoard(b.port, b.profile.id, b.name, "virtual")
            for b in fleet.boards
            if not b.unplugged
        ]

    started = Engine(
        load_profiles(),
        load_catalogue(),
        log=store,
        sources={"fleet": fleet_source},
        poll_seconds=0.2,
    ).start()
    wait_for(lambda: all(b["state"] != "connected" for b in started.boards()), what="probes")
    yield started
    started.close()


def wait_for(check: Callable[[], Any], *, what: str, timeout: float = 30.0) -> Any:
    """Wait until ``check()`` is truthy; its value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def make_app(engine: Engine, store: Store, fleet: Fleet, tmp_path: Path) -> Callable[..., Flask]:
    """``make_app(lan=False)``: the web app on the shared classroom, with a fresh roster."""

    def make(*, lan: bool = False) -> Flask:
        made = create_app(
            engine,
            store,
            fleet=fleet,
            passcode=PASSCODE if lan else None,
            lan=lan,
            roster=Roster(path=tmp_path / "roster.json"),
            config={"TESTING": True},
        )
        made.extensions["wearkit"].keepalive = 0.5  # an idle stream speaks up quickly
        return made

    return make


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def csrf(client: FlaskClient) -> dict[str, str]:
    """The header a page's script sends: the session's CSRF token from a page's meta tag."""
    page = client.get("/join", follow_redirects=True).get_data(as_text=True)
    found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
    assert found, "the page carries no CSRF token"
    return {"X-CSRF-Token": found.group(1)}


def post(client: FlaskClient, url: str, body: Any = None) -> Any:
    """POST ``body`` as JSON with the session's CSRF token, as the pages do."""
    return client.post(url, json=body, headers=csrf(client))


def free_board(engine: Engine, family: str) -> str:
    """The name of the fleet's board of ``family``, once it takes a run."""
    return str(
        wait_for(
            lambda: next(
                (
                    b["name"]
                    for b in engine.boards()
                    if b["family"] == family
                    and b["state"] in ("ready", "needs runtime", "complete", "error")
                ),
                None,
            ),
            what=f"a free {family} board",
        )
    )
