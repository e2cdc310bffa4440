"""One locale-aware formatter: the card on screen, the e-mail draft and the export say an amount and a
date the same way, the board's language's way (Intl in the browser, Babel on the server).

Ana posts a project with a goal and campaign dates; Bruno reads her card; Ana opens her e-mail
drafts; the facilitator downloads the summary. In English and in French.
"""
from __future__ import annotations

import pytest
import requests
from playwright.sync_api import expect

from e2e.pages.board import BoardPage
from e2e.pages.join import join_as
from tests.support.server import create_board

TITLE = "Le fournil du quartier"
WORDS = {
    "en": {"body": "Message",
           "amount": "€8,000", "dates": "July 1, 2026 → August 15, 2026",
           "draft_goal": "Our goal is €8,000.", "draft_dates": "from July 1, 2026 to August 15, 2026",
           "export_goal": "**Funding goal:** €8,000", "export_dates": "July 1, 2026 → August 15, 2026"},
    "fr": {"body": "Message",
           "amount": "8\u202f000\u00a0€", "dates": "1 juillet 2026 → 15 août 2026",
           "draft_goal": "Notre objectif : 8\u202f000\u00a0€.", "draft_dates": "du 1 juillet 2026 au 15 août 2026",
           "export_goal": "**Objectif de collecte :** 8\u202f000\u00a0€", "export_dates": "1 juillet 2026 → 15 août 2026"},
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_card_draft_and_export_write_amounts_and_dates_alike(people, live_server, language):
    words = WORDS[language]
    created = create_board(live_server.url, title="Atelier", language=language)
    code = created["board"]["code"]
    ana = people(f"/b/{code}")
    join_as(ana, "Ana", language)
    ana_board = BoardPage(ana, language)
    ana_board.post(TITLE, "Du pain avec le quartier", goal="8000", starts="2026-07-01", ends="2026-08-15")

    bruno = people(f"/b/{code}")
    join_as(bruno, "Bruno", language)
    card = bruno.get_by_test_id("project-card").filter(has_text=TITLE)
    expect(card).to_contain_text(words["amount"])
    expect(card).to_contain_text(words["dates"])

    ana_board.open_map(TITLE)
    inner = ana.locator('[data-testid="mail-draft"][data-ring="inner"]')
    inner.locator("summary").click()
    body = inner.get_by_label(words["body"])
    expect(body).not_to_have_value("")
    draft = body.input_value()
    assert words["draft_goal"] in draft and words["draft_dates"] in draft, draft
    assert "2026-07-01" not in draft

    summary = requests.get(f"{live_server.url}/api/boards/{code}/exports/summary.md", timeout=30,
                           headers={"Authorization": f"Bearer {created['facilitator_token']}"})
    summary.raise_for_status()
    assert words["export_goal"] in summary.text and words["export_dates"] in summary.text
    assert not ana.errors and not bruno.errors
