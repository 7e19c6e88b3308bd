"""LAN mode in a real browser: no passcode, no server; with one, the facilitator signs in."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.web.browser.conftest import Server, assert_accessible, free_port, start_server

pytestmark = pytest.mark.browser

PASSCODE = "projector-7"


def test_lan_mode_without_a_passcode_refuses_to_start(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "wearkit.cli",
            "serve",
            "--host",
            "0.0.0.0",
            "--port",
            str(free_port()),
        ],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "WEARKIT_HOME": str(tmp_path)},
    )
    assert result.returncode == 2
    assert "needs a facilitator passcode" in result.stderr


@pytest.fixture(scope="module")
def lan(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    home = tmp_path_factory.mktemp("lan-home")
    running = start_server(home, "--host", "0.0.0.0", env={"WEARKIT_PASSCODE": PASSCODE})
    yield running
    assert running.stop() == 0
    assert PASSCODE not in "".join(running.output)  # never printed or logged


def test_the_facilitator_signs_in_with_the_passcode(lan: Server, page: Page) -> None:
    assert any("students join at http://" in line for line in lan.output)
    page.goto(lan.url + "/")
    expect(page).to_have_url(lan.url + "/signin?next=/")
    assert_accessible(page)
    page.get_by_label("Passcode").fill("wrong-guess")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert").first).to_contain_text("not the passcode")
    page.get_by_label("Passcode").fill(PASSCODE)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Classroom")).to_be_visible()
    assert_accessible(page)
