"""The join page of a board this device opened before opens offline too: Dan looked at the join page of
the room's board (Ana is already on it), the Wi-Fi drops and he reloads: the page opens from his device,
names the board and says it is offline and that joining needs the network; a board never opened on his
device says plainly that it needs the network. When the server is back the page goes live by itself
and he joins. In English and French.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.pages.join import join_as
from tests.support.server import create_board

WORDS = {
    "en": {"title": "Join “Atelier”",
           "offline": "Offline: this is the board as this device last saw it. Joining needs the network",
           "never": "This board has never been opened on this device, and opening it the first time needs the network.",
           "retry": "Try again"},
    "fr": {"title": "Rejoindre « Atelier »",
           "offline": "Hors ligne : voici le tableau tel que cet appareil l’a vu en dernier. Pour le rejoindre, il faut le réseau",
           "never": "Ce tableau n’a jamais été ouvert sur cet appareil, et la première ouverture demande le réseau.",
           "retry": "Réessayer"},
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_join_page_of_a_board_opened_before_opens_offline(browser, live_server, language):
    w = WORDS[language]
    seen = create_board(live_server.url, title="Atelier", language=language)["board"]["code"]
    never = create_board(live_server.url, title="Autre atelier", language=language)["board"]["code"]
    # A board never opened here has no language known to the device: the page speaks the browser's.
    locale = {"en": "en-GB", "fr": "fr-FR"}[language]
    contexts = [browser.new_context(base_url=live_server.url, locale=locale) for _ in range(2)]
    dan, ana = (context.new_page() for context in contexts)
    try:
        for page in (dan, ana):
            page.set_default_timeout(15_000)
            page.goto(f"/b/{seen}")
        join_as(ana, "Ana", language)
        expect(dan.get_by_role("heading", name=w["title"])).to_be_visible()
        expect(dan.locator("html")).to_have_attribute("data-offline-ready", "true")

        # The Wi-Fi drops and Dan reloads: the join page opens from his device, marked offline.
        contexts[0].set_offline(True)
        live_server.stop()
        dan.reload()
        expect(dan.get_by_role("heading", name=w["title"])).to_be_visible()
        expect(dan.get_by_test_id("join-offline")).to_contain_text(w["offline"])

        # A board his device never opened says it needs the network, in words, with a way to try again.
        dan.goto(f"/b/{never}")
        expect(dan.get_by_test_id("join-unavailable")).to_contain_text(w["never"])
        expect(dan.get_by_role("button", name=w["retry"])).to_be_visible()
        dan.goto(f"/b/{seen}")
        expect(dan.get_by_test_id("join-offline")).to_be_visible()

        # The server and the Wi-Fi are back: the page goes live by itself, and Dan joins.
        live_server.start()
        contexts[0].set_offline(False)
        expect(dan.get_by_test_id("join-offline")).to_be_hidden()
        join_as(dan, "Dan", language)
    finally:
        for context in contexts:
            context.close()
