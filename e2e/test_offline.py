"""Conference Wi-Fi in a real browser: edits made offline are shown pending, survive a reload, are sent once, refusals shown."""
from __future__ import annotations

from playwright.sync_api import expect

from e2e.conftest import host_path, join_as
from e2e.test_foundation import post_project


class Wifi:
    """Cuts and restores one page's connection to the server (HTTP polling and WebSocket alike)."""

    def __init__(self, page) -> None:
        self.page = page
        self.up = True
        self.sockets = []
        page.route("**/socket.io/**", self._http)
        page.route_web_socket("**/socket.io/**", self._websocket)

    def _http(self, route):
        if self.up:
            route.continue_()
        else:
            route.abort("internetdisconnected")

    def _websocket(self, ws):
        if not self.up:
            ws.close()
            return
        ws.connect_to_server()
        self.sockets.append(ws)

    def cut(self) -> None:
        """Drop the live connection and refuse new ones, like a Wi-Fi that went away."""
        self.up = False
        for ws in self.sockets:
            ws.close()
        self.sockets.clear()

    def restore(self) -> None:
        self.up = True


def open_with_wifi(browser, live_server, path):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    wifi = Wifi(page)
    page.goto(path)
    return context, page, wifi


def server_titles(live_server, board) -> list[str]:
    """The cards as the server has them (through a facilitator's fresh snapshot over the socket-free API)."""
    import socketio

    client = socketio.Client(reconnection=False)
    client.connect(live_server.url, auth={"board": board["board"]["code"], "token": board["facilitator_token"]},
                   transports=["websocket"], wait_timeout=10)
    try:
        reply = client.call("sync", {}, timeout=10)
    finally:
        client.disconnect()
    return [p["title"] for p in reply["snapshot"]["projects"]]


def test_offline_post_is_pending_survives_reload_and_is_sent_once(browser, live_server, board):
    code = board["board"]["code"]
    context, ana, wifi = open_with_wifi(browser, live_server, f"/b/{code}")
    try:
        join_as(ana, "Ana")
        post_project(ana, "Online card", "Sent while connected")
        expect(ana.get_by_role("button", name="Edit: Online card")).to_be_visible()  # acked, not pending

        wifi.cut()
        expect(ana.get_by_test_id("connection")).not_to_have_text("Live")
        post_project(ana, "Offline card", "Typed on a train")
        expect(ana.get_by_test_id("pending")).to_have_text("Waiting to be sent…")
        expect(ana.get_by_test_id("connection")).to_contain_text("1 change waiting")
        assert server_titles(live_server, board) == ["Online card"]

        ana.reload()                      # still offline: the change is kept on the device
        wifi.restore()
        expect(ana.get_by_test_id("connection")).to_have_text("Live", timeout=20_000)
        expect(ana.get_by_test_id("project-card")).to_have_count(2)
        expect(ana.get_by_test_id("pending")).to_have_count(0)
        assert server_titles(live_server, board) == ["Online card", "Offline card"]
    finally:
        context.close()


def test_change_refused_on_return_is_shown_with_its_reason(browser, live_server, board, people):
    code = board["board"]["code"]
    context, ana, wifi = open_with_wifi(browser, live_server, f"/b/{code}")
    try:
        join_as(ana, "Ana")
        post_project(ana, "Soon removed", "The facilitator will delete it")
        expect(ana.get_by_role("button", name="Edit: Soon removed")).to_be_visible()  # acked, not pending
        host = people(host_path(board))
        expect(host.get_by_test_id("project-card")).to_have_count(1)

        wifi.cut()
        expect(ana.get_by_test_id("connection")).not_to_have_text("Live")
        ana.get_by_role("button", name="Edit: Soon removed").click()
        card = ana.get_by_test_id("project-card")
        card.get_by_label("One-line pitch").fill("Edited offline")
        card.get_by_role("button", name="Save").click()
        expect(ana.get_by_test_id("pending")).to_have_text("Change waiting to be sent…")

        host.once("dialog", lambda dialog: dialog.accept())
        host.get_by_role("button", name="Delete: Soon removed").click()
        expect(host.get_by_test_id("project-card")).to_have_count(0)

        wifi.restore()
        refused = ana.get_by_test_id("refused")
        expect(refused).to_be_visible(timeout=20_000)
        expect(refused).to_contain_text("Edit “Soon removed”")
        expect(refused).to_contain_text("This project does not exist any more.")
        expect(ana.get_by_test_id("project-card")).to_have_count(0)
        refused.get_by_role("button", name="Dismiss").click()
        expect(refused).to_be_hidden()
    finally:
        context.close()
