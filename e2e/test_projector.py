"""The projector at 1920×1080 through a whole session: a screenshot of every phase under artifacts/,
checks in the page of the smallest text, the weakest contrast and that nothing is cut or overlaps, and
a projector that survives a reload and a server restart without anyone touching it. The facilitator and participants are
python-socketio clients here; the four-browser session is in test_run_of_show.py."""
from __future__ import annotations

from playwright.sync_api import expect

from e2e.pages.projector import check_and_save
from e2e.support.links import projector_path
from e2e.support.room import Room


def shot(screen, n: int, name: str) -> None:
    """Whole, legible, and saved as the n-th screenshot of the session."""
    check_and_save(screen, name, f"projector-{n:02d}-{name}")


def test_the_projector_through_a_whole_session(people, board, live_server):
    room = Room(live_server.url, board)
    screen = people(projector_path(board), viewport={"width": 1920, "height": 1080})
    try:
        phase = screen.get_by_test_id("projector-phase")
        stage = screen.get_by_test_id("projector-stage")
        expect(stage).to_have_attribute("data-stage", "join")
        expect(screen.get_by_test_id("join-qr")).to_be_visible()
        expect(screen.get_by_test_id("join-code")).to_have_text(room.code)
        expect(screen.get_by_test_id("join-url")).to_have_text(f"{live_server.url}/b/{room.code}")
        # The QR image has loaded (visible means laid out, not yet decoded): wait for it, never sleep.
        screen.wait_for_function("() => { const img = document.querySelector('[data-testid=\"join-qr\"]');"
                                 " return img && img.complete && img.naturalWidth > 0; }")
        shot(screen, 0, "before-the-start")

        room.advance()
        expect(phase).to_have_text("Join")
        names = ["Ana", "Ben", "Chloé", "Dario", "Eun-ji"]
        for count, name in enumerate(names, start=1):
            room.join(name)
            expect(screen.get_by_test_id("join-count")).to_have_text(f"{count} joined")   # live "N joined"
        shot(screen, 1, "join")

        room.advance()
        expect(phase).to_have_text("Values")
        expect(stage).to_have_attribute("data-stage", "values")
        shot(screen, 2, "values")

        room.advance()
        expect(phase).to_have_text("Post your project")
        pitches = ["A science-fiction film made with its community", "Urban beehives on every school roof",
                   "A repair café that travels by cargo bike", "Comics that teach kids to code",
                   "A cooperative bakery for the neighbourhood"]
        project_ids = {}
        for name, pitch in zip(names, pitches):
            project_ids[name] = room.post(name, f"{name}’s project", pitch)
        expect(screen.get_by_test_id("projector-card")).to_have_count(5)
        # A reload (someone bumped the laptop's keyboard): the projector comes back by itself.
        screen.reload()
        expect(phase).to_have_text("Post your project")
        expect(screen.get_by_test_id("projector-card")).to_have_count(5)
        shot(screen, 3, "post-your-project")

        room.advance()
        expect(phase).to_have_text("Story vote")
        expect(stage).to_have_attribute("data-stage", "voting")
        room.ok("host", "vote_open")
        for voter, target in zip(names, ["Ben", "Ana", "Ben", "Ana", "Ben"]):
            room.ok(voter, "vote_cast", project_id=project_ids[target])
        shot(screen, 4, "story-vote")
        room.ok("host", "vote_close")
        room.ok("host", "vote_reveal")
        expect(stage).to_have_attribute("data-stage", "ranking")
        ranking = screen.get_by_test_id("ranking").locator("li")
        expect(ranking.first).to_contain_text("Ben’s project")
        expect(ranking.first).to_contain_text("3 dots")
        shot(screen, 5, "vote-reveal")

        # The server restarts: the projector reconnects and follows the next phase on its own.
        live_server.restart()
        room.advance()
        expect(phase).to_have_text("Tribe maps", timeout=20_000)
        room.ok("Ana", "map_node_add", project_id=project_ids["Ana"], label="Family", kind="person", ring="inner", reach=25)
        room.ok("Ben", "map_node_add", project_id=project_ids["Ana"], label="Film-lovers’ club", kind="community", ring="network", reach=300)
        shot(screen, 6, "tribe-maps")
        room.ok("host", "spotlight_set", project_id=project_ids["Ana"], view="map")
        expect(stage).to_have_attribute("data-stage", "map")
        expect(stage).to_contain_text("Ana’s project")
        expect(screen.get_by_test_id("projector-map")).to_have_attribute("data-drawn", "true")
        expect(screen.get_by_test_id("projector-map")).to_contain_text("Film-lovers’ club")
        shot(screen, 7, "spotlight-map")
        room.ok("host", "spotlight_set", project_id=project_ids["Chloé"], view="card")
        expect(screen.get_by_test_id("spotlight-card")).to_contain_text("repair café")
        shot(screen, 8, "spotlight-card")
        room.ok("host", "spotlight_set", project_id=None)

        room.advance()
        expect(phase).to_have_text("Wrap-up")
        expect(stage).to_have_attribute("data-stage", "thanks")
        shot(screen, 9, "wrap-up")
        assert screen.errors == []
    finally:
        room.close()
