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

from e2e.conftest import host_path, save_artifact
from tests.support.server import create_board

WORDS = {
    "en": {"name": "Your name", "join": "Join the board", "title": "Project title", "pitch": "One-line pitch",
           "post": "Post the project", "phases": ["Join", "Values", "Post your project", "Story vote"],
           "closed": "Posting closed"},
    "fr": {"name": "Votre nom", "join": "Rejoindre le tableau", "title": "Titre du projet",
           "pitch": "Accroche en une phrase", "post": "Publier le projet",
           "phases": ["Accueil", "Valeurs", "Postez votre projet", "Vote des histoires"], "closed": "Publication fermée"},
}


def _join(page, w: dict, name: str) -> None:
    page.get_by_label(w["name"]).fill(name)
    page.get_by_role("button", name=w["join"]).click()
    page.get_by_test_id("me").wait_for()


def _room_in_the_vote(people, live_server, language: str, viewport: dict):
    """A host, three participants who posted, and one more person on `viewport`, with the vote open."""
    w = WORDS[language]
    created = create_board(live_server.url, title="Crowdfunding workshop — Festival", language=language)
    code = created["board"]["code"]
    host = people(host_path(created))
    authors = []
    for name in ("Ana", "Ben", "Chloé"):
        page = people(f"/b/{code}")
        _join(page, w, name)
        panel = page.get_by_test_id("post-panel")
        panel.get_by_label(w["title"]).fill(f"Le projet de {name}, un titre assez long")
        panel.get_by_label(w["pitch"]).fill("Une accroche en une phrase qui dit ce que fait le projet")
        panel.get_by_role("button", name=w["post"]).click()
        expect(page.get_by_test_id("project-card").filter(has_text=name)).to_have_count(1)
        authors.append(page)
    eve = people(f"/b/{code}", viewport=viewport)
    _join(eve, w, "Eve")
    for title in w["phases"]:
        host.get_by_test_id("show-next").click()
        expect(host.get_by_test_id("phase")).to_contain_text(title)
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
    w = WORDS[language]
    _host, _authors, eve = _room_in_the_vote(people, live_server, language, {"width": 390, "height": 844})
    save_artifact(eve, f"phone-390-{language}")
    header = eve.locator(".board-header").bounding_box()
    assert header["height"] <= 0.15 * 844, header
    expect(eve.get_by_test_id("now-timer")).to_be_in_viewport()
    expect(eve.get_by_test_id("now-closed")).to_contain_text(w["closed"])
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
