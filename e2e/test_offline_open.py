"""A board that opens offline: Ana's laptop loses the server, she reloads, and Snowball still opens
from her device (the service worker's app shell) with the last board she saw, marked offline. What she
posts then waits in the outbox and reaches Bruno once the server is back. In English and French.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.pages.board import BoardPage
from e2e.pages.join import join_as
from tests.support.server import create_board

WORDS = {
    "en": {"offline": "Offline: this is the board as this device last saw it", "waiting": "Waiting to be sent…",
           "live": "Live"},
    "fr": {"offline": "Hors ligne : voici le tableau tel que cet appareil l’a vu en dernier",
           "waiting": "En attente d’envoi…", "live": "En direct"},
}


# True once the board kept on this device (Cache API) mentions the text.
KEPT_HAS = """async (text) => {
    const cache = await caches.open("snowball-boards-v1");
    for (const key of await cache.keys()) if ((await (await cache.match(key)).text()).includes(text)) return true;
    return false;
}"""


def _cards(page):
    return page.get_by_test_id("project-card")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_reload_without_the_server_opens_the_last_board_and_keeps_queuing(browser, live_server, language):
    w = WORDS[language]
    created = create_board(live_server.url, title="Atelier", language=language)
    code = created["board"]["code"]
    contexts = [browser.new_context(base_url=live_server.url) for _ in range(2)]
    ana, bruno = (context.new_page() for context in contexts)
    try:
        for page in (ana, bruno):
            page.set_default_timeout(15_000)
            page.goto(f"/b/{code}")
        for page, name, title in ((ana, "Ana", "La Ferme"), (bruno, "Bruno", "Radio Quartier")):
            join_as(page, name, language)
            BoardPage(page, language).post(title, f"Le projet {title}")
        expect(_cards(ana)).to_have_count(2)  # Bruno's card reached Ana live
        expect(ana.locator("html")).to_have_attribute("data-offline-ready", "true")
        ana.wait_for_function(KEPT_HAS, arg="Radio Quartier")  # ... and her device keeps it

        # The server goes away (the Wi-Fi dropped), and Ana reloads: Snowball opens from her device.
        contexts[0].set_offline(True)
        live_server.stop()
        ana.reload()
        expect(ana.get_by_test_id("offline-copy")).to_contain_text(w["offline"])
        expect(_cards(ana).filter(has_text="La Ferme")).to_have_count(1)
        expect(_cards(ana).filter(has_text="Radio Quartier")).to_have_count(1)
        expect(ana.get_by_test_id("connection")).not_to_have_text(w["live"])

        # What she does now waits on her device, shown pending.
        BoardPage(ana, language).post("Le Fournil", "Le projet Le Fournil", until="pending")
        expect(ana.get_by_test_id("pending")).to_have_text(w["waiting"])

        # The server is back: her change goes out once, Bruno sees it, the offline mark goes away.
        live_server.start()
        contexts[0].set_offline(False)
        expect(ana.get_by_test_id("connection")).to_have_text(w["live"], timeout=30_000)
        expect(ana.get_by_test_id("offline-copy")).to_be_hidden()
        expect(ana.get_by_test_id("pending")).to_have_count(0)
        expect(_cards(bruno).filter(has_text="Le Fournil")).to_have_count(1, timeout=30_000)
        expect(_cards(ana)).to_have_count(3)
    finally:
        for context in contexts:
            context.close()
