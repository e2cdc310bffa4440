"""Cards leaving the vote, in real browsers with several people on one board.

A card deleted (or hidden) while the vote is open gives its dots back: every voter's screen shows
the dots back at once and says why, in English and in French; the facilitator's "who is done"
follows (and leaves out someone the facilitator removed). A card hidden after the reveal leaves the ranking live on every screen and the projector
(the others rank again), during the vote phase and after the show ends; its author and the
facilitator still see it, marked. A card deleted after the reveal leaves every ranking live, its
author's and the facilitator's too.
"""
from __future__ import annotations

from playwright.sync_api import expect

from e2e.pages.board import card
from e2e.pages.console import Console
from e2e.pages.projector import projector_ranking
from e2e.pages.vote import place, ranking
from e2e.support.artifacts import save_artifact
from e2e.support.cast import authors_with_stories
from e2e.support.links import projector_path


def test_dots_on_a_card_deleted_or_hidden_while_open_come_back_and_the_voter_is_told(people, board):
    host, ana, ben, chloe = authors_with_stories(people, board)
    Console(host).open_vote()
    expect(host.get_by_test_id("vote-host-state")).to_have_text("Voting is open")

    place(ana, "Radio Vélo").click()
    place(ana, "La ferme").click()
    expect(ana.get_by_test_id("vote-remaining")).to_have_text("You have 1 of 3 dots left")
    chloe.get_by_label("Language").select_option("fr")
    chloe.get_by_role("button", name="Placer une gommette sur « Radio Vélo »").click()
    expect(chloe.get_by_test_id("vote-remaining")).to_have_text("Il vous reste 2 gommettes sur 3")
    # The facilitator places a dot for Dora, who has no laptop, on the same card.
    host.get_by_test_id("vote-attendee-add").get_by_label("Name").fill("Dora")
    host.get_by_role("button", name="Add attendee").click()
    host.get_by_role("button", name="Vote for Dora").click()
    place(host, "Radio Vélo").click()
    dora = host.get_by_test_id("vote-attendees").locator("li", has_text="Dora")
    expect(dora).to_contain_text("2 of 3 dots left")
    expect(host.get_by_test_id("vote-not-voted")).to_have_text("1 have not voted yet")

    # Ben deletes his card while it holds Ana's and Chloé's dots.
    ben.once("dialog", lambda dialog: dialog.accept())
    card(ben, "Radio Vélo").get_by_role("button", name="Delete: Radio Vélo").click()
    expect(ana.get_by_test_id("project-card")).to_have_count(2)
    expect(ana.get_by_test_id("vote-remaining")).to_have_text("You have 2 of 3 dots left")
    expect(ana.get_by_test_id("vote-returned")).to_have_text(
        "1 dot you placed on “Radio Vélo” came back to you: the card was deleted. You can place it on another story.")
    expect(chloe.get_by_test_id("vote-remaining")).to_have_text("Il vous reste 3 gommettes sur 3")
    expect(chloe.get_by_test_id("vote-returned")).to_have_text(
        "1 gommette placée sur « Radio Vélo » vous revient : la carte a été supprimée. "
        "Vous pouvez la placer sur une autre histoire.")
    expect(ben.get_by_test_id("vote-returned").locator("li")).to_have_count(0)
    # The facilitator's screen is Dora's: her dot is back, and it says so.
    expect(dora).to_contain_text("3 of 3 dots left")
    expect(dora.get_by_test_id("vote-returned-for")).to_have_text(
        "1 dot of Dora's on “Radio Vélo” came back: the card was deleted.")
    # Everyone's "who is done" follows: Chloé and Dora have no dot any more.
    expect(host.get_by_test_id("vote-not-voted")).to_have_text("3 have not voted yet")

    # The facilitator hides the card that holds Ana's other dot.
    host.get_by_role("button", name="Hide “La ferme” from participants").click()
    expect(ana.get_by_test_id("project-card")).to_have_count(1)
    expect(ana.get_by_test_id("vote-remaining")).to_have_text("You have 3 of 3 dots left")
    expect(ana.get_by_test_id("vote-returned").locator("li").nth(1)).to_have_text(
        "1 dot you placed on “La ferme” came back to you: the facilitator hid the card. You can place it on another story.")
    save_artifact(ana, "vote-dots-came-back")
    # The dot is really back: Ana can place it elsewhere, and the server agrees after a reload.
    ana.reload()
    expect(ana.get_by_test_id("vote-remaining")).to_have_text("You have 3 of 3 dots left")

    # Removing someone takes them out of "who is done" on the facilitator's screen, as on the server.
    expect(host.get_by_test_id("vote-done")).to_have_text("0 of 4 used all their dots")
    host.once("dialog", lambda dialog: dialog.accept())
    host.get_by_role("button", name="Remove Chloé from the board").click()
    expect(host.get_by_test_id("vote-done")).to_have_text("0 of 3 used all their dots")
    expect(host.get_by_test_id("vote-not-voted")).to_have_text("3 have not voted yet")
    # Removing Dora, whose dots the facilitator places: she leaves the attendees' list at once, and
    # the facilitator's clicks are their own again (not Dora's, whom the server would refuse).
    expect(host.locator(".vote-proxy-note")).to_have_text("You are placing Dora's dots on the cards.")
    host.once("dialog", lambda dialog: dialog.accept())
    host.get_by_role("button", name="Remove Dora from the board").click()
    expect(host.get_by_test_id("vote-attendees").locator("li")).to_have_count(0)
    expect(host.locator(".vote-proxy-note")).to_be_hidden()
    expect(host.get_by_test_id("vote-done")).to_have_text("0 of 2 used all their dots")
    for page in (host, ana, ben):
        assert not page.errors


def test_a_card_hidden_after_the_reveal_leaves_every_ranking_live(people, board):
    host, ana, ben, chloe = authors_with_stories(people, board)
    projector = people(projector_path(board))
    Console(host).advance_to_the_vote(projector)
    Console(host).open_vote()
    for voter, titles in ((ana, ("Radio Vélo", "La ferme")), (ben, ("Le fournil", "La ferme")), (chloe, ("Radio Vélo",))):
        for title in titles:
            place(voter, title).click()
            expect(card(voter, title).get_by_test_id("vote-count")).to_have_text("Your dots here: 1")
    expect(host.get_by_test_id("vote-not-voted")).to_have_text("0 have not voted yet")
    Console(host).close_vote()
    Console(host).reveal_results()
    revealed = [["1", "Radio Vélo", "2"], ["1", "La ferme", "2"], ["3", "Le fournil", "1"]]
    expect(projector.get_by_test_id("ranking").locator("li")).to_have_count(3)
    assert projector_ranking(projector) == revealed
    for page in (host, ana, ben, chloe):
        expect(page.get_by_test_id("vote-result-row")).to_have_count(3)
        assert ranking(page) == revealed

    # The facilitator hides Ben's card after the reveal: the room's ranking drops it at once.
    host.get_by_role("button", name="Hide “Radio Vélo” from participants").click()
    room_sees = [["1", "La ferme", "2"], ["2", "Le fournil", "1"]]
    expect(projector.get_by_test_id("ranking").locator("li")).to_have_count(2)
    assert projector_ranking(projector) == room_sees
    expect(projector.get_by_test_id("projector-stage")).not_to_contain_text("Radio Vélo")
    for page in (ana, chloe):
        expect(page.get_by_test_id("vote-result-row")).to_have_count(2)
        assert ranking(page) == room_sees
        expect(page.get_by_test_id("vote-results")).not_to_contain_text("Radio Vélo")
    # Its author and the facilitator still see it in its place, marked, without a rank.
    marked = ["—", "Radio Vélo · Hidden by the facilitator: not in the room's ranking", "2"]
    for page in (host, ben):
        expect(page.locator("[data-testid='vote-result-row'][data-hidden='true']")).to_have_count(1)
        assert ranking(page) == [marked, *room_sees]
    expect(card(ben, "Radio Vélo").get_by_test_id("vote-badge")).to_have_text(
        "Hidden by the facilitator · 2 dots, not in the room's ranking")
    expect(card(ana, "La ferme").get_by_test_id("vote-badge")).to_have_text("#1 · 2 dots · Your dots: 1")
    save_artifact(ben, "vote-ranking-hidden-for-its-author")

    # A reload (a snapshot) shows the same; so does the projector once the show has ended.
    ana.reload()
    expect(ana.get_by_test_id("vote-result-row")).to_have_count(2)
    assert ranking(ana) == room_sees
    Console(host).advance_through(["Tribe maps", "Wrap-up"], projector)
    expect(projector.get_by_test_id("ranking").locator("li")).to_have_count(2)
    assert projector_ranking(projector) == room_sees

    # Shown again: back in its place on every screen.
    host.get_by_role("button", name="Show again: “Radio Vélo”").click()
    expect(projector.get_by_test_id("ranking").locator("li")).to_have_count(3)
    assert projector_ranking(projector) == revealed
    expect(chloe.get_by_test_id("vote-result-row")).to_have_count(3)
    assert ranking(chloe) == revealed

    # Deleted after the reveal (Ben's card hidden again first): gone from every ranking live, its
    # author's and the facilitator's too; the others rank again without it, as after a hide.
    host.get_by_role("button", name="Hide “Radio Vélo” from participants").click()
    expect(projector.get_by_test_id("ranking").locator("li")).to_have_count(2)
    host.once("dialog", lambda dialog: dialog.accept())
    card(host, "La ferme").get_by_role("button", name="Delete: La ferme").click()
    after_delete = [["1", "Le fournil", "1"]]
    expect(projector.get_by_test_id("ranking").locator("li")).to_have_count(1)
    assert projector_ranking(projector) == after_delete
    expect(projector.get_by_test_id("projector-stage")).not_to_contain_text("La ferme")
    for page in (ana, chloe):
        expect(page.get_by_test_id("vote-result-row")).to_have_count(1)
        assert ranking(page) == after_delete
        expect(page.get_by_test_id("vote-results")).not_to_contain_text("La ferme")
    for page in (host, ben):
        expect(page.get_by_test_id("vote-result-row")).to_have_count(2)
        assert ranking(page) == [marked, *after_delete]
        expect(page.get_by_test_id("vote-results")).not_to_contain_text("La ferme")
    # A snapshot agrees: a reload, and the projector's too.
    for page in (chloe, projector):
        page.reload()
    expect(chloe.get_by_test_id("vote-result-row")).to_have_count(1)
    assert ranking(chloe) == after_delete
    expect(projector.get_by_test_id("ranking").locator("li")).to_have_count(1)
    assert projector_ranking(projector) == after_delete
    for page in (host, ana, ben, chloe, projector):
        assert not page.errors
