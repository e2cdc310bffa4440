"""Screens that explain themselves, in English and French, with a facilitator, two participants, a
third person who joined from a phone and left it, and the projector on one board.

Closed inputs show closed up front with the right reason (the phase, or the lock): posting, editing a
card, dots, map edits. Opening a vote while the phase keeps voting closed opens the gate with it; a
gate closed again is said on the host panel with a way to open it. The projector says "Voting closed
— results coming" after the close. "Who is stuck" says what it counts and online/offline in words; a
removed person leaves People and the facilitator reads that removal is not a ban. Repeated toasts
count up instead of stacking; the exports panel's checkbox sits by its label; the skip link speaks
the board's language.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.pages.board import BoardPage
from e2e.pages.console import Console
from e2e.pages.join import join_as
from e2e.pages.tribe_map import MapPage
from e2e.support.links import host_path, projector_path
from tests.support.server import create_board, join_board

TITLE = "Le fournil du quartier"
WORDS = {
    "en": {
        "title": "Project title", "open_map": f"Open the tribe map of “{TITLE}”",
        "keep": "Keep this draft", "kept": "Draft kept.", "phases": ["Values", "Post your project", "Story vote"],
        "will_open": "The phase keeps voting closed: opening the vote opens voting too, until the next phase.",
        "closed_now": "Participants cannot place dots: the phase keeps voting closed.",
        "voting_closed": "Voting is closed in this phase: the facilitator opens it when it is time.",
        "posting_closed": "Posting is closed in this phase: the facilitator opens it when it is time.",
        "maps_closed": "Tribe maps are closed in this phase: you can look, not change.",
        "locked": "The facilitator locked the board for now: you can look, not change.",
        "stuck": "1 of 3 posted a project · 0 of 3 used all 3 dots · 1 placed at least one",
        "online": "online", "offline": "offline", "remove_carl": "Remove Carl from the board",
        "not_ban": "it is not a ban", "voting": "Voting in progress", "vote_closed": "Voting closed — results coming",
        "booklet_html": "Booklet (printable page)", "skip": "Skip to content",
    },
    "fr": {
        "title": "Titre du projet", "open_map": f"Ouvrir la carte de tribu de « {TITLE} »",
        "keep": "Garder ce brouillon", "kept": "Brouillon gardé.",
        "phases": ["Valeurs", "Postez votre projet", "Vote des histoires"],
        "will_open": "L’étape garde le vote fermé : ouvrir le vote ouvre aussi le vote aux participants, jusqu’à l’étape suivante.",
        "closed_now": "Les participants ne peuvent pas placer de gommettes : l’étape garde le vote fermé.",
        "voting_closed": "Le vote est fermé à cette étape : l’animateur l’ouvrira le moment venu.",
        "posting_closed": "La publication est fermée à cette étape : l’animateur l’ouvrira le moment venu.",
        "maps_closed": "Les cartes de tribu sont fermées à cette étape : on regarde, on ne modifie pas.",
        "locked": "L’animateur a verrouillé le tableau pour le moment : on regarde, on ne modifie pas.",
        "stuck": "1 sur 3 a publié un projet · 0 sur 3 a placé les 3 gommettes · 1 en a placé au moins une",
        "online": "en ligne", "offline": "hors ligne", "remove_carl": "Retirer Carl du tableau",
        "not_ban": "ce n’est pas un bannissement", "voting": "Vote en cours",
        "vote_closed": "Vote clos — résultats dans un instant",
        "booklet_html": "Livret (page imprimable)", "skip": "Aller au contenu",
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_closed_inputs_and_the_room_say_why_up_front(people, live_server, language):
    w = WORDS[language]
    created = create_board(live_server.url, title="Atelier", language=language)
    code = created["board"]["code"]
    host = people(host_path(created))
    host.on("dialog", lambda dialog: dialog.accept())
    ana = people(f"/b/{code}")
    join_as(ana, "Ana", language)
    BoardPage(ana, language).post(TITLE, "Du pain avec le quartier")
    bruno = people(f"/b/{code}")
    join_as(bruno, "Bruno", language)
    join_board(live_server.url, code, "Carl")  # joined from a phone he then put away: offline
    screen = people(projector_path(created), viewport={"width": 1920, "height": 1080})
    expect(bruno.locator(".skip-link")).to_have_text(w["skip"])

    # The same toast three times counts up on one toast instead of stacking three over the page.
    BoardPage(ana, language).open_map(TITLE)
    inner = ana.locator('[data-testid="mail-draft"][data-ring="inner"]')
    inner.locator("summary").click()
    expect(inner.locator("textarea")).not_to_have_value("")
    kept = ana.locator("#toasts .toast").filter(has_text=w["kept"])
    for times in ("", " ×2", " ×3"):
        inner.get_by_role("button", name=w["keep"]).click()
        expect(kept).to_have_text(w["kept"] + times)
    expect(kept).to_have_count(1)
    assert ana.locator("#toasts .toast").count() <= 2
    assert ana.locator("#toasts").evaluate("el => getComputedStyle(el).pointerEvents") == "none"
    MapPage(ana, language).back_to_board()

    # The session starts in Join, whose gate keeps voting closed: the host panel warns, and opening
    # the vote opens the gate with it, so Bruno can place a dot at once.
    host.get_by_test_id("show-next").click()
    warning = host.get_by_test_id("vote-gate-warning")
    expect(warning).to_contain_text(w["will_open"])
    host.get_by_test_id("vote-open").click()
    expect(host.get_by_test_id("gate-voting")).to_have_value("open")
    expect(warning).to_be_hidden()
    vote = bruno.get_by_test_id("project-card").filter(has_text=TITLE).get_by_test_id("vote-card")
    vote.get_by_test_id("vote-place").click()
    expect(vote).to_have_attribute("data-mine", "1")

    # "Who is stuck" says what it counts, and online/offline in words.
    expect(host.get_by_test_id("stuck-summary")).to_have_text(w["stuck"])
    rows = host.get_by_test_id("stuck").locator("tbody tr")
    expect(rows.filter(has_text="Bruno").get_by_test_id("stuck-connection")).to_have_text(w["online"])
    expect(rows.filter(has_text="Carl").get_by_test_id("stuck-connection")).to_have_text(w["offline"])

    # Voting closed again by the facilitator: Bruno reads why instead of a dead button; the host
    # panel says dots are closed and offers to open them.
    host.get_by_test_id("gate-voting").select_option("closed")
    expect(vote.get_by_test_id("vote-place")).to_be_hidden()
    expect(vote.get_by_test_id("vote-note")).to_have_text(w["voting_closed"])
    expect(warning).to_contain_text(w["closed_now"])
    host.get_by_test_id("vote-open-gate").click()
    expect(vote.get_by_test_id("vote-place")).to_be_visible()

    # Posting closed: Bruno (no card yet) sees it before typing; Ana cannot edit her card, and reads why.
    host.get_by_test_id("gate-posting").select_option("closed")
    post = bruno.get_by_test_id("post-panel")
    expect(post.get_by_test_id("post-closed")).to_have_text(w["posting_closed"])
    expect(post.get_by_label(w["title"])).to_be_disabled()
    ana_card = ana.get_by_test_id("project-card").filter(has_text=TITLE)
    expect(ana_card.get_by_test_id("edit-closed")).to_have_text(w["posting_closed"])
    expect(ana_card.locator(".actions button").first).to_be_disabled()

    # A locked board says it is the lock, on the post form and on a map, not "closed in this phase".
    host.get_by_test_id("show-lock").check()
    expect(post.get_by_test_id("post-closed")).to_have_text(w["locked"])
    bruno.get_by_role("link", name=w["open_map"]).click()
    expect(bruno.locator(".map-notice")).to_have_text(w["locked"])
    host.get_by_test_id("show-lock").uncheck()
    expect(bruno.locator(".map-notice")).to_have_text(w["maps_closed"])
    MapPage(bruno, language).back_to_board()

    # Removing Carl takes him off People everywhere; the facilitator reads that it is not a ban.
    rows.filter(has_text="Carl").get_by_role("button", name=w["remove_carl"]).click()
    expect(ana.get_by_test_id("people")).not_to_contain_text("Carl")
    expect(ana.get_by_test_id("people").locator("li").filter(has_text="Bruno")).to_contain_text(w["online"])
    expect(host.get_by_test_id("people-removed")).to_contain_text("Carl")
    expect(host.get_by_test_id("people-removed")).to_contain_text(w["not_ban"])
    expect(rows).to_have_count(2)

    # On to the vote phase: posting is closed by the phase now; after the close the projector says so.
    Console(host).advance_through(w["phases"])
    expect(post.get_by_test_id("post-closed")).to_have_text(w["posting_closed"])
    expect(screen.get_by_test_id("vote-stage-title")).to_have_text(w["voting"])
    host.get_by_test_id("vote-close").click()
    expect(screen.get_by_test_id("vote-stage-title")).to_have_text(w["vote_closed"])
    expect(screen.get_by_test_id("vote-progress")).to_be_hidden()

    # The exports panel: the checkbox sits by its label; booklet buttons read plainly.
    box = host.get_by_test_id("export-include-hidden").bounding_box()
    label = host.locator('label[for="export-include-hidden"]').bounding_box()
    assert 0 <= label["x"] - (box["x"] + box["width"]) <= 16, (box, label)
    assert abs((label["y"] + label["height"] / 2) - (box["y"] + box["height"] / 2)) <= 8, (box, label)
    expect(host.get_by_test_id("export-booklet-html")).to_have_text(w["booklet_html"])
    for page in (host, ana, bruno, screen):
        assert not page.errors, page.errors
