"""The first working board in a real browser: create, join (link, code, personal code), post, edit, reload, restart."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from e2e.pages.board import BoardPage, post_card
from e2e.pages.home import HomePage
from e2e.pages.join import JoinPage, join_as
from e2e.support.artifacts import axe_violations, save_artifact
from e2e.support.links import host_path
from tests.support.server import create_board


def test_create_join_post_edit_reload_identical_everywhere(people, live_server):
    host = people("/")
    code, join_link = HomePage(host).create_board("OuiShare Fest — crowdfunding", language="en")
    assert re.fullmatch(r"[A-Z0-9]{6}", code)
    assert join_link.endswith(f"/b/{code}")
    host.get_by_role("button", name="Open the facilitator view").click()
    expect(host.get_by_test_id("connection")).to_have_text("Live")

    ana = people(join_link)                     # joins by link
    join_as(ana, "Ana")
    ben = people("/")                           # joins by typing the code on the home page
    HomePage(ben).join_by_code(code.lower())
    join_as(ben, "Ben")

    for page in (host, ana, ben):
        expect(page.get_by_test_id("people").get_by_text("Ana")).to_be_visible()
        expect(page.get_by_test_id("people").get_by_text("Ben")).to_be_visible()

    post_card(ana, "El Cosmonauta", "A science-fiction film made with its community")
    for page in (host, ana, ben):
        expect(page.get_by_test_id("project-card")).to_have_count(1)
        expect(page.get_by_test_id("project-card")).to_contain_text("El Cosmonauta")

    # Only the author (and the facilitator) get the edit controls.
    expect(ben.get_by_role("button", name="Edit: El Cosmonauta")).to_have_count(0)
    expect(host.get_by_role("button", name="Edit: El Cosmonauta")).to_have_count(1)

    BoardPage(ana).edit("El Cosmonauta", pitch="A film co-created with 4,000 backers", goal="120000")
    for page in (host, ana, ben):
        expect(page.get_by_test_id("project-card")).to_contain_text("co-created with 4,000 backers")
        expect(page.get_by_test_id("project-card")).to_contain_text("120,000")

    post_card(ben, "Iron Sky", "Space Nazis, crowd-funded")
    for page in (host, ana, ben):
        expect(page.get_by_test_id("project-card")).to_have_count(2)
    before = [BoardPage(page).wall_text() for page in (host, ana, ben)]
    assert before[0] == before[1] == before[2]
    assert [card.split(" | ")[0] for card in before[0]] == ["El Cosmonauta", "Iron Sky"]  # same order everywhere

    for page in (host, ana, ben):
        page.reload()
        expect(page.get_by_test_id("project-card")).to_have_count(2)
        expect(page.get_by_test_id("connection")).to_have_text("Live")
    after = [BoardPage(page).wall_text() for page in (host, ana, ben)]
    assert after == before
    save_artifact(ana, "board-participant")
    assert not (host.errors + ana.errors + ben.errors)


def test_rejoin_with_personal_code_on_another_laptop(people, board):
    code = board["board"]["code"]
    first_laptop = people(f"/b/{code}")
    join_as(first_laptop, "Chloé")
    post_card(first_laptop, "Kitsuné live", "A label's community night")
    expect(first_laptop.get_by_test_id("project-card")).to_have_count(1)
    first_laptop.get_by_text("Show my personal code").click()
    personal = first_laptop.get_by_test_id("rejoin-code").inner_text()

    second_laptop = people(f"/b/{code}")       # a fresh browser context: no token
    JoinPage(second_laptop).rejoin(personal.lower())
    expect(second_laptop.get_by_test_id("me")).to_have_text("You: Chloé")
    # Same person: may edit the card posted from the first laptop.
    expect(second_laptop.get_by_role("button", name="Edit: Kitsuné live")).to_be_visible()
    expect(second_laptop.get_by_test_id("people").locator("li")).to_have_count(1)


def test_server_restart_between_steps_loses_nothing(people, board, live_server):
    code = board["board"]["code"]
    ana = people(f"/b/{code}")
    join_as(ana, "Ana")
    host = people(host_path(board))
    post_card(ana, "Before the restart", "Posted and acknowledged")
    expect(host.get_by_test_id("project-card")).to_have_count(1)

    live_server.restart()

    # Both screens reconnect by themselves and resync from their last seq.
    expect(ana.get_by_test_id("connection")).to_have_text("Live", timeout=20_000)
    expect(host.get_by_test_id("connection")).to_have_text("Live", timeout=20_000)
    post_card(ana, "After the restart", "Posted on the restarted server")
    for page in (ana, host):
        expect(page.get_by_test_id("project-card")).to_have_count(2)
    ana.reload()
    expect(ana.get_by_test_id("project-card")).to_have_count(2)
    expect(ana.get_by_test_id("wall")).to_contain_text("Before the restart")


def test_post_with_keyboard_only(people, board):
    code = board["board"]["code"]
    page = people(f"/b/{code}")
    page.get_by_label("Your name").focus()
    page.keyboard.type("Dana")
    page.keyboard.press("Enter")
    page.get_by_test_id("me").wait_for()
    page.get_by_test_id("post-panel").get_by_label("Project title").focus()  # open while one has no card yet
    page.keyboard.type("Repair café")
    page.keyboard.press("Tab")
    page.keyboard.type("Fix things together")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("project-card")).to_contain_text("Repair café")


def test_no_serious_accessibility_violations(browser, people, board, live_server):
    code = board["board"]["code"]
    participant = people(f"/b/{code}")
    join_as(participant, "Eve")
    post_card(participant, "Accessible project", "Readable by everyone")
    expect(participant.get_by_test_id("project-card")).to_have_count(1)
    state = participant.context.storage_state()
    pages = {
        "home": f"{live_server.url}/",
        "join": f"{live_server.url}/b/{code}",
        "board (participant)": f"{live_server.url}/b/{code}",
        "board (facilitator)": f"{live_server.url}{host_path(board)}",
    }
    found = {}
    for name, url in pages.items():
        storage = state if name == "board (participant)" else None
        found[name] = axe_violations(participant.context.browser, url, storage)
    assert found == {name: [] for name in pages}, found


def test_a_french_board_speaks_french_and_each_person_can_switch(people, live_server):
    created = create_board(live_server.url, title="Atelier financement participatif", language="fr")
    code = created["board"]["code"]
    page = people(f"/b/{code}")
    expect(page.get_by_role("heading", name="Rejoindre « Atelier financement participatif »")).to_be_visible()
    join_as(page, "Léa", language="fr")
    expect(page.get_by_test_id("me")).to_have_text("Vous : Léa")
    post_card(page, "Le fournil", "Du pain pour le quartier", language="fr")
    expect(page.get_by_test_id("project-card")).to_contain_text("par Léa")
    page.get_by_label("Langue").select_option("en")     # one person's own switch, kept on reload
    expect(page.get_by_test_id("me")).to_have_text("You: Léa")
    page.reload()
    expect(page.get_by_test_id("project-card")).to_contain_text("by Léa")
