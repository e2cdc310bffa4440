"""The story vote in a real browser: facilitator, three participants and the projector on one board.

Vote, see one's own remaining dots, no control on one's own story, a refused dot shown with its
reason, a dot sent just after the close refused on screen, the facilitator voting for an attendee
without a device, who is done, then the reveal: the same ranking on every screen.
"""
from __future__ import annotations

from playwright.sync_api import expect

from e2e.pages.board import card, post_card
from e2e.pages.console import Console
from e2e.pages.join import join_as
from e2e.pages.projector import projector_ranking
from e2e.pages.vote import place, ranking, take_back
from e2e.support.artifacts import AXE, save_artifact, serious
from e2e.support.cast import STORIES, authors_with_stories
from e2e.support.links import host_path, projector_path
from e2e.support.network import HeldIncoming


def test_vote_reveal_same_ranking_everywhere(browser, people, board, live_server):
    code = board["board"]["code"]
    host = people(host_path(board))
    expect(host.get_by_test_id("connection")).to_have_text("Live")

    pages = {}
    for name, title in STORIES.items():
        if name == "Chloé":
            # Chloé's laptop is the one whose dot arrives just after the close.
            context = browser.new_context(base_url=live_server.url)
            context.set_default_timeout(10_000)
            page = context.new_page()
            chloe_wire = HeldIncoming(page)
            page.goto(f"/b/{code}")
        else:
            page = people(f"/b/{code}")
        join_as(page, name)
        post_card(page, title)
        pages[name] = page
    ana, ben, chloe = pages["Ana"], pages["Ben"], pages["Chloé"]
    projector = people(projector_path(board))
    screens = {"host": host, "Ana": ana, "Ben": ben, "Chloé": chloe}
    for page in screens.values():
        expect(page.get_by_test_id("project-card")).to_have_count(3)
    Console(host).advance_to_the_vote(projector)
    expect(projector.get_by_test_id("projector-card")).to_have_count(3)

    # The facilitator sets 2 dots per person, 1 per story, and opens the vote.
    Console(host).set_vote(dots=2, per_story=1)
    expect(host.get_by_test_id("vote-host")).to_contain_text("2 dots per person, at most 1 per story")
    Console(host).open_vote()
    expect(host.get_by_test_id("vote-host-state")).to_have_text("Voting is open")
    expect(host.get_by_role("button", name="Open the vote")).to_be_hidden()
    expect(host.get_by_role("button", name="Reveal the results")).to_be_hidden()
    expect(host.get_by_test_id("vote-settings-locked")).to_be_visible()

    # Each participant sees their own remaining dots; no vote control on their own story.
    for name, page in pages.items():
        expect(page.get_by_test_id("vote-remaining")).to_have_text("You have 2 of 2 dots left")
        expect(page.get_by_test_id("vote-pill")).to_have_text("You have 2 of 2 dots left")
        expect(place(page, STORIES[name])).to_have_count(0)
        expect(card(page, STORIES[name]).get_by_test_id("vote-note")).to_have_text("Your story — you cannot vote for it.")
    expect(projector.get_by_role("button")).to_have_count(0)

    # Ana votes with the keyboard, fills her budget, and is told why one more dot is refused.
    place(ana, "Radio Vélo").focus()
    ana.keyboard.press("Enter")
    expect(ana.get_by_test_id("vote-remaining")).to_have_text("You have 1 of 2 dots left")
    expect(card(ana, "Radio Vélo").get_by_test_id("vote-count")).to_have_text("Your dots here: 1")
    place(ana, "La ferme").click()
    expect(ana.get_by_test_id("vote-remaining")).to_have_text("You have 0 of 2 dots left")
    # Shown as unavailable (aria-disabled keeps it focusable), yet pressing it asks the server, which says why not.
    expect(place(ana, "Radio Vélo")).to_have_attribute("aria-disabled", "true")
    place(ana, "Radio Vélo").focus()
    ana.keyboard.press("Enter")
    expect(card(ana, "Radio Vélo").get_by_test_id("vote-refusal")).to_have_text(
        "Dot refused: All your 2 dots are placed. Take one back first.")
    take_back(ana, "La ferme").click()
    expect(ana.get_by_test_id("vote-remaining")).to_have_text("You have 1 of 2 dots left")
    place(ana, "La ferme").click()
    expect(ana.get_by_test_id("vote-remaining")).to_have_text("You have 0 of 2 dots left")

    place(ben, "Le fournil").click()
    place(ben, "La ferme").click()
    expect(ben.get_by_test_id("vote-remaining")).to_have_text("You have 0 of 2 dots left")
    place(chloe, "Radio Vélo").click()
    expect(chloe.get_by_test_id("vote-remaining")).to_have_text("You have 1 of 2 dots left")

    # The facilitator adds Dora, who has no laptop, and places her dot for her.
    host.get_by_test_id("vote-attendee-add").get_by_label("Name").fill("Dora")
    host.get_by_role("button", name="Add attendee").click()
    host.get_by_role("button", name="Vote for Dora").click()
    place(host, "Le fournil").click()
    dora = host.get_by_test_id("vote-attendees").locator("li", has_text="Dora")
    expect(dora).to_contain_text("1 of 2 dots left")
    expect(card(host, "Le fournil").get_by_test_id("vote-count")).to_have_text("Dora's dots here: 1")
    place(host, "La ferme").click()
    expect(dora).to_contain_text("0 of 2 dots left")

    # Who is done: counts only; nobody sees a tally while the vote is open.
    expect(host.get_by_test_id("vote-done")).to_have_text("3 of 4 used all their dots")
    expect(host.get_by_test_id("vote-not-voted")).to_have_text("0 have not voted yet")
    save_artifact(host, "vote-open-facilitator")
    save_artifact(ana, "vote-open-participant")
    expect(projector.get_by_test_id("vote-progress")).to_have_text("3 of 4 people have used all their dots")
    expect(projector.get_by_test_id("ranking")).to_have_count(0)
    for page in screens.values():
        expect(page.get_by_test_id("vote-result-row")).to_have_count(0)
        expect(page.get_by_test_id("vote-badge").filter(has_text="#")).to_have_count(0)

    # Chloé clicks a moment after the close, before her screen heard of it: refused, and she is told.
    chloe_wire.wait_until_on_websocket()
    chloe_wire.hold()
    Console(host).close_vote()
    expect(host.get_by_test_id("vote-host-state")).to_have_text("Voting is closed")
    place(chloe, "Le fournil").click()
    chloe_wire.release()
    expect(card(chloe, "Le fournil").get_by_test_id("vote-refusal")).to_have_text(
        "Dot refused: The vote is closed: this dot was not counted.")
    expect(chloe.get_by_test_id("vote-status")).to_contain_text("Voting is closed")

    Console(host).reveal_results()
    expected = [["1", "La ferme", "3"], ["2", "Le fournil", "2"], ["2", "Radio Vélo", "2"]]
    for who, page in screens.items():
        expect(page.get_by_test_id("vote-result-row")).to_have_count(3)
        assert ranking(page) == expected, who
    expect(projector.get_by_test_id("ranking").locator("li")).to_have_count(3)
    assert projector_ranking(projector) == expected
    # After the reveal, Ana still sees where her own dots went.
    expect(card(ana, "La ferme").get_by_test_id("vote-badge")).to_have_text("#1 · 3 dots · Your dots: 1")
    expect(card(ana, "Le fournil").get_by_test_id("vote-badge")).to_have_text("#2 · 2 dots")
    save_artifact(projector, "vote-reveal-projector")

    projector.reload()
    expect(projector.get_by_test_id("ranking").locator("li")).to_have_count(3)
    assert projector_ranking(projector) == expected
    assert not any(page.errors for page in (*screens.values(), projector) if hasattr(page, "errors"))


VOTE_PARTS = [".vote-status", ".vote-pill", ".vote-host", ".vote-card", ".vote-results"]


def vote_violations(browser, page) -> list[dict]:
    """Serious or critical axe-core violations inside the vote's own parts of `page` (re-opened without CSP)."""
    context = browser.new_context(bypass_csp=True, storage_state=page.context.storage_state())
    try:
        copy = context.new_page()
        copy.goto(page.url)
        copy.locator(".vote-card").first.wait_for(state="attached")
        copy.add_script_tag(path=str(AXE))
        result = copy.evaluate(
            "async (parts) => await axe.run({include: parts.map(p => [p])}, {resultTypes: ['violations']})", VOTE_PARTS)
        assert result["passes"], "axe checked nothing: the vote's parts were not on the page"
        return serious(result)
    finally:
        context.close()


def test_vote_panels_have_no_serious_accessibility_violations(browser, people, board):
    code = board["board"]["code"]
    host = people(host_path(board))
    ana = people(f"/b/{code}")
    join_as(ana, "Ana")
    post_card(ana, "Le fournil")
    ben = people(f"/b/{code}")
    join_as(ben, "Ben")
    post_card(ben, "Radio Vélo")
    Console(host).open_vote()
    expect(ana.get_by_test_id("vote-remaining")).to_have_text("You have 3 of 3 dots left")
    place(ana, "Radio Vélo").click()
    expect(ana.get_by_test_id("vote-remaining")).to_have_text("You have 2 of 3 dots left")
    assert vote_violations(browser, ana) == []
    assert vote_violations(browser, host) == []
    Console(host).close_vote()
    Console(host).reveal_results()
    expect(ana.get_by_test_id("vote-result-row")).to_have_count(2)
    assert vote_violations(browser, ana) == []


def test_second_round_on_the_top_two_keeps_the_first_result(people, board):
    host, ana, ben, chloe = authors_with_stories(people, board)

    Console(host).open_vote()
    place(ana, "Radio Vélo").click()
    place(ben, "La ferme").click()
    place(chloe, "Radio Vélo").click()
    expect(host.get_by_test_id("vote-not-voted")).to_have_text("0 have not voted yet")
    Console(host).close_vote()
    Console(host).reveal_results()
    first = [["1", "Radio Vélo", "2"], ["2", "La ferme", "1"], ["3", "Le fournil", "0"]]
    expect(ben.get_by_test_id("vote-result-row")).to_have_count(3)
    assert ranking(ben) == first

    host.get_by_label("Keep the top").fill("2")
    host.get_by_role("button", name="Start a round on the top 2").click()
    expect(host.get_by_test_id("vote-host")).to_contain_text("Story vote · Round 2")
    Console(host).open_vote()
    expect(ben.get_by_test_id("vote-remaining")).to_have_text("You have 3 of 3 dots left")
    expect(card(ben, "Le fournil").get_by_test_id("vote-note")).to_have_text("Not in this round.")
    expect(place(ben, "Le fournil")).to_have_count(0)
    expect(place(ben, "Radio Vélo")).to_have_count(0)  # his own story
    place(ben, "La ferme").click()
    expect(ben.get_by_test_id("vote-remaining")).to_have_text("You have 2 of 3 dots left")
    Console(host).close_vote()
    Console(host).reveal_results()

    for page in (host, ana, ben, chloe):
        results = page.get_by_test_id("vote-results")
        expect(results.get_by_role("heading", name="Results — round 2")).to_be_visible()
        latest = results.locator("table[data-round='2'] [data-testid='vote-result-row']")
        expect(latest).to_have_count(2)
        # Round 1's ranking is kept, under "Earlier rounds".
        results.get_by_text("Earlier rounds").click()
        expect(results.locator("table[data-round='1'] [data-testid='vote-result-row']")).to_have_count(3)
    assert ranking(ben)[:2] == [["1", "La ferme", "1"], ["2", "Radio Vélo", "0"]]
