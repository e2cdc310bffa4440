"""A laptop that sleeps for twenty minutes and wakes, in a real browser, with others working meanwhile.

Chloé places a dot and adds a node to Ana's tribe map just as her Wi-Fi goes, then her laptop sleeps.
While she sleeps, Ana, Ben and the facilitator make more changes than the server replays
(SNOWBALL_REPLAY_LIMIT is 5 on this server), so on waking her page must load a snapshot. Twenty
minutes pass on her clock (Playwright's fake clock), her screen comes back, her Wi-Fi returns: without
a reload she sees everyone's changes, and her own two changes are applied once each.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.pages.board import BoardPage, card, post_card
from e2e.pages.console import Console
from e2e.pages.join import join_as
from e2e.pages.tribe_map import MapPage, node, row
from e2e.pages.vote import place
from e2e.support.links import host_path
from e2e.support.network import Wifi, open_with_wifi
from e2e.support.server_state import map_labels, my_dots, sync_as, token_of

REPLAY_LIMIT = 5
MAP_TITLE = "Le fournil du quartier"

# This module's server replays at most 5 missed events; a client further behind gets a snapshot.
pytestmark = pytest.mark.server_env(SNOWBALL_REPLAY_LIMIT=REPLAY_LIMIT)


class WatchedWifi(Wifi):
    """A cuttable connection that also keeps what the server sent once `watching` (WebSocket and polling)."""

    def __init__(self, page) -> None:
        self.watching = False
        self.ws_messages: list[str] = []
        self.responses = []
        super().__init__(page)
        page.on("response", self._response)

    def _websocket(self, ws):
        if not self.up:
            ws.close()
            return
        server = ws.connect_to_server()
        server.on_message(lambda message: self._from_server(ws, message))
        self.sockets.append(ws)

    def _from_server(self, ws, message) -> None:
        if self.watching and isinstance(message, str):
            self.ws_messages.append(message)
        ws.send(message)

    def _response(self, response) -> None:
        if self.watching and "/socket.io/" in response.url and response.request.method == "GET":
            self.responses.append(response)

    def received_snapshot(self) -> bool:
        """True when a `sync` answer with a snapshot reached the page since watching began."""
        bodies = list(self.ws_messages)
        for response in self.responses:
            try:
                bodies.append(response.text())
            except Exception:  # a long poll cut by the test has no body
                continue
        return any('"snapshot":' in body for body in bodies)


def set_visibility(page, state: str) -> None:
    """The lid closes ('hidden') or opens ('visible'): what the page sees, and the event it gets."""
    page.evaluate("""state => {
        Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => state});
        Object.defineProperty(document, 'hidden', {configurable: true, get: () => state === 'hidden'});
        document.dispatchEvent(new Event('visibilitychange'));
    }""", state)


def test_laptop_asleep_twenty_minutes_catches_up_without_a_reload(browser, live_server, board, people):
    code = board["board"]["code"]
    host = people(host_path(board))
    ana = people(f"/b/{code}")
    join_as(ana, "Ana")
    post_card(ana, MAP_TITLE)
    ben = people(f"/b/{code}")
    join_as(ben, "Ben")
    post_card(ben, "Radio Vélo")
    context, chloe, wifi = open_with_wifi(browser, live_server, f"/b/{code}", wifi_class=WatchedWifi, clock=True)
    try:
        join_as(chloe, "Chloé")
        # Two dots may go on one story: a dot sent twice would show as two.
        Console(host).set_vote(per_story=2)
        expect(host.get_by_test_id("vote-host")).to_contain_text("at most 2 per story")
        Console(host).open_vote()
        expect(chloe.get_by_test_id("vote-remaining")).to_have_text("You have 3 of 3 dots left")
        BoardPage(ana).open_map(MAP_TITLE)
        MapPage(ana).add("Maman", "Inner circle", 10)
        expect(card(chloe, MAP_TITLE)).to_contain_text("1 on the map · 0 in the plan")
        head_before = sync_as(live_server, code, board["facilitator_token"])["seq"]

        # The Wi-Fi goes; Chloé places a dot and adds a node to Ana's map, then closes the lid.
        wifi.cut()
        expect(chloe.get_by_test_id("connection")).not_to_have_text("Live")
        place(chloe, "Radio Vélo").click()
        expect(card(chloe, "Radio Vélo").get_by_test_id("vote-pending")).to_have_text("1 dot waiting to be sent…")
        BoardPage(chloe).open_map(MAP_TITLE)
        MapPage(chloe).add("Cousine Inès", "Inner circle", 30, offline=True)
        expect(node(chloe, "Cousine Inès")).to_have_attribute("data-pending", "add")
        # From here on, any navigation (a reload, another page, even a hash change) would be seen.
        chloe.evaluate("() => { window.sameDocument = 'never reloaded'; }")
        navigations = []
        chloe.on("framenavigated", lambda frame: navigations.append(frame.url) if frame == chloe.main_frame else None)
        set_visibility(chloe, "hidden")

        # While she sleeps: more changes than the server replays.
        for label in ("Boulangers du marché", "Radio locale", "Amis du club", "Voisins", "Gazette"):
            MapPage(ana).add(label, "Network", 100)
        BoardPage(ben).edit("Radio Vélo", title="Radio Vélo FM")
        expect(ben.get_by_role("button", name="Edit: Radio Vélo FM")).to_be_visible()
        place(ben, MAP_TITLE).click()
        expect(ben.get_by_test_id("vote-remaining")).to_have_text("You have 2 of 3 dots left")
        host.get_by_test_id("vote-attendee-add").get_by_label("Name").fill("Dora")
        host.get_by_role("button", name="Add attendee").click()
        expect(host.get_by_test_id("vote-attendees")).to_contain_text("Dora")
        head_after = sync_as(live_server, code, board["facilitator_token"])["seq"]
        assert head_after - head_before > REPLAY_LIMIT  # too far behind for a replay: a snapshot it must be
        assert map_labels(live_server, board, MAP_TITLE).count("Cousine Inès") == 0
        expect(chloe.get_by_test_id("map-row")).to_have_count(2)  # asleep: she has seen none of it

        # Twenty minutes later the lid opens and the Wi-Fi is back.
        chloe.clock.fast_forward("20:00")
        wifi.watching = True
        wifi.restore()
        set_visibility(chloe, "visible")
        expect(chloe.get_by_test_id("connection")).to_have_text("Live", timeout=30_000)

        # Everyone's changes, on the map page she was on...
        expect(chloe.get_by_test_id("map-row")).to_have_count(7)
        for label in ("Maman", "Boulangers du marché", "Radio locale", "Amis du club", "Voisins", "Gazette"):
            expect(row(chloe, label)).to_have_count(1)
        expect(node(chloe, "Cousine Inès")).to_have_count(1)
        expect(chloe.get_by_test_id("map-pending")).to_have_count(0)
        expect(chloe.locator('[data-testid="map-node"][data-pending]')).to_have_count(0)
        expect(chloe.get_by_test_id("people")).to_contain_text("Dora")  # the facilitator's attendee
        assert wifi.received_snapshot(), "the page caught up without a snapshot"
        assert chloe.evaluate("() => window.sameDocument") == "never reloaded"
        assert navigations == []

        # ...and on the board: Ben's new title, her own dot applied once and no longer pending.
        MapPage(chloe).back_to_board()
        expect(card(chloe, "Radio Vélo FM")).to_have_count(1)
        expect(card(chloe, "Radio Vélo FM").get_by_test_id("vote-count")).to_have_text("Your dots here: 1")
        expect(card(chloe, "Radio Vélo FM").get_by_test_id("vote-pending")).to_be_hidden()
        expect(card(chloe, MAP_TITLE)).to_contain_text("7 on the map · 0 in the plan")
        expect(chloe.get_by_test_id("vote-remaining")).to_have_text("You have 2 of 3 dots left")
        expect(chloe.get_by_test_id("refused")).to_be_hidden()
        assert chloe.evaluate("() => window.sameDocument") == "never reloaded"
        assert my_dots(live_server, code, token_of(chloe, code)) == {"Radio Vélo FM": 1}
        assert map_labels(live_server, board, MAP_TITLE).count("Cousine Inès") == 1
        expect(row(ana, "Cousine Inès")).to_have_count(1)  # and the others see it once
        expect(card(ben, MAP_TITLE)).to_contain_text("7 on the map · 0 in the plan")
        assert chloe.errors == []
    finally:
        context.close()
