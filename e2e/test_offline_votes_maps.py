"""Conference Wi-Fi for dots and tribe maps, in real browsers with several people on one board.

A participant whose connection is cut places and takes back dots, adds, moves, edits and removes
map nodes, links two of them, adds to the share plan, changes the momentum assumptions and keeps an
e-mail draft: each change shows at once, marked pending (in words, and to assistive technology), is kept
across a reload, and is sent once when the connection returns. Changes the server refuses on return
(the vote closed meanwhile, a node someone else removed) are listed under "Not applied" with the reason.
"""
from __future__ import annotations

import re

from playwright.sync_api import expect

from e2e.pages.board import BoardPage, card, post_card
from e2e.pages.console import Console
from e2e.pages.join import join_as
from e2e.pages.tribe_map import MapPage, node, row
from e2e.pages.vote import place, take_back
from e2e.support.links import host_path
from e2e.support.network import open_with_wifi
from e2e.support.server_state import board_log, map_labels, map_of, my_dots, token_of

MAP_TITLE = "Le fournil du quartier"


def ana_offline_ready_with_bruno_on_a_map(browser, live_server, people, code: str, title: str,
                                           nodes: list[tuple[str, str, int]]):
    """Ana (whose connection the test can cut) posts `title`; she and Bruno open its tribe map and she
    adds `nodes` (label, ring, reach), seen on both screens. Returns (context, ana, wifi, bruno)."""
    context, ana, wifi = open_with_wifi(browser, live_server, f"/b/{code}")
    try:
        join_as(ana, "Ana")
        post_card(ana, title, goal="1000")
        bruno = people(f"/b/{code}")
        join_as(bruno, "Bruno")
        ana_map = BoardPage(ana).open_map(title)
        BoardPage(bruno).open_map(title)
        for label, ring, reach in nodes:
            ana_map.add(label, ring, reach)
        for page in (ana, bruno):
            for label, _, _ in nodes:
                expect(node(page, label)).to_have_count(1)
    except BaseException:
        context.close()
        raise
    return context, ana, wifi, bruno


def visible_pending(page, testid: str):
    return page.locator(f'[data-testid="{testid}"]:visible')


def test_offline_dots_show_pending_survive_a_reload_and_are_sent_once(browser, live_server, board, people):
    code = board["board"]["code"]
    host = people(host_path(board))
    ana = people(f"/b/{code}")
    join_as(ana, "Ana")
    post_card(ana, "Le fournil")
    chloe = people(f"/b/{code}")
    join_as(chloe, "Chloé")
    post_card(chloe, "La ferme")
    context, ben, wifi = open_with_wifi(browser, live_server, f"/b/{code}")
    try:
        join_as(ben, "Ben")
        post_card(ben, "Radio Vélo")
        expect(host.get_by_test_id("project-card")).to_have_count(3)
        Console(host).open_vote()
        expect(ben.get_by_test_id("vote-remaining")).to_have_text("You have 3 of 3 dots left")
        place(ben, "Le fournil").click()                       # online: acked at once
        expect(ben.get_by_test_id("vote-remaining")).to_have_text("You have 2 of 3 dots left")

        wifi.cut()
        expect(ben.get_by_test_id("connection")).not_to_have_text("Live")
        place(ben, "La ferme").click()
        ferme = card(ben, "La ferme")
        expect(ferme.get_by_test_id("vote-pending")).to_have_text("1 dot waiting to be sent…")
        expect(ferme.get_by_test_id("vote-card")).to_have_attribute("data-pending", "true")
        expect(ferme.get_by_test_id("vote-count")).to_have_text("Your dots here: 1")
        # The marker is text, and the card's buttons are described by it for screen readers.
        expect(take_back(ben, "La ferme")).to_have_accessible_description("1 dot waiting to be sent…")
        take_back(ben, "Le fournil").click()
        expect(card(ben, "Le fournil").get_by_test_id("vote-pending")).to_have_text(
            "Taking back 1 dot: waiting to be sent…")
        expect(card(ben, "Le fournil").get_by_test_id("vote-count")).to_have_text("Your dots here: 0")
        expect(ben.get_by_test_id("vote-remaining")).to_have_text(
            "You have 2 of 3 dots left · 2 changes waiting to be sent")
        expect(ben.get_by_test_id("connection")).to_contain_text("2 changes waiting")
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
    context, ana, wifi, bruno = ana_offline_ready_with_bruno_on_a_map(
        browser, live_server, people, code, MAP_TITLE, [("Maman", "Inner circle", 10), ("Club de foot", "Network", 40)])
    try:
        for page in (ana, bruno):
            expect(node(page, "Club de foot")).to_have_attribute("data-ring", "network")
        expect(ana.get_by_test_id("map-pending")).to_have_count(0)
        before = (node(ana, "Maman").get_attribute("data-x"), node(ana, "Maman").get_attribute("data-y"))

        wifi.cut()
        expect(ana.get_by_test_id("connection")).not_to_have_text("Live")
        # Add: a node and a row at once, marked pending, with no controls until the server has it.
        MapPage(ana).add("Voisins", "Network", 25, offline=True)
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
        expect(ana.get_by_test_id("map-svg")).to_have_attribute("aria-label", re.compile(r"3 changes waiting to be sent\.$"))
        expect(ana.get_by_test_id("connection")).to_contain_text("4 changes waiting")
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
    post_card(ana, MAP_TITLE)
    context, ben, wifi = open_with_wifi(browser, live_server, f"/b/{code}")
    try:
        join_as(ben, "Ben")
        post_card(ben, "Radio Vélo")
        Console(host).open_vote()
        expect(ben.get_by_test_id("vote-remaining")).to_have_text("You have 3 of 3 dots left")
        BoardPage(ben).open_map(MAP_TITLE)
        MapPage(ben).add("Radio locale", "Crowd", 500)             # Ben's own node on Ana's map, online
        BoardPage(ana).open_map(MAP_TITLE)
        expect(node(ana, "Radio locale")).to_have_count(1)
        ben.get_by_role("link", name="← Back to the board").click()

        wifi.cut()
        expect(ben.get_by_test_id("connection")).not_to_have_text("Live")
        place(ben, MAP_TITLE).click()
        expect(card(ben, MAP_TITLE).get_by_test_id("vote-pending")).to_have_text("1 dot waiting to be sent…")
        BoardPage(ben).open_map(MAP_TITLE)
        ben.get_by_role("button", name="Move “Radio locale” closer to the project").click()
        expect(row(ben, "Radio locale")).to_have_attribute("data-pending", "move")

        # Meanwhile: the author removes Ben's node, the facilitator closes the vote.
        ana.once("dialog", lambda dialog: dialog.accept())
        ana.get_by_role("button", name="Remove “Radio locale” from the map").click()
        expect(node(ana, "Radio locale")).to_have_count(0)
        Console(host).close_vote()
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


def mail(page, ring: str = "inner"):
    return page.locator(f'[data-testid="mail-draft"][data-ring="{ring}"]')


def test_offline_links_plan_settings_and_drafts_show_pending_and_are_sent_once(browser, live_server, board, people):
    code = board["board"]["code"]
    context, ana, wifi, bruno = ana_offline_ready_with_bruno_on_a_map(
        browser, live_server, people, code, MAP_TITLE, [("Maman", "Inner circle", 10), ("Voisins", "Network", 25)])
    try:
        for page in (ana, bruno):
            expect(node(page, "Voisins")).to_have_attribute("data-ring", "network")
            expect(page.get_by_test_id("momentum")).to_have_attribute("data-amount", "60")   # 10 × 20 % × 30
            mail(page).locator("summary").click()              # the template arrives while online
            expect(mail(page).get_by_label("Subject")).not_to_have_value("")
        template = mail(bruno).get_by_label("Subject").input_value()

        wifi.cut()
        expect(ana.get_by_test_id("connection")).not_to_have_text("Live")
        # A link: a row and an arrow at once, dashed and said in words, with no controls yet.
        links = ana.get_by_test_id("map-link-form")
        links.get_by_label("Who", exact=True).select_option(label="Maman")
        links.get_by_label("can bring", exact=True).select_option(label="Voisins")
        links.get_by_role("button", name="Add the link").click()
        link_row = ana.get_by_test_id("map-link-row")
        expect(link_row).to_have_count(1)
        expect(link_row).to_have_attribute("data-pending", "add")
        expect(link_row).to_contain_text("Maman can bring Voisins")
        expect(link_row.get_by_test_id("map-pending")).to_have_text("Waiting to be sent…")
        expect(link_row.get_by_role("button")).to_have_count(0)
        expect(ana.get_by_test_id("map-link")).to_have_attribute("data-pending", "add")
        # A share-plan item: in the timeline at once, marked the same way.
        plan = ana.get_by_test_id("map-plan-form")
        plan.get_by_label("What to share").fill("Lettre aux proches")
        plan.get_by_label("With whom").select_option(label="Maman")
        plan.get_by_label("When").select_option(label="Before launch")
        plan.get_by_role("button", name="Add to the plan").click()
        item = ana.get_by_test_id("plan-item")
        expect(item).to_have_count(1)
        expect(item).to_have_attribute("data-pending", "add")
        expect(item).to_contain_text("Lettre aux proches → Maman")
        expect(item.get_by_test_id("map-pending")).to_have_text("Waiting to be sent…")
        expect(plan.get_by_label("What to share")).to_have_value("")    # the form is free at once
        # The momentum assumptions: the meter follows at once, the new values said to be waiting.
        settings = ana.get_by_test_id("momentum-settings")
        settings.get_by_label(re.compile(r"^Average pledge")).fill("50")
        settings.get_by_label("Inner circle who back (%)").fill("40")
        settings.get_by_role("button", name="Update the assumptions").click()
        expect(ana.get_by_test_id("momentum")).to_have_attribute("data-pending", "edit")
        expect(ana.get_by_test_id("momentum")).to_have_attribute("data-amount", "200")   # 10 × 40 % × 50
        expect(ana.locator(".map-momentum-panel").get_by_test_id("map-pending")).to_have_text(
            "New assumptions waiting to be sent…")
        expect(settings.get_by_label("Inner circle who back (%)")).to_have_accessible_description(
            "New assumptions waiting to be sent…")
        # An e-mail draft: kept on this device, marked on its (even folded) heading.
        mail(ana).get_by_label("Subject").fill("Notre fournil a besoin de vous")
        mail(ana).get_by_label("Message").fill("Chère famille, le fournil ouvre bientôt.")
        mail(ana).get_by_role("button", name="Keep this draft").click()
        expect(mail(ana)).to_have_attribute("data-pending", "edit")
        expect(mail(ana).locator("summary").get_by_test_id("map-pending")).to_have_text("Draft waiting to be sent…")
        expect(mail(ana).get_by_label("Subject")).to_have_accessible_description("Draft waiting to be sent…")
        expect(mail(ana).locator(".mail-origin")).to_contain_text("Kept on this device")
        expect(ana.get_by_test_id("map-pending")).to_have_count(4)
        expect(ana.get_by_test_id("connection")).to_contain_text("4 changes waiting")

        # Nobody else sees any of it; the server has none of it.
        expect(bruno.get_by_test_id("map-link-row")).to_have_count(0)
        expect(bruno.get_by_test_id("plan-item")).to_have_count(0)
        expect(bruno.get_by_test_id("momentum")).to_have_attribute("data-amount", "60")
        expect(mail(bruno).get_by_label("Subject")).to_have_value(template)
        expect(bruno.get_by_test_id("map-pending")).to_have_count(0)
        on_server = map_of(live_server, board, MAP_TITLE)
        assert on_server["links"] == [] and on_server["plan_items"] == [] and on_server["email_drafts"] == []
        assert on_server["settings"] == {"average_pledge": 30, "conversion_pct": 20}

        ana.reload()                                           # still offline: kept on the device
        outbox = ana.evaluate("key => JSON.parse(localStorage.getItem(key) || '[]').map((c) => c.type)",
                              f"snowball:{code}:participant:outbox")
        assert outbox == ["map_link_add", "plan_item_add", "map_settings_edit", "email_draft_save"]
        wifi.restore()
        expect(ana.get_by_test_id("connection")).to_have_text("Live", timeout=20_000)
        expect(mail(ana)).to_be_visible()
        mail(ana).locator("summary").click()
        for page in (ana, bruno):
            expect(page.get_by_test_id("map-link-row")).to_have_count(1)
            expect(page.get_by_test_id("map-link-row")).to_have_text(re.compile(r"^Maman can bring Voisins"))
            expect(page.get_by_test_id("map-link")).to_have_count(1)
            expect(page.get_by_test_id("plan-item")).to_have_count(1)
            expect(page.get_by_test_id("plan-item")).to_contain_text("Lettre aux proches → Maman")
            expect(page.get_by_test_id("momentum")).to_have_attribute("data-amount", "200")
            expect(page.get_by_test_id("momentum-formula")).to_contain_text("× 40% who back")
            expect(mail(page).get_by_label("Subject")).to_have_value("Notre fournil a besoin de vous")
            expect(mail(page).get_by_label("Message")).to_have_value("Chère famille, le fournil ouvre bientôt.")
            expect(mail(page).locator(".mail-origin")).to_contain_text("Kept draft")
            expect(page.get_by_test_id("map-pending")).to_have_count(0)
            expect(page.locator(".map-page [data-pending]")).to_have_count(0)
        expect(ana.get_by_test_id("refused")).to_be_hidden()
        on_server = map_of(live_server, board, MAP_TITLE)
        assert len(on_server["links"]) == 1 and [i["what"] for i in on_server["plan_items"]] == ["Lettre aux proches"]
        assert on_server["settings"] == {"average_pledge": 50, "conversion_pct": 40}
        assert [d["subject"] for d in on_server["email_drafts"]] == ["Notre fournil a besoin de vous"]
        assert ana.errors == [] and bruno.errors == []
        # Sent once: exactly one event for each offline change.
        kinds = [e["type"] for e in board_log(live_server, board)
                 if e["type"] in {"map_link_added", "plan_item_added", "map_settings_edited", "email_draft_saved"}]
        assert kinds == ["map_link_added", "plan_item_added", "map_settings_edited", "email_draft_saved"]
    finally:
        context.close()
