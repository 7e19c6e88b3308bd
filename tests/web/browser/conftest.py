"""Browser tests: Playwright drives Debian's chromium against a real `wearkit serve`.

No browser is downloaded: Playwright's Python package drives /usr/bin/chromium (CI installs
it with apt). Screenshots for the README are written to docs/ only when
WEARKIT_SCREENSHOTS=1, so a test run leaves the tree clean.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("WEARKIT_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DOCS = Path(__file__).parents[3] / "docs"

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

AXE = Axe()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """A running `wearkit serve`."""

    process: subprocess.Popen[str]
    url: str
    home: Path
    output: list[str]

    def get(self, path: str) -> Any:
        with urllib.request.urlopen(self.url + path, timeout=10) as answer:
            return json.loads(answer.read())

    def stop(self) -> int:
        """Ctrl-C, as a facilitator does; the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.process.stdout is not None:
            self.output.append(self.process.stdout.read())
            self.process.stdout.close()
        return self.process.returncode


def start_server(home: Path, *args: str, env: dict[str, str] | None = None) -> Server:
    """Start `wearkit serve ARGS` on a free port; return once it says where to open it."""
    port = free_port()
    environment = {**os.environ, "WEARKIT_HOME": str(home), **(env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "wearkit.cli", "serve", "--port", str(port), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environment,
    )
    output: list[str] = []
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        output.append(line)
        if "open http://" in line:
            url = line.split("open ", 1)[1].split()[0].rstrip("/")
            return Server(process, url, home, output)
    process.kill()
    raise AssertionError("wearkit serve did not start:\n" + "".join(output))


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`wearkit serve --sim 3` (micro:bit v2, Circuit Playground Express, ESP32), clock x5."""
    home = tmp_path_factory.mktemp("serve-home")
    running = start_server(
        home, "--sim", "3", "--speed", "5", "--store", f"sqlite:///{home / 'store.db'}"
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        boards = running.get("/api/boards")["boards"]
        if len(boards) == 3 and all(b["state"] != "connected" for b in boards):
            break
        time.sleep(0.2)
    yield running
    status = running.stop()
    assert status == 0, "Ctrl-C did not stop wearkit serve cleanly"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():  # CI installs it
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium (or set WEARKIT_CHROMIUM)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser profile (its own cookies) with a projector-sized window."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    yield opened
    context.close()
    assert errors == [], f"the page's scripts failed: {errors}"


def assert_accessible(page: Page) -> None:
    """axe-core finds no violation on the page as it is now."""
    results = AXE.run(page)
    assert results.violations_count == 0, f"{page.url}:\n{results.generate_report()}"


def screenshot(page: Page, name: str, height: int = 860) -> None:
    """Save docs/NAME.png (the top ``height`` pixels of the page) for the README, when
    WEARKIT_SCREENSHOTS=1."""
    if os.environ.get("WEARKIT_SCREENSHOTS") == "1":
        DOCS.mkdir(exist_ok=True)
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(
            path=str(DOCS / f"{name}.png"),
            full_page=True,
            clip={"x": 0, "y": 0, "width": 1280, "height": height},
        )
