"""A tribe map in real browsers: two participants on one map, in two contexts.

Ana (the project's author) adds a node with the keyboard only; Bruno sees it. Ana raises its reach:
Bruno's momentum meter moves. Ana drags the node from the inner circle to the crowd: Bruno sees it
move while she drags and land in the crowd ring when she drops, and the meter falls back. Bruno adds a
share-plan item: it appears on both timelines under its phase. Who else is on the map shows on both.
"""
from __future__ import annotations

import re

from playwright.sync_api import expect

from e2e.pages.board import BoardPage, post_card
from e2e.pages.join import join_as
from e2e.pages.tribe_map import MapPage
from e2e.support.artifacts import axe_violations, save_artifact

TITLE = "Le fournil du quartier"


def test_two_people_build_one_tribe_map(people, board, browser):
    code = board["board"]["code"]
    ana = people(f"/b/{code}")
    join_as(ana, "Ana")
    post_card(ana, TITLE, "Bread baked with the neighbourhood", goal="1000")
    bruno = people(f"/b/{code}")
    join_as(bruno, "Bruno")
    expect(bruno.get_by_test_id("project-card").filter(has_text=TITLE)).to_have_count(1)
    # Chloé stays on the board, on no map: her screen says so on connect, and the drags of a map she
    # does not look at never reach her (on a 1,000-person board they would be 20 frames a second each).
    chloe = people(f"/b/{code}")
    with chloe.expect_websocket() as opened:
        join_as(chloe, "Chloé")
    chloe_ws, chloe_frames = opened.value, []
    chloe_ws.on("framereceived", lambda payload: chloe_frames.append(str(payload)))
    expect(chloe.get_by_test_id("project-card").filter(has_text=TITLE)).to_have_count(1)

    ana_map, bruno_map = BoardPage(ana).open_map(TITLE), BoardPage(bruno).open_map(TITLE)
    # Who else is here, both ways.
    expect(ana.get_by_test_id("map-viewers")).to_have_text("Also on this map: Bruno")
    expect(bruno.get_by_test_id("map-viewers")).to_have_text("Also on this map: Ana")

    # Add with the keyboard only: type, Tab between fields, choose with arrow keys, Enter to submit.
    ana.get_by_label("Name or group").focus()
    ana.keyboard.type("Maman")
    ana.keyboard.press("Tab")            # kind: Person (default)
    ana.keyboard.press("Tab")            # ring: Inner circle (default)
    ana.keyboard.press("Tab")            # reach
    ana.keyboard.press("Control+a")
    ana.keyboard.type("10")
    ana.keyboard.press("Enter")
    for page in (ana, bruno):
        expect(MapPage(page).node("Maman")).to_have_attribute("data-ring", "inner")
        expect(page.get_by_test_id("map-row").filter(has_text="Maman")).to_have_count(1)
    expect(ana.get_by_label("Name or group")).to_be_focused()  # ready for the next one

    # Momentum: 10 people × 20 % × 30 = 60 against 300 (30 % of 1 000): 20 %.
    expect(bruno.get_by_test_id("momentum")).to_have_attribute("data-progress", "20")
    reach = ana.get_by_label("Reach of “Maman”")
    reach.fill("100")
    reach.press("Tab")  # a number field commits when it loses focus
    expect(bruno.get_by_test_id("momentum")).to_have_attribute("data-progress", "200")
    expect(bruno.get_by_test_id("momentum-progress")).to_contain_text("200%")  # Intl's English percent

    # Drag across rings: Bruno sees the node move while Ana drags, then land in the crowd.
    start = bruno_map.node("Maman")
    before = (start.get_attribute("data-x"), start.get_attribute("data-y"))
    ana.get_by_test_id("map-svg").scroll_into_view_if_needed()
    box = ana_map.node("Maman").locator("circle").bounding_box()
    ana.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    ana.mouse.down()
    mid = ana_map.ring_point(0.6, 20)
    ana.mouse.move(*mid, steps=8)
    expect(start).to_have_attribute("data-live", "true")          # Bruno sees the drag live…
    expect(start).to_have_attribute("data-ring", "network")       # …crossing into the network
    assert (start.get_attribute("data-x"), start.get_attribute("data-y")) != before
    ana.mouse.move(*ana_map.ring_point(0.85, 30), steps=8)
    with chloe_ws.expect_event("framereceived", predicate=lambda payload: "map_node_moved" in str(payload)):
        ana.mouse.up()   # Chloé's socket is live: she gets the committed move…
    assert not [f for f in chloe_frames if "map_node_drag" in f]   # …but none of the drag frames before it
    for page in (ana, bruno):
        landed = MapPage(page).node("Maman")
        expect(landed).to_have_attribute("data-ring", "crowd")
        expect(landed).to_have_attribute("data-live", "false")
        expect(page.get_by_test_id("map-row").filter(has_text="Maman")).to_have_attribute("data-ring", "crowd")
    assert bruno_map.node("Maman").get_attribute("data-x") == ana_map.node("Maman").get_attribute("data-x")
    assert bruno_map.node("Maman").get_attribute("data-y") == ana_map.node("Maman").get_attribute("data-y")
    # The inner circle is empty again: the meter falls to zero on both screens.
    for page in (ana, bruno):
        expect(page.get_by_test_id("momentum")).to_have_attribute("data-progress", "0")

    # A share-plan item appears on both timelines, under its phase.
    plan = bruno.get_by_test_id("map-plan-form")
    plan.get_by_label("What to share").fill("Teaser video of the oven")
    plan.get_by_label("With whom").select_option(label="Maman")
    plan.get_by_label("When").select_option(label="Before launch")
    plan.get_by_label("Where (channel)").fill("WhatsApp")
    plan.get_by_role("button", name="Add to the plan").click()
    for page in (ana, bruno):
        phase = page.get_by_test_id("timeline").locator('[data-phase="before_launch"]')
        expect(phase).to_contain_text("Before launch")
        expect(phase.get_by_test_id("plan-item")).to_contain_text("Teaser video of the oven")
        expect(phase.get_by_test_id("plan-item")).to_contain_text("Maman")

    # The author's e-mail draft for the crowd is built from the project's words and the plan.
    crowd = ana.locator('[data-testid="mail-draft"][data-ring="crowd"]')
    crowd.locator("summary").click()
    expect(crowd.get_by_label("Message")).to_have_value(re.compile("Bread baked with the neighbourhood"))
    expect(crowd.get_by_label("Message")).to_have_value(re.compile("Teaser video of the oven"))

    assert ana.errors == [] and bruno.errors == []
    save_artifact(bruno, "tribe-map")
    map_url = ana.url
    assert re.search(r"#map/\d+$", map_url)
    assert axe_violations(browser, map_url, storage_state=ana.context.storage_state()) == []
