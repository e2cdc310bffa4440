"""Every device in the room: a laptop at 1280×800 and a phone at 390×844, during the story vote.

At 1280×800 nothing slides over the side panels and nothing sits over the booklet buttons at the
bottom of the page (a real click downloads the booklet), while the time stays in view in the header.
On a phone the live room's order holds: a slim header with the phase, the time and "Posting closed"
first, then the vote, then the cards (a closed, empty post form folds away); nothing is wider than
the screen. In English and French.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.pages.board import post_card
from e2e.pages.console import Console
from e2e.pages.join import join_as
from e2e.support.artifacts import save_artifact
from e2e.support.links import host_path
from tests.support.server import create_board

PHASES = {"en": ["Join", "Values", "Post your project", "Story vote"],
          "fr": ["Accueil", "Valeurs", "Postez votre projet", "Vote des histoires"]}
CLOSED = {"en": "Posting closed", "fr": "Publication fermée"}


def _room_in_the_vote(people, live_server, language: str, viewport: dict):
    """A host, three participants who posted, and one more person on `viewport`, with the vote open."""
    created = create_board(live_server.url, title="Crowdfunding workshop — Festival", language=language)
    code = created["board"]["code"]
    host = people(host_path(created))
    authors = []
    for name in ("Ana", "Ben", "Chloé"):
        page = people(f"/b/{code}")
        join_as(page, name, language)
        post_card(page, f"Le projet de {name}, un titre assez long",
                  "Une accroche en une phrase qui dit ce que fait le projet", language=language)
        expect(page.get_by_test_id("project-card").filter(has_text=name)).to_have_count(1)
        authors.append(page)
    eve = people(f"/b/{code}", viewport=viewport)
    join_as(eve, "Eve", language)
    Console(host).advance_through(PHASES[language])
    host.get_by_test_id("vote-open").click()
    expect(eve.get_by_test_id("vote-pill")).to_be_visible()
    return host, authors, eve


def _covered(page, locator) -> bool:
    """True when something else is drawn over the middle of this element."""
    return locator.evaluate("""el => {
        const r = el.getBoundingClientRect();
        const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return !(top && (top === el || el.contains(top)));
    }""")


def test_at_1280_by_800_nothing_covers_the_side_panels_or_the_booklet(people, live_server):
    _host, _authors, eve = _room_in_the_vote(people, live_server, "en", {"width": 1280, "height": 800})
    people_panel = eve.get_by_test_id("people")
    booklet = eve.get_by_test_id("my-booklet-md")
    # Scroll the page down step by step, as a person reading it would: whatever part of People and the
    # booklet is on screen is not under another panel, and the time stays in the header.
    height = eve.evaluate("document.scrollingElement.scrollHeight")
    for y in range(0, height, 300):
        eve.evaluate(f"window.scrollTo(0, {y})")
        for item in [people_panel.locator("li").first, booklet]:
            box = item.bounding_box()
            if box and box["y"] > 120 and box["y"] + box["height"] < 800:
                assert not _covered(eve, item), f"covered at scroll {y}"
        expect(eve.get_by_test_id("now-timer")).to_be_in_viewport()
    eve.evaluate("window.scrollTo(0, document.scrollingElement.scrollHeight)")
    with eve.expect_download() as download:
        booklet.click(timeout=5000)  # a click under a panel or the dots pill would be intercepted
    assert download.value.suggested_filename.endswith(".md")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_phone_shows_the_time_the_closed_gates_the_vote_then_the_cards(people, live_server, language):
    _host, _authors, eve = _room_in_the_vote(people, live_server, language, {"width": 390, "height": 844})
    save_artifact(eve, f"phone-390-{language}")
    header = eve.locator(".board-header").bounding_box()
    assert header["height"] <= 0.15 * 844, header
    expect(eve.get_by_test_id("now-timer")).to_be_in_viewport()
    expect(eve.get_by_test_id("now-closed")).to_contain_text(CLOSED[language])
    expect(eve.get_by_test_id("now-closed")).to_be_in_viewport()
    # The vote comes before the cards, and the first card starts on the first screen.
    vote = eve.locator(".vote-status").bounding_box()
    first_card = eve.get_by_test_id("project-card").first.bounding_box()
    assert vote["y"] < first_card["y"] < 844, (vote, first_card)
    too_wide = eve.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > 391).map((el) => el.tagName + '.' + el.className + ' ' + (el.textContent || '').slice(0, 40))""")
    assert eve.evaluate("document.scrollingElement.scrollWidth") <= 390, too_wide[:8]
    # The header stays while scrolling, and the last card's button is not under the dots pill.
    eve.evaluate("window.scrollTo(0, document.scrollingElement.scrollHeight)")
    expect(eve.get_by_test_id("now-timer")).to_be_in_viewport()
    last_place = eve.get_by_test_id("vote-place").last
    last_place.click(timeout=5000)
    expect(eve.get_by_test_id("vote-card").last).to_have_attribute("data-mine", "1")
    assert not eve.errors, eve.errors
