"""The facilitator's and a student's journeys, in a real browser, on `wearkit serve --sim 3`."""

from __future__ import annotations

import re
import socket
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.web.browser.conftest import Server, assert_accessible, screenshot

pytestmark = pytest.mark.browser

WAIT = 30_000  # ms: a run installs the runtime on its board first


def board_of(server: Server, family: str) -> dict[str, Any]:
    return next(b for b in server.get("/api/boards")["boards"] if b["family"] == family)


def test_start_an_activity_complete_it_with_sliders_sign_off_and_export(
    server: Server, page: Page
) -> None:
    name = board_of(server, "microbit-v2")["name"]
    page.goto(server.url + "/")
    rows = page.locator("#boards tbody tr")
    expect(rows).to_have_count(3)
    for board in server.get("/api/boards")["boards"]:
        expect(page.locator(f'tr[data-board="{board["name"]}"]')).to_contain_text(board["family"])
    assert_accessible(page)

    page.select_option("#activity", "night-light")
    page.get_by_label(f"Select board {name}").check()
    page.get_by_role("button", name="Start on selected boards").click()
    row = page.locator(f'tr[data-board="{name}"]')
    expect(row.locator('[data-field="state"]')).to_have_text("running", timeout=WAIT)
    expect(row.locator('[data-field="activity"]')).to_have_text("Night-light sleeve")

    row.get_by_role("link", name=name).click()
    expect(page.locator("h1")).to_contain_text(name)
    expect(page.locator("#latest")).not_to_have_text("none yet", timeout=WAIT)
    expect(page.locator("#plot canvas")).to_be_visible()

    light = page.get_by_label("light")
    light.focus()
    page.keyboard.press("Home")  # cup a hand over the sensor: dark
    done = page.locator('#tasks li[data-task="lights-on"]')
    expect(done).to_have_class(re.compile("task-done"), timeout=WAIT)
    expect(page.locator('#tasks li[data-task="cover"]')).to_have_class(re.compile("task-done"))
    page.keyboard.press("End")  # and take it away
    expect(page.locator('#tasks li[data-task="lights-off"]')).to_have_class(
        re.compile("task-done"), timeout=WAIT
    )
    expect(page.locator("#task-count")).to_have_text("(3 of 4 done)")
    assert_accessible(page)

    sleeve = page.locator('#tasks li[data-task="sleeve"]')
    sleeve.get_by_role("button", name="Sign off").click()
    expect(sleeve).to_have_class(re.compile("task-done"), timeout=WAIT)
    expect(page.locator("#completed")).to_be_visible(timeout=WAIT)
    page.locator("#notice").wait_for(state="hidden", timeout=10_000)
    screenshot(page, "board", height=1240)

    page.get_by_role("link", name="Completions").click()
    table = page.locator("#completions")
    expect(table).to_contain_text("Night-light sleeve")
    expect(table).to_contain_text("Light Sensor")
    expect(table).to_contain_text(name)
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    exported = download.value.path().read_text(encoding="utf-8")
    assert exported.splitlines()[0].startswith("completed_at,activity,badge")
    assert "night-light,Light Sensor" in exported and name in exported

    page.get_by_role("link", name="Dashboard").click()
    expect(page.locator(f'tr[data-board="{name}"] [data-field="tasks"]')).to_have_text("4 of 4")
    screenshot(page, "dashboard")


def test_an_unplugged_board_shows_lost_with_what_to_do_then_comes_back(
    server: Server, page: Page
) -> None:
    name = board_of(server, "cpx")["name"]
    # Thirty clients that follow every event but never read a byte: nobody else waits.
    host, port = server.url.removeprefix("http://").split(":")
    stuck = []
    for _ in range(30):
        client = socket.create_connection((host, int(port)), timeout=5)
        client.sendall(f"GET /api/events HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        stuck.append(client)
    page.goto(server.url + f"/boards/{name}")
    page.get_by_role("button", name="Unplug").click()
    expect(page.locator("#board-state")).to_have_text("lost", timeout=5000)
    expect(page.locator("#board-problem")).to_contain_text("Plug it in again")

    page.get_by_role("link", name="Dashboard").click()
    row = page.locator(f'tr[data-board="{name}"]')
    expect(row.locator('[data-field="state"]')).to_have_text("lost")
    expect(row).to_contain_text("cable may be loose")

    page.goto(server.url + f"/boards/{name}")
    page.get_by_role("button", name="Plug back in").click()
    expect(page.locator("#board-state")).not_to_have_text(
        re.compile("lost|connected"), timeout=WAIT
    )
    assert board_of(server, "cpx")["state"] in ("ready", "needs runtime")
    for client in stuck:
        client.close()


def test_the_catalogue_shows_what_the_boards_can_run_with_instructions(
    server: Server, page: Page
) -> None:
    page.goto(server.url + "/activities")
    night = page.locator("article", has=page.get_by_role("heading", name="Night-light sleeve"))
    night.get_by_text("Student instructions").click()
    expect(night.locator(".readme")).to_contain_text("Cup your hand over it")
    assert_accessible(page)


def test_a_student_joins_with_the_class_code_and_sees_only_their_board(
    server: Server, page: Page, browser: Any
) -> None:
    mine = board_of(server, "esp32-wearable")["name"]
    others = [b["name"] for b in server.get("/api/boards")["boards"] if b["name"] != mine]
    page.goto(server.url + "/session")
    page.get_by_label("Nickname").fill("RedFox")
    page.get_by_role("button", name="Add student").click()
    expect(page.locator("#roster")).to_contain_text("RedFox")
    with page.expect_response(re.compile("/api/roster")):
        page.get_by_label("Board for RedFox").select_option(mine)
    code = page.locator("#class-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{6}", code)
    assert_accessible(page)

    context = browser.new_context(viewport={"width": 1280, "height": 860})
    student = context.new_page()
    try:
        student.goto(server.url + "/join")
        assert_accessible(student)
        student.get_by_label("Class code").fill(code.lower())
        student.get_by_role("button", name="Next").click()
        assert_accessible(student)
        student.get_by_role("button", name="RedFox").click()
        expect(student.locator("h1")).to_have_text("Hello RedFox")
        expect(student.locator("main")).to_contain_text(mine)
        for other in others:
            expect(student.locator("main")).not_to_contain_text(other)
        expect(student.get_by_role("link", name="Dashboard")).to_have_count(0)
        assert_accessible(student)

        page.goto(server.url + "/")
        page.select_option("#activity", "night-light")
        page.locator(f'tr[data-board="{mine}"] .start-one').click()
        expect(student.locator("#activity-title")).to_have_text("Night-light sleeve", timeout=WAIT)
        expect(student.locator("#tasks li")).to_have_count(4, timeout=WAIT)
        instructions = student.get_by_role("heading", name="Instructions: Night-light sleeve")
        expect(instructions).to_be_visible()
        expect(student.locator("#latest")).not_to_have_text("none yet", timeout=WAIT)
        student.wait_for_timeout(1500)  # a little of the plot
        screenshot(student, "student", height=1240)
        assert_accessible(student)

        # The server, not the page, keeps a student to their own board.
        seen = student.request.get(server.url + "/api/boards").json()["boards"]
        assert [b["name"] for b in seen] == [mine]
        assert student.request.get(server.url + f"/api/boards/{others[0]}").status == 403
        assert student.request.get(server.url + "/api/roster").status == 403
        assert student.goto(server.url + "/").status == 403
        token = student.locator('meta[name="csrf-token"]').get_attribute("content") or ""
        refused = student.request.post(
            server.url + "/api/runs",
            data={"board": others[0], "activity": "night-light"},
            headers={"X-CSRF-Token": token},
        )
        assert refused.status == 403
    finally:
        context.close()
        run = board_of(server, "esp32-wearable")["run"]
        page.request.post(
            server.url + f"/api/runs/{run}/stop",
            headers={
                "X-CSRF-Token": page.locator('meta[name="csrf-token"]').get_attribute("content")
                or ""
            },
        )
