"""A browser whose connect is refused for a while (a room's address locked out, Redis away) says it will
try again, and does: Chromium against a real server, nothing mocked."""
from __future__ import annotations

import requests
from playwright.sync_api import expect

from e2e.pages.board import post_card
from e2e.pages.join import join_as
from e2e.support.network import open_with_wifi
from e2e.support.server_state import server_titles
from tests.support.server import create_board


def spend_the_wrong_code_budget(server, right: str) -> None:
    """30 wrong board codes from 127.0.0.1 (the browser's address too): its lookups are refused for a minute."""
    for n in range(30):
        wrong = "".join("ABCDEFGHJKLMNPQRSTUVWXYZ2"[(n + i) % 25] for i in range(6))
        if wrong != right:
            assert requests.get(f"{server.url}/api/boards/{wrong}", timeout=10).status_code == 404


def test_a_connect_refused_rate_limited_says_it_will_retry_instead_of_giving_up(browser, live_server, board):
    code = board["board"]["code"]
    context, page, wifi = open_with_wifi(browser, live_server, f"/b/{code}")
    try:
        join_as(page, "Ana")
        status = page.get_by_test_id("connection")
        expect(status).to_have_text("Live")
        spend_the_wrong_code_budget(live_server, code)
        wifi.cut()  # the Wi-Fi drops; when it is back, the reconnect is refused `rate_limited` (about a minute)
        expect(status).not_to_have_text("Live")
        wifi.restore()
        expect(status).to_have_attribute("data-state", "retrying")
        expect(status).to_contain_text("Server busy: reconnecting in")
        expect(status).not_to_contain_text("Not connected")
        # It counts down (the refusal's retry_after, about a minute here), it does not sit on one number.
        first = int(status.inner_text().split("reconnecting in ")[1].split(" ")[0])
        page.wait_for_function("""(first) => {
          const m = document.querySelector('[data-testid="connection"]').textContent.match(/reconnecting in (\\d+) s/);
          return m && Number(m[1]) < first;
        }""", arg=first, timeout=10_000)
    finally:
        context.close()


def test_redis_away_then_back_the_page_waits_and_reconnects_by_itself(browser, redis_process, start_server):
    server = start_server(redis=redis_process)
    created = create_board(server.url)
    code = created["board"]["code"]
    context = browser.new_context(base_url=server.url)
    context.set_default_timeout(20_000)
    page = context.new_page()
    try:
        page.goto(f"/b/{code}")
        join_as(page, "Ana")
        status = page.get_by_test_id("connection")
        expect(status).to_have_text("Live")

        redis_process.kill()
        expect(status).to_have_attribute("data-state", "retrying")  # closed, reconnected, told to wait
        expect(status).to_contain_text("Server busy: reconnecting in")
        post_card(page, "Posted during the outage", "Waits in the outbox", until="pending")
        expect(page.get_by_test_id("pending")).to_have_text("Waiting to be sent…")

        redis_process.start()
        expect(status).to_have_text("Live", timeout=30_000)
        expect(page.get_by_role("button", name="Edit: Posted during the outage")).to_be_visible()
        assert server_titles(server, created) == ["Posted during the outage"]
    finally:
        context.close()
