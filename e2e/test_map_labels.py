"""Tribe-map words on the participants' screens: two people on one map (a 1366-px laptop and a 1920-px one)
while others keep adding people to it, up to the map's limit. No label covers another, a node, a ring's name
or the project, none leaves the drawing, every ring's name stays in view, the title sits whole in its disc;
both screens name the same nodes."""
from __future__ import annotations

from playwright.sync_api import expect

from e2e.pages.join import join_as
from e2e.support.artifacts import save_artifact
from e2e.support.projector_layout import check_whole
from e2e.support.room import Room
from server.domain import tribe_maps as rules
from tests.support.server import create_board

TITLE = "Fromagerie solidaire du quartier"
MAP = '[data-testid="map-svg"]'


def _labelled(page) -> list[str]:
    return page.locator('[data-testid="map-node"][data-labelled="true"]').evaluate_all("els => els.map(e => e.dataset.label)")


def test_map_labels_never_overlap_on_two_screens_while_the_map_fills_up(people, live_server):
    board = create_board(live_server.url, title="Atelier")
    room = Room(live_server.url, board)
    try:
        for _ in range(3):
            room.advance()  # join, values, post your project
        room.join("Carla")
        project = room.post("Carla", TITLE, "Cheese made by the neighbourhood")
        room.advance()
        room.advance()  # story vote, tribe maps
        helpers = [room.join(f"Helper {i}") and f"Helper {i}" for i in range(6)]  # within each one's rate limit
        code = board["board"]["code"]
        ana = people(f"/b/{code}", viewport={"width": 1366, "height": 768})
        join_as(ana, "Ana")
        bruno = people(f"/b/{code}", viewport={"width": 1920, "height": 1080})
        join_as(bruno, "Bruno")
        for page in (ana, bruno):
            page.goto(f"/b/{code}#map/{project}")
            expect(page.get_by_test_id("map-svg")).to_be_visible()

        # The map: three people straight up in three rings, one at the right edge.
        for label, ring in (("Colleagues", "inner"), ("Local bakery", "network"), ("Platform visitors", "crowd")):
            room.ok("Carla", "map_node_add", project_id=project, label=label, ring=ring, reach=40)
        room.ok("Carla", "map_node_add", project_id=project, label="Platform visitors", ring="crowd", reach=9000, x=0.95, y=0.1)
        for page in (ana, bruno):
            expect(page.get_by_test_id("map-svg")).to_have_attribute("data-words", "4")
            expect(page.locator('[data-testid="map-node"][data-labelled="true"]')).to_have_count(4)
            expect(page.get_by_test_id("map-ring-label")).to_have_count(3)
            # The project's title whole, in lines inside its disc (it was "Fromagerie solida…").
            assert " ".join(page.locator(".map-project-title tspan").all_text_contents()) == TITLE
            check_whole(page, "four nodes", MAP, fixed_screen=False)
        save_artifact(ana, "map-labels-four")

        label = ("Association des commerçants du quartier Saint-Michel et amis " * 2)[: rules.NODE_LABEL_MAX]
        for i in range(4, rules.NODES_PER_MAP):
            room.ok(helpers[i % 6], "map_node_add", project_id=project, label=f"{i} {label}"[: rules.NODE_LABEL_MAX],
                    ring=rules.RINGS[i % 3], reach=10 ** (i % 6))
            if i in (30, 90):
                for page in (ana, bruno):
                    expect(page.get_by_test_id("map-node")).to_have_count(i + 1, timeout=20_000)
                    expect(page.get_by_test_id("map-svg")).to_have_attribute("data-words", str(i + 1), timeout=20_000)
                    check_whole(page, f"{i + 1} nodes", MAP, fixed_screen=False)
        for page in (ana, bruno):
            expect(page.get_by_test_id("map-node")).to_have_count(rules.NODES_PER_MAP, timeout=20_000)
            expect(page.get_by_test_id("map-svg")).to_have_attribute("data-words", str(rules.NODES_PER_MAP), timeout=20_000)
            check_whole(page, "a full map", MAP, fixed_screen=False)
            expect(page.get_by_test_id("map-ring-label")).to_have_count(3)
        # The same words at the same sizes: both screens name the same nodes (the list names them all).
        assert _labelled(ana) == _labelled(bruno) and len(_labelled(ana)) >= 10
        save_artifact(bruno, "map-labels-full")
        assert ana.errors == [] and bruno.errors == []
    finally:
        room.close()
