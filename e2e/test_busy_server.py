"""A busy server never leaves a page dead: Chromium against a real server whose limits are shortened.

- A board lookup and a join refused `rate_limited` (the room's address spent its wrong-code budget)
  count down the refusal's `retry_after` on the page and try again until they get through.
- A gap repair (`sync`) refused `rate_limited` is asked again after its `retry_after`, the header
  saying "syncing" meanwhile, until the page holds the events it missed.
"""
from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import expect

from e2e.pages.join import JoinPage, join_as
from e2e.support.room import Room
from tests.support.server import create_board

WAIT_MS = 30_000  # a refusal lasts up to its window (and a loaded machine is slow): the waits below are on state
WRONG_CODES_WINDOW_S = 8  # SNOWBALL_FAILED_LOOKUP_LIMITS: 3 wrong codes per 8 seconds
SYNC_WINDOW_S = 20        # SNOWBALL_SYNC_LIMITS: 1 sync per connection per 20 seconds

# This module's server has short limits, so that a test sees them refuse and then let through.
pytestmark = pytest.mark.server_env(SNOWBALL_FAILED_LOOKUP_LIMITS=f"3/{WRONG_CODES_WINDOW_S} seconds",
                                    SNOWBALL_SYNC_LIMITS=f"1/{SYNC_WINDOW_S} seconds")


def spend_the_wrong_code_budget(server, right: str) -> None:
    """3 wrong board codes from 127.0.0.1 (the browser's address too): every code lookup is refused for a while."""
    for n in range(3):
        wrong = "".join("ACDEFGHJKMNPQRTUVWXY"[(n * 7 + i) % 20] for i in range(6))
        assert wrong != right
        assert requests.get(f"{server.url}/api/boards/{wrong}", timeout=10).status_code == 404
    refused = requests.get(f"{server.url}/api/boards/{right}", timeout=10)
    assert refused.status_code == 429 and refused.json()["error"]["params"]["retry_after"] >= 1


def test_a_refused_lookup_and_join_count_down_and_get_through(browser, live_server):
    created = create_board(live_server.url)
    code = created["board"]["code"]
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(WRONG_CODES_WINDOW_S * 1000 + 15_000)
    page = context.new_page()
    try:
        spend_the_wrong_code_budget(live_server, code)
        page.goto(f"/b/{code}")
        wait = page.get_by_test_id("http-wait")
        expect(wait).to_have_text(re.compile(r"Server busy: trying again in \d+ s…"), timeout=WAIT_MS)
        expect(page.get_by_label("Your name")).to_be_visible(timeout=WAIT_MS)  # the lookup got through by itself

        spend_the_wrong_code_budget(live_server, code)
        JoinPage(page).submit("Ana")
        expect(page.get_by_test_id("join-wait")).to_have_text(re.compile(r"Server busy: trying again in \d+ s…"), timeout=WAIT_MS)
        expect(page.get_by_test_id("join-error")).to_have_text("", timeout=WAIT_MS)  # a wait, not an error
        page.get_by_test_id("me").wait_for()
        expect(page.get_by_test_id("connection")).to_have_text("Live", timeout=WAIT_MS)
    finally:
        context.close()


class DropOneFrame:
    """Routes the page's WebSocket through Playwright: drops the first server frame holding `marker`, keeps the rest."""

    def __init__(self, page, marker: str) -> None:
        self.marker = marker
        self.dropped = False
        self.upgraded = False
        self.sync_refusals = 0
        page.route_web_socket("**/socket.io/**", self._route)

    def _route(self, ws) -> None:
        server = ws.connect_to_server()

        def from_page(message) -> None:
            if message == "5":  # Engine.IO upgrade: from now on every frame comes through here
                self.upgraded = True
            server.send(message)

        def from_server(message) -> None:
            if isinstance(message, str) and not self.dropped and self.marker in message:
                self.dropped = True
                return
            if isinstance(message, str) and message.startswith("43") and '"syncs_per_connection"' in message:
                self.sync_refusals += 1
            ws.send(message)

        ws.on_message(from_page)
        server.on_message(from_server)


def test_a_refused_gap_repair_is_asked_again_until_the_page_has_what_it_missed(browser, live_server):
    created = create_board(live_server.url)
    code = created["board"]["code"]
    room = Room(live_server.url, created)
    room.join("Bea")
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(SYNC_WINDOW_S * 1000 + 15_000)
    page = context.new_page()
    route = DropOneFrame(page, "Lost on the way")
    try:
        page.goto(f"/b/{code}")
        join_as(page, "Ana")
        status = page.get_by_test_id("connection")
        expect(status).to_have_text("Live", timeout=WAIT_MS)  # its one sync of the window is spent
        while not route.upgraded:  # on the WebSocket, so the frame to drop goes through the route
            page.wait_for_timeout(50)

        room.post("Bea", "Lost on the way", "posted by Bea")        # this frame never reaches Ana's page
        room.post("Bea", "Arrives after the gap", "posted by Bea")  # this one shows the gap: Ana asks `sync`
        expect(status).to_have_attribute("data-state", "syncing", timeout=WAIT_MS)  # refused: too soon after the connect's sync
        expect(status).to_have_text("Live · syncing…", timeout=WAIT_MS)
        assert route.dropped and route.sync_refusals >= 1

        cards = page.get_by_test_id("project-card")
        expect(cards.filter(has_text="Lost on the way")).to_have_count(1, timeout=WAIT_MS)  # the retried sync brought it
        expect(cards.filter(has_text="Arrives after the gap")).to_have_count(1, timeout=WAIT_MS)
        expect(status).to_have_text("Live", timeout=WAIT_MS)
    finally:
        room.close()
        context.close()
