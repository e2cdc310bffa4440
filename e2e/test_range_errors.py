"""A number out of its range is said with the bounds the server sent, in the person's language.

The facilitator (English) asks for more dots per story than the budget; Ana (French) types a
funding goal and a reach above their limits. Each sees which field and between what values.
"""
from __future__ import annotations

from playwright.sync_api import expect

from e2e.pages.board import BoardPage
from e2e.pages.console import Console
from e2e.pages.join import join_as
from e2e.support.links import host_path


def error_toast(page):
    return page.locator("#toasts .toast[data-kind='error']")


def test_out_of_range_errors_name_the_bounds_in_english_and_french(people, board):
    host = people(host_path(board))
    ana = people(f"/b/{board['board']['code']}")
    join_as(ana, "Ana")
    ana.get_by_label("Language").select_option("fr")

    # The vote's settings: the browser lets 5 through (1..20), the server says the cap is at most the budget.
    Console(host).set_vote(dots=3, per_story=5)
    expect(error_toast(host)).to_have_text("Dots per story must be between 1 and 3.")

    # A funding goal above a billion: the form says it under the fields, and nothing is posted.
    ana_board = BoardPage(ana, "fr")
    ana_board.post("Le fournil", "Du pain pour le quartier", goal="2000000000", until=None)
    expect(ana_board.post_panel.locator(".form-error")).to_have_text(
        "Objectif de collecte : entre 0 et 1\u202f000\u202f000\u202f000.")
    expect(host.get_by_test_id("project-card")).to_have_count(0)
    ana_board.post("Le fournil", "Du pain pour le quartier", goal="1000")
    expect(ana.get_by_test_id("project-card")).to_have_count(1)

    # A reach above ten million, typed in the map's list.
    ana_board.open_map("Le fournil")
    ana.get_by_label("Nom ou groupe").fill("Maman")
    ana.get_by_role("button", name="Ajouter à la carte").click()
    reach = ana.get_by_label("Portée de « Maman »")
    expect(reach).to_have_value("1")
    reach.fill("20000000")
    reach.press("Enter")
    expect(error_toast(ana)).to_have_text("La portée : entre 0 et 10\u202f000\u202f000.")
    for page in (host, ana):
        assert not page.errors
