"""Hub fixtures: a database on SQLite always and on PostgreSQL when CI gives one, a Flask
test client, a registered host, and real hub servers in their own processes."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from wearkit.hub import create_app, db

POSTGRES = os.environ.get("WEARKIT_TEST_POSTGRES")
NO_POSTGRES = "WEARKIT_TEST_POSTGRES is not set: the PostgreSQL runs of the hub tests need it"
BACKENDS = ["sqlite", "postgresql"]


def postgres_url() -> str:
    """A fresh schema on the test PostgreSQL, as a URL whose connections use it."""
    if not POSTGRES:
        pytest.skip(NO_POSTGRES)
    import psycopg

    schema = f"hub_{secrets.token_hex(6)}"
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    base = POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"{base}?options=-csearch_path%3D{schema}"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "postgresql":
        return postgres_url()
    return f"sqlite:///{tmp_path / 'hub.db'}"


@pytest.fixture
def app(db_url: str) -> Iterator[Flask]:
    made = create_app({"DATABASE_URL": db_url, "TESTING": True,
                       "PUBLIC_URL": "http://hub.test"})  # fmt: skip
    yield made
    made.extensions["wearkit_hub"].engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def host_token(app: Flask) -> str:
    return db.add_host(app.extensions["wearkit_hub"].engine, "lab-1")


def completion(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "activity": "step-counter",
        "learner": "L-0042",
        "completed_at": "2026-05-04T10:30:00+00:00",
        "board_name": "bright-otter",
        "evidence": {
            "tasks": [{"id": "first-steps", "title": "Take your first 5 steps", "state": "done"}],
            "readings": {"steps": 23},
        },
    }
    return body | changes


def claim(client: FlaskClient, code: str, email: str) -> str:
    """Claim ``code`` through the form as a learner does; the award id."""
    page = client.get(f"/claim/{code}")
    assert page.status_code == 200
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found
    answer = client.post(f"/claim/{code}", data={"email": email, "csrf_token": found.group(1)})
    assert answer.status_code == 303, answer.text
    return str(answer.location).rsplit("/", 1)[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class HubProcess:
    """`wearkit hub` serving in a process of its own."""

    def __init__(self, db_url: str, port: int | None = None) -> None:
        self.db_url = db_url
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> HubProcess:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "wearkit.cli", "hub", "--db", self.db_url,
             "--port", str(self.port), "--public-url", self.url],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=os.environ.copy(),
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                assert self.proc.poll() is None, self.proc.stdout.read() if self.proc.stdout else ""
                time.sleep(0.1)
        raise AssertionError("the hub did not start listening within 30 s")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)
        if self.proc is not None and self.proc.stdout is not None:
            self.proc.stdout.close()


@pytest.fixture
def hub_processes() -> Iterator[list[HubProcess]]:
    started: list[HubProcess] = []
    yield started
    for process in started:
        process.kill()
