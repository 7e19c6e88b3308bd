"""The whole journey across processes: a classroom served by `wearkit serve` earns a badge on
a virtual board, and its deliverer hands it to a real `wearkit hub`, which awards it once."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.hub.conftest import HubProcess, free_port

pytestmark = pytest.mark.slow


class Browser:
    """A facilitator's browser in miniature: keeps the session cookie and the CSRF token."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        page = self.opener.open(url + "/", timeout=10).read().decode()
        found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
        assert found, "the dashboard carries a CSRF token"
        self.token = found.group(1)

    def get(self, path: str) -> Any:
        return json.loads(self.opener.open(self.url + path, timeout=10).read())

    def post(self, path: str, body: Any) -> Any:
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json", "X-CSRF-Token": self.token},
        )
        return json.loads(self.opener.open(request, timeout=10).read())


def _until(check: Any, seconds: float, what: str) -> Any:
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        if value := check():
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {seconds} s")


def test_a_badge_earned_in_the_browser_reaches_the_hub_once(tmp_path: Path) -> None:
    hub_home, class_home = tmp_path / "hub-home", tmp_path / "class-home"
    hub = HubProcess(f"sqlite:///{tmp_path / 'hub.db'}")
    env = {**os.environ, "WEARKIT_HOME": str(hub_home)}
    old_home = os.environ.get("WEARKIT_HOME")
    os.environ["WEARKIT_HOME"] = str(hub_home)
    try:
        hub.start()
        added = subprocess.run(
            [sys.executable, "-m", "wearkit.cli", "hub", "--db", hub.db_url, "add-host", "room-7"],
            capture_output=True, text=True, timeout=60, env=env,
        )  # fmt: skip
    finally:
        if old_home is None:
            os.environ.pop("WEARKIT_HOME", None)
        else:
            os.environ["WEARKIT_HOME"] = old_home
    assert added.returncode == 0, added.stderr
    token = re.search(r"wkh_\S+", added.stdout)
    assert token, added.stdout
    # badges.toml lives in the classroom's data folder (its WEARKIT_HOME).
    class_home.mkdir()
    (class_home / "badges.toml").write_text(
        f'connector = "hub"\n[hub]\nurl = "{hub.url}"\ntoken = "{token.group(0)}"\n'
        "[delivery]\nfirst_retry = 0.5\n"
    )
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "wearkit.cli", "serve", "--port", str(port),
         "--sim", "1", "--family", "microbit-v2", "--speed", "5"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "WEARKIT_HOME": str(class_home)},
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        assert proc.stdout is not None
        said = []
        for line in proc.stdout:
            said.append(line)
            if "wearkit serve: open" in line:
                break
        assert any("delivering completions" in line for line in said), said
        browser = Browser(url)
        board = _until(lambda: browser.get("/api/boards")["boards"], 30, "a board")[0]["name"]
        browser.post("/api/roster", {"nickname": "Kiwi"})
        browser.post("/api/roster", {"nickname": "Kiwi", "board": board})
        (run,) = browser.post("/api/runs", {"board": board, "activity": "night-light"})["runs"]
        _until(lambda: browser.get(f"/api/boards/{board}")["latest"], 30, "a first reading")

        def done(task: str) -> bool:
            tasks = browser.get(f"/api/runs/{run['id']}")["tasks"]
            return any(t["id"] == task and t["state"] == "done" for t in tasks)

        # Cover the sensor (dark), then take the hand away, as a student does.
        browser.post(f"/api/sim/{board}/sensors", {"light": 0})
        _until(lambda: done("lights-on"), 30, "lights on in the dark")
        browser.post(f"/api/sim/{board}/sensors", {"light": 255})
        _until(lambda: done("lights-off"), 30, "lights off in the light")
        browser.post(f"/api/runs/{run['id']}/signoff", {"task": "sleeve"})
        (completion,) = _until(lambda: browser.get("/api/completions")["completions"], 10, "done")
        assert completion["nickname"] == "Kiwi" and completion["learner"].startswith("wk-")

        # The hub has it once, for that opaque learner, with a claim code.
        listed = _until(
            lambda: subprocess.run(
                [sys.executable, "-m", "wearkit.cli", "hub", "--db", hub.db_url, "export"],
                capture_output=True, text=True, timeout=60, env=env,
            ).stdout.count(completion["learner"]),
            40,
            "the award at the hub",
        )  # fmt: skip
        assert listed == 1
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)
        if proc.stdout is not None:
            proc.stdout.close()
        hub.kill()
