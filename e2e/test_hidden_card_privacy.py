"""A hidden card's content reaches nobody but its author and the facilitator, in real browsers.

Ana's card has a story and a map node; the facilitator hides it. Chloé joins afterwards: nothing of
the card (its story, its map) reaches her browser, not even on the wire. Ana sees her map frozen
with the reason, and no edit button on her card. Shown again, the card and its map come back live.
"""
from __future__ import annotations

from playwright.sync_api import expect

from e2e.pages.board import BoardPage, card
from e2e.pages.join import join_as
from e2e.support.links import host_path

STORY = "Grandmother's sourdough, the secret of the street"


def test_a_hidden_card_and_its_map_reach_nobody_else(people, board):
    code = board["board"]["code"]
    host = people(host_path(board))
    ana = people(f"/b/{code}")
    join_as(ana, "Ana")
    wall = BoardPage(ana)
    wall.post("Le fournil", story=STORY)
    tribe_map = wall.open_map("Le fournil")
    tribe_map.add("Maman Zoé")
    expect(ana.get_by_test_id("map-row").filter(has_text="Maman Zoé")).to_have_count(1)

    tribe_map.back_to_board()
    expect(card(ana, "Le fournil").get_by_role("button", name="Edit: Le fournil")).to_have_count(1)
    host.get_by_role("button", name="Hide “Le fournil” from participants").click()
    # Ana's card loses its Edit button at once (Delete stays); her map is frozen, and says why.
    expect(card(ana, "Le fournil").get_by_role("button", name="Edit: Le fournil")).to_have_count(0)
    ana.get_by_role("link", name="Open the tribe map of “Le fournil”").click()
    expect(ana.locator(".map-notice")).to_have_text(
        "The facilitator hid this card: its map stays as it is until the card is shown again.")
    expect(ana.get_by_test_id("map-add-form")).to_be_hidden()
    tribe_map.back_to_board()
    expect(card(ana, "Le fournil").get_by_role("button", name="Delete: Le fournil")).to_have_count(1)

    # Chloé joins after the hide: neither the story nor the map's words reach her socket.
    chloe = people(f"/b/{code}")
    frames: list[str] = []
    chloe.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(str(payload))))
    join_as(chloe, "Chloé")
    expect(chloe.get_by_test_id("me")).to_contain_text("Chloé")
    expect(host.get_by_test_id("project-card")).to_have_count(1)
    assert frames, "Chloé's socket received nothing"
    assert not [f for f in frames if STORY in f or "Maman Zoé" in f or "Le fournil" in f]
    expect(chloe.get_by_test_id("project-card")).to_have_count(0)

    # Shown again: Chloé gets the card and its map at once, and Ana may change them again.
    host.get_by_role("button", name="Show again: “Le fournil”").click()
    expect(chloe.get_by_test_id("project-card")).to_have_count(1)
    chloe.get_by_role("link", name="Open the tribe map of “Le fournil”").click()
    expect(chloe.get_by_test_id("map-row").filter(has_text="Maman Zoé")).to_have_count(1)
    expect(card(ana, "Le fournil").get_by_role("button", name="Edit: Le fournil")).to_have_count(1)
    for page in (host, ana, chloe):
        assert not page.errors
