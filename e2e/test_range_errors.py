"""A number out of its range is said with the bounds the server sent, in the person's language.

The facilitator (English) asks for more dots per story than the budget; Ana (French) types a
funding goal and a reach above their limits. Each sees which field and between what values.
"""
from __future__ import annotations

from playwright.sync_api import expect

from e2e.conftest import host_path, join_as


def error_toast(page):
    return page.locator("#toasts .toast[data-kind='error']")


def test_out_of_range_errors_name_the_bounds_in_english_and_french(people, board):
    host = people(host_path(board))
    ana = people(f"/b/{board['board']['code']}")
    join_as(ana, "Ana")
    ana.get_by_label("Language").select_option("fr")

    # The vote's settings: the browser lets 5 through (1..20), the server says the cap is at most the budget.
    settings = host.get_by_test_id("vote-settings")
    settings.get_by_label("Dots per person").fill("3")
    settings.get_by_label("Most dots one person may put on one story").fill("5")
    settings.get_by_role("button", name="Save settings").click()
    expect(error_toast(host)).to_have_text("Dots per story must be between 1 and 3.")

    # A funding goal above a billion: the form says it under the fields, and nothing is posted.
    panel = ana.get_by_test_id("post-panel")
    panel.get_by_label("Titre du projet").fill("Le fournil")
    panel.get_by_label("Accroche en une phrase").fill("Du pain pour le quartier")
    panel.get_by_label("Objectif de collecte").fill("2000000000")
    panel.get_by_role("button", name="Publier le projet").click()
    expect(panel.locator(".form-error")).to_have_text("Objectif de collecte : entre 0 et 1\u202f000\u202f000\u202f000.")
    expect(host.get_by_test_id("project-card")).to_have_count(0)
    panel.get_by_label("Objectif de collecte").fill("1000")
    panel.get_by_role("button", name="Publier le projet").click()
    expect(ana.get_by_test_id("project-card")).to_have_count(1)

    # A reach above ten million, typed in the map's list.
    ana.get_by_role("link", name="Ouvrir la carte de tribu de « Le fournil »").click()
    ana.get_by_label("Nom ou groupe").fill("Maman")
    ana.get_by_role("button", name="Ajouter à la carte").click()
    reach = ana.get_by_label("Portée de « Maman »")
    expect(reach).to_have_value("1")
    reach.fill("20000000")
    reach.press("Enter")
    expect(error_toast(ana)).to_have_text("La portée : entre 0 et 10\u202f000\u202f000.")
    for page in (host, ana):
        assert not page.errors
