"""Conference Wi-Fi in a real browser: edits made offline are shown pending, survive a reload, are sent once, refusals shown."""
from __future__ import annotations

from playwright.sync_api import expect

from e2e.pages.board import BoardPage, post_card
from e2e.pages.join import join_as
from e2e.support.links import host_path
from e2e.support.network import open_with_wifi
from e2e.support.server_state import server_titles


def test_offline_post_is_pending_survives_reload_and_is_sent_once(browser, live_server, board):
    code = board["board"]["code"]
    context, ana, wifi = open_with_wifi(browser, live_server, f"/b/{code}")
    try:
        join_as(ana, "Ana")
        post_card(ana, "Online card", "Sent while connected")
        expect(ana.get_by_role("button", name="Edit: Online card")).to_be_visible()  # acked, not pending

        wifi.cut()
        expect(ana.get_by_test_id("connection")).not_to_have_text("Live")
        post_card(ana, "Offline card", "Typed on a train", until="pending")
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
        post_card(ana, "Soon removed", "The facilitator will delete it")
        expect(ana.get_by_role("button", name="Edit: Soon removed")).to_be_visible()  # acked, not pending
        host = people(host_path(board))
        expect(host.get_by_test_id("project-card")).to_have_count(1)

        wifi.cut()
        expect(ana.get_by_test_id("connection")).not_to_have_text("Live")
        BoardPage(ana).edit("Soon removed", pitch="Edited offline")
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
