"""Conference Wi-Fi for dots and tribe maps, in real browsers with several people on one board.

A participant whose connection is cut places and takes back dots, adds, moves, edits and removes
map nodes: each change shows at once, marked pending (in words, and to assistive technology), is kept
across a reload, and is sent once when the connection returns. Changes the server refuses on return
(the vote closed meanwhile, a node someone else removed) are listed under "Not applied" with the reason.
"""
from __future__ import annotations

import re

from playwright.sync_api import expect

from e2e.conftest import host_path, join_as
from e2e.offline_support import (
    add_node, board_log, card, map_labels, my_dots, node, open_map, open_with_wifi, place, post_story, row, take_back,
    token_of,
)

MAP_TITLE = "Le fournil du quartier"


def visible_pending(page, testid: str):
    return page.locator(f'[data-testid="{testid}"]:visible')


def test_offline_dots_show_pending_survive_a_reload_and_are_sent_once(browser, live_server, board, people):
    code = board["board"]["code"]
    host = people(host_path(board))
    ana = people(f"/b/{code}")
    join_as(ana, "Ana")
    post_story(ana, "Le fournil")
    chloe = people(f"/b/{code}")
    join_as(chloe, "Chloé")
    post_story(chloe, "La ferme")
    context, ben, wifi = open_with_wifi(browser, live_server, f"/b/{code}")
    try:
        join_as(ben, "Ben")
        post_story(ben, "Radio Vélo")
        expect(host.get_by_test_id("project-card")).to_have_count(3)
        host.get_by_role("button", name="Open the vote").click()
        expect(ben.get_by_test_id("vote-remaining")).to_have_text("You have 3 of 3 dots left")
        place(ben, "Le fournil").click()                       # online: acked at once
        expect(ben.get_by_test_id("vote-remaining")).to_have_text("You have 2 of 3 dots left")

        wifi.cut()
        expect(ben.get_by_test_id("connection")).not_to_have_text("Live")
        place(ben, "La ferme").click()
        ferme = card(ben, "La ferme")
        expect(ferme.get_by_test_id("vote-pending")).to_have_text("1 dot(s) waiting to be sent…")
        expect(ferme.get_by_test_id("vote-card")).to_have_attribute("data-pending", "true")
        expect(ferme.get_by_test_id("vote-count")).to_have_text("Your dots here: 1")
        # The marker is text, and the card's buttons are described by it for screen readers.
        expect(take_back(ben, "La ferme")).to_have_accessible_description("1 dot(s) waiting to be sent…")
        take_back(ben, "Le fournil").click()
        expect(card(ben, "Le fournil").get_by_test_id("vote-pending")).to_have_text(
            "Taking back 1 dot(s): waiting to be sent…")
        expect(card(ben, "Le fournil").get_by_test_id("vote-count")).to_have_text("Your dots here: 0")
        expect(ben.get_by_test_id("vote-remaining")).to_have_text(
            "You have 2 of 3 dots left · 2 change(s) waiting to be sent")
        expect(ben.get_by_test_id("connection")).to_contain_text("2 change(s) waiting")
        token = token_of(ben, code)
        assert my_dots(live_server, code, token) == {"Le fournil": 1}     # nothing reached the server

        ben.reload()                                           # still offline: kept on the device
        wifi.restore()
        expect(ben.get_by_test_id("connection")).to_have_text("Live", timeout=20_000)
        expect(ben.get_by_test_id("vote-remaining")).to_have_text("You have 2 of 3 dots left")
        expect(card(ben, "La ferme").get_by_test_id("vote-count")).to_have_text("Your dots here: 1")
        expect(card(ben, "Le fournil").get_by_test_id("vote-count")).to_have_text("Your dots here: 0")
        expect(visible_pending(ben, "vote-pending")).to_have_count(0)
        expect(ben.get_by_test_id("refused")).to_be_hidden()
        assert my_dots(live_server, code, token) == {"La ferme": 1}

        # Sent once: one cast and one take-back in the log for the offline pair, besides the online dot.
        ben_id = next(e["data"]["participant"]["id"] for e in board_log(live_server, board)
                      if e["type"] == "participant_joined" and e["data"]["participant"]["name"] == "Ben")
        mine = [e["type"] for e in board_log(live_server, board) if e["data"].get("voter_id") == ben_id]
        assert mine == ["vote_cast_accepted", "vote_cast_accepted", "vote_retract_accepted"]
        expect(host.get_by_test_id("vote-not-voted")).to_have_text("2 have not voted yet")
        assert ben.errors == [] and ana.errors == []
    finally:
        context.close()


def test_offline_map_changes_show_pending_survive_a_reload_and_are_sent_once(browser, live_server, board, people):
    code = board["board"]["code"]
    context, ana, wifi = open_with_wifi(browser, live_server, f"/b/{code}")
    try:
        join_as(ana, "Ana")
        post_story(ana, MAP_TITLE, goal="1000")
        bruno = people(f"/b/{code}")
        join_as(bruno, "Bruno")
        open_map(ana, MAP_TITLE)
        open_map(bruno, MAP_TITLE)
        add_node(ana, "Maman", "Inner circle", 10)
        add_node(ana, "Club de foot", "Network", 40)
        for page in (ana, bruno):
            expect(node(page, "Club de foot")).to_have_attribute("data-ring", "network")
        expect(ana.get_by_test_id("map-pending")).to_have_count(0)
        before = (node(ana, "Maman").get_attribute("data-x"), node(ana, "Maman").get_attribute("data-y"))

        wifi.cut()
        expect(ana.get_by_test_id("connection")).not_to_have_text("Live")
        # Add: a node and a row at once, marked pending, with no controls until the server has it.
        add_node(ana, "Voisins", "Network", 25, offline=True)
        expect(node(ana, "Voisins")).to_have_attribute("data-pending", "add")
        expect(node(ana, "Voisins")).to_have_attribute("data-ring", "network")
        expect(node(ana, "Voisins").locator(".map-node-by")).to_have_text("waiting to be sent")
        expect(row(ana, "Voisins").get_by_test_id("map-pending")).to_have_text("Waiting to be sent…")
        expect(row(ana, "Voisins").get_by_role("button")).to_have_count(0)
        # Move with the keyboard way: the node moves at once.
        ana.get_by_role("button", name="Move “Maman” further out").click()
        expect(row(ana, "Maman")).to_have_attribute("data-pending", "move")
        expect(row(ana, "Maman").get_by_test_id("map-pending")).to_have_text("Move waiting to be sent…")
        expect(ana.get_by_role("button", name="Move “Maman” closer to the project")).to_have_accessible_description(
            "Move waiting to be sent…")
        moved = (node(ana, "Maman").get_attribute("data-x"), node(ana, "Maman").get_attribute("data-y"))
        assert moved != before
        # Edit its reach: the meter follows at once.
        reach = ana.get_by_label("Reach of “Maman”")
        reach.fill("50")
        reach.press("Tab")
        expect(row(ana, "Maman")).to_have_attribute("data-pending", "edit")
        expect(row(ana, "Maman")).to_contain_text("reaches 50")
        # Remove: struck through until the server has it.
        ana.once("dialog", lambda dialog: dialog.accept())
        ana.get_by_role("button", name="Remove “Club de foot” from the map").click()
        expect(row(ana, "Club de foot")).to_have_attribute("data-pending", "remove")
        expect(node(ana, "Club de foot")).to_have_attribute("data-pending", "remove")
        expect(row(ana, "Club de foot").get_by_test_id("map-pending")).to_have_text("Removal waiting to be sent…")
        expect(ana.get_by_test_id("map-svg")).to_have_attribute("aria-label", re.compile(r"3 change\(s\) waiting to be sent\.$"))
        expect(ana.get_by_test_id("connection")).to_contain_text("4 change(s) waiting")
        # Nobody else sees any of it; the server has none of it.
        expect(node(bruno, "Club de foot")).not_to_have_attribute("data-pending", "remove")
        expect(node(bruno, "Voisins")).to_have_count(0)
        assert map_labels(live_server, board, MAP_TITLE) == ["Maman", "Club de foot"]

        ana.reload()                                           # still offline: kept on the device
        wifi.restore()
        expect(ana.get_by_test_id("connection")).to_have_text("Live", timeout=20_000)
        for page in (ana, bruno):
            expect(node(page, "Voisins")).to_have_attribute("data-ring", "network")
            expect(node(page, "Club de foot")).to_have_count(0)
            expect(row(page, "Maman")).to_contain_text("reaches 50")
            expect(page.get_by_test_id("map-pending")).to_have_count(0)
            expect(page.locator('[data-testid="map-node"][data-pending]')).to_have_count(0)
        for attribute in ("data-x", "data-y"):
            expect(node(bruno, "Maman")).to_have_attribute(attribute, node(ana, "Maman").get_attribute(attribute))
        assert (node(ana, "Maman").get_attribute("data-x"), node(ana, "Maman").get_attribute("data-y")) != before
        expect(ana.get_by_test_id("refused")).to_be_hidden()
        assert map_labels(live_server, board, MAP_TITLE) == ["Maman", "Voisins"]
        assert ana.errors == [] and bruno.errors == []
        # Sent once: exactly one event for each offline change.
        kinds = [e["type"] for e in board_log(live_server, board) if e["type"].startswith("map_node_")]
        assert kinds == ["map_node_added", "map_node_added", "map_node_added", "map_node_moved",
                         "map_node_edited", "map_node_removed"]
    finally:
        context.close()


def test_changes_refused_on_return_are_listed_with_their_reasons(browser, live_server, board, people):
    code = board["board"]["code"]
    host = people(host_path(board))
    ana = people(f"/b/{code}")
    join_as(ana, "Ana")
    post_story(ana, MAP_TITLE)
    context, ben, wifi = open_with_wifi(browser, live_server, f"/b/{code}")
    try:
        join_as(ben, "Ben")
        post_story(ben, "Radio Vélo")
        host.get_by_role("button", name="Open the vote").click()
        expect(ben.get_by_test_id("vote-remaining")).to_have_text("You have 3 of 3 dots left")
        open_map(ben, MAP_TITLE)
        add_node(ben, "Radio locale", "Crowd", 500)             # Ben's own node on Ana's map, online
        open_map(ana, MAP_TITLE)
        expect(node(ana, "Radio locale")).to_have_count(1)
        ben.get_by_role("link", name="← Back to the board").click()

        wifi.cut()
        expect(ben.get_by_test_id("connection")).not_to_have_text("Live")
        place(ben, MAP_TITLE).click()
        expect(card(ben, MAP_TITLE).get_by_test_id("vote-pending")).to_have_text("1 dot(s) waiting to be sent…")
        open_map(ben, MAP_TITLE)
        ben.get_by_role("button", name="Move “Radio locale” closer to the project").click()
        expect(row(ben, "Radio locale")).to_have_attribute("data-pending", "move")

        # Meanwhile: the author removes Ben's node, the facilitator closes the vote.
        ana.once("dialog", lambda dialog: dialog.accept())
        ana.get_by_role("button", name="Remove “Radio locale” from the map").click()
        expect(node(ana, "Radio locale")).to_have_count(0)
        host.get_by_role("button", name="Close the vote").click()
        expect(host.get_by_test_id("vote-host-state")).to_have_text("Voting is closed")

        wifi.restore()
        # Ben is still on the map page: the refusals show there, each with its reason.
        refused = ben.get_by_test_id("refused")
        expect(refused).to_be_visible(timeout=20_000)
        items = refused.get_by_test_id("refused-item")
        expect(items).to_have_count(2)
        expect(items.nth(0)).to_contain_text(
            f"Place a dot on “{MAP_TITLE}” — The vote is closed: this dot was not counted.")
        expect(items.nth(1)).to_contain_text(
            f"Move “Radio locale” on the map of “{MAP_TITLE}” — "
            "This person or group is no longer on the map (someone removed it).")
        expect(node(ben, "Radio locale")).to_have_count(0)
        expect(ben.get_by_test_id("map-pending")).to_have_count(0)
        ben.get_by_role("link", name="← Back to the board").click()
        expect(card(ben, MAP_TITLE).get_by_test_id("vote-refusal")).to_have_text(
            "Dot refused: The vote is closed: this dot was not counted.")
        expect(visible_pending(ben, "vote-pending")).to_have_count(0)
        assert my_dots(live_server, code, token_of(ben, code)) == {}
        types = [e["type"] for e in board_log(live_server, board)]
        assert "vote_cast_accepted" not in types and "map_node_moved" not in types
        for _ in range(2):
            refused.get_by_role("button", name="Dismiss").first.click()
        expect(refused).to_be_hidden()
        assert ben.errors == [] and ana.errors == []
    finally:
        context.close()
