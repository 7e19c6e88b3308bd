"""The dashboard's "Provision all" and the completions page's badge deliveries, in a real
browser, by keyboard, with axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.web.browser.conftest import Server, assert_accessible

pytestmark = pytest.mark.browser

WAIT = 30_000  # ms


def test_provision_all_by_keyboard_brings_every_board_to_ready(server: Server, page: Page) -> None:
    page.goto(server.url + "/")
    expect(page.locator("#boards tbody tr")).to_have_count(3)
    button = page.get_by_role("button", name="Provision all")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#notice")).to_contain_text("Installing the runtime on", timeout=WAIT)
    states = page.locator('#boards tbody [data-field="state"]')
    for index in range(3):
        expect(states.nth(index)).to_have_text("ready", timeout=WAIT)
    assert all(b["state"] == "ready" for b in server.get("/api/boards")["boards"])
    assert_accessible(page)


def test_the_completions_page_lists_badge_deliveries_and_says_no_service_is_set_up(
    server: Server, page: Page
) -> None:
    page.goto(server.url + "/completions")
    section = page.locator("#deliveries-section")
    expect(section.get_by_role("heading", name="Badge deliveries")).to_be_visible()
    expect(page.locator("#badge-service")).to_contain_text("No badge service is set up")
    expect(page.locator("#badge-service")).to_contain_text("badges.toml")
    listed = server.get("/api/deliveries")["deliveries"]
    if listed:  # the journey's completion, when it ran first on this server
        expect(page.locator("#deliveries tbody tr")).to_have_count(len(listed))
        expect(page.locator("#deliveries")).to_contain_text("pending")
    else:
        expect(page.locator("#no-deliveries")).to_be_visible()
    assert_accessible(page)
