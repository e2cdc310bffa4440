"""Sentences with numbers read right in English and French: "who is stuck" is phrases each agreeing with
its own count ("1 en a placé", "2 en ont placé"), and every number inside a sentence goes through the
one formatter (Intl): a tribe-map node's tooltip says "1,000 people" / "1 000 personnes", the momentum
meter "20% who back" / "20 % qui contribuent".

The facilitator watches "who is stuck" while four participants (socket clients) post and place dots;
Eve opens Ana's tribe map in her browser while Ana adds people to it.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from e2e.pages.join import join_as
from e2e.support.links import host_path
from e2e.support.room import Room
from tests.support.server import create_board

N = "\u202f"  # Intl's narrow no-break space (French grouping, and before "%")
WORDS = {
    "en": {
        "stuck": ["2 of 4 posted a project · 0 of 4 used all 2 dots · 1 placed at least one",
                  "2 of 4 posted a project · 1 of 4 used all 2 dots · 2 placed at least one",
                  "2 of 4 posted a project · 2 of 4 used all 2 dots · 2 placed at least one"],
        "family": "Famille — Person, 1,000 people", "neighbour": "Voisin — Person, 1 person",
        "formula": "1,000 people in the inner circle × 20% who back = 200 backers × €30 = €6,000",
        "progress": "200% of the first-days target (€3,000, 30% of the goal)",
    },
    "fr": {
        "stuck": ["2 sur 4 ont publié un projet · 0 sur 4 a placé les 2 gommettes · 1 en a placé au moins une",
                  "2 sur 4 ont publié un projet · 1 sur 4 a placé les 2 gommettes · 2 en ont placé au moins une",
                  "2 sur 4 ont publié un projet · 2 sur 4 ont placé les 2 gommettes · 2 en ont placé au moins une"],
        "family": f"Famille — Personne, 1{N}000 personnes", "neighbour": "Voisin — Personne, 1 personne",
        "formula": f"1{N}000 personnes dans le premier cercle × 20{N}% qui contribuent = 200 contributeurs"
                   f" × 30\u00a0€ = 6{N}000\u00a0€",
        "progress": f"200{N}% de la cible des premiers jours (3{N}000\u00a0€, 30{N}% de l’objectif)",
    },
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_sentences_with_numbers_agree_and_are_formatted(people, live_server, language):
    w = WORDS[language]
    created = create_board(live_server.url, title="Atelier", language=language)
    code = created["board"]["code"]
    room = Room(live_server.url, created)
    try:
        for name in ("Ana", "Ben", "Cleo", "Dan"):
            room.join(name)
        ferme = room.post("Ana", "La Ferme", "Le projet La Ferme", goal_amount=10000, currency="EUR")
        radio = room.post("Ben", "Radio Quartier", "Le projet Radio Quartier")
        host = people(host_path(created))
        summary = host.get_by_test_id("stuck-summary")

        for _ in range(4):
            room.advance()  # start (join), values, post your project, story vote
        room.ok("host", "vote_configure", budget=2, cap=1)
        room.ok("host", "vote_open")
        room.ok("Cleo", "vote_cast", project_id=ferme)
        expect(summary).to_have_text(w["stuck"][0])
        room.ok("Dan", "vote_cast", project_id=ferme)
        room.ok("Dan", "vote_cast", project_id=radio)
        expect(summary).to_have_text(w["stuck"][1])
        room.ok("Cleo", "vote_cast", project_id=radio)
        expect(summary).to_have_text(w["stuck"][2])

        room.advance()  # tribe maps
        eve = people(f"/b/{code}")
        join_as(eve, "Eve", language)
        eve.goto(f"/b/{code}#map/{ferme}")
        expect(eve.get_by_test_id("map-svg")).to_be_visible()
        room.ok("Ana", "map_node_add", project_id=ferme, label="Famille", kind="person", ring="inner", reach=1000)
        room.ok("Ana", "map_node_add", project_id=ferme, label="Voisin", kind="person", ring="network", reach=1)
        nodes = eve.get_by_test_id("map-svg").locator('[data-testid="map-node"]')
        expect(nodes.filter(has=eve.locator("title")).locator("title")).to_have_text([w["family"], w["neighbour"]])
        expect(eve.get_by_test_id("momentum-formula")).to_have_text(w["formula"])
        expect(eve.get_by_test_id("momentum-progress")).to_have_text(w["progress"])
        assert host.errors == [] and eve.errors == []
    finally:
        room.close()
