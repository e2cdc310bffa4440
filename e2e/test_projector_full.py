"""The projector holds any board: every stage at 1920×1080 with a full room — 20 people, 60 cards at their
maximum lengths, unbroken strings, a right-to-left override, a ranking of 60, a tribe map at its node limit —
shows everything whole (nothing cut by an edge, nothing over anything else), in text of 28 px or more at
4.5:1 contrast or more. Long texts end in an ellipsis; what does not fit turns its pages."""
from __future__ import annotations

from playwright.sync_api import expect

from e2e.pages.projector import check_and_save
from e2e.support.links import projector_path
from e2e.support.room import Room
from server.domain import limits
from server.domain import tribe_maps as rules
from tests.support.server import create_board

RLO = "\u202e"
UNBROKEN = "Snowballeffectcrowdfunding" * 5


def _title(i: int) -> str:
    return [UNBROKEN[: limits.PROJECT_TITLE_MAX], f"{RLO}Fromagerie solidaire {i}",
            f"Urban beehives on every school roof {i}",
            ("A travelling repair café by cargo bike for every village of the valley " * 3)[: limits.PROJECT_TITLE_MAX]][i % 4]


def _pitch(i: int) -> str:
    return (("W" * limits.PROJECT_PITCH_MAX) if i % 2 else
            ("Comics that teach kids to code, printed locally and given to every school library " * 4)[: limits.PROJECT_PITCH_MAX])


def _names() -> list[str]:
    names = [f"Participant {i}" for i in range(20)]
    names[0] = "Ana"
    names[1] = "M" * limits.DISPLAY_NAME_MAX
    names[2] = f"{RLO}Eve the facilitator's friend"
    return names


def _stage(screen, room_name: str, n: int) -> None:
    check_and_save(screen, room_name, f"projector-full-{n:02d}-{room_name}")


def test_every_projector_stage_holds_a_full_board(people, live_server):
    board = create_board(live_server.url, title=f"{RLO}{UNBROKEN}"[: limits.BOARD_TITLE_MAX])
    room = Room(live_server.url, board)
    screen = people(projector_path(board), viewport={"width": 1920, "height": 1080})
    stage = screen.get_by_test_id("projector-stage")
    phase = screen.get_by_test_id("projector-phase")
    try:
        expect(stage).to_have_attribute("data-stage", "join")
        _stage(screen, "before-the-start", 0)
        room.advance()
        names = _names()
        for name in names:
            room.join(name)
        expect(screen.get_by_test_id("join-count")).to_have_text("20 joined")
        # The timer is still on screen beside an unbroken 120-character board title.
        timer = screen.get_by_test_id("projector-timer").bounding_box()
        assert timer and timer["x"] + timer["width"] <= 1920
        _stage(screen, "join", 1)

        room.advance()
        expect(phase).to_have_text("Values")
        _stage(screen, "values", 2)

        room.advance()
        expect(phase).to_have_text("Post your project")
        ids = []
        for i in range(60):
            author = names[i % 20]
            story = ("Who we are, why it matters, the cause we serve. " * 90)[: limits.PROJECT_STORY_MAX] if i == 0 else ""
            ids.append(room.post(author, _title(i), _pitch(i), story=story, category="C" * limits.PROJECT_CATEGORY_MAX,
                                 goal_amount=1_000_000_000))
        wall = screen.get_by_test_id("projector-wall")
        expect(wall).to_have_attribute("data-pages", "8", timeout=20_000)
        per_page = int(wall.get_attribute("data-per-page"))
        # Every card has a place on some page: the wall shows all 60 in turn, a readable page at a time.
        assert per_page >= 8 and per_page * 8 >= 60 > per_page * 7
        expect(screen.get_by_test_id("projector-card")).to_have_count(per_page)
        expect(screen.get_by_test_id("wall-pager")).to_have_text("Page 1 of 8")
        _stage(screen, "wall-page-1", 3)
        expect(wall).to_have_attribute("data-page", "2", timeout=15_000)
        expect(screen.get_by_test_id("wall-pager")).to_have_text("Page 2 of 8")
        _stage(screen, "wall-page-2", 4)

        room.advance()
        expect(phase).to_have_text("Story vote")
        room.ok("host", "vote_open")
        for i, name in enumerate(names):
            for k in range(3):
                target = ids[(i * 3 + k + 1) % 60]
                if target not in ids[i % 20::20]:
                    room.ok(name, "vote_cast", project_id=target)
        expect(stage).to_have_attribute("data-stage", "voting")
        _stage(screen, "voting", 5)

        room.ok("host", "vote_close")
        room.ok("host", "vote_reveal")
        expect(stage).to_have_attribute("data-stage", "ranking")
        ranking = screen.get_by_test_id("ranking")
        rows = screen.get_by_test_id("ranking-row")
        expect(rows.first).to_have_attribute("data-rank", "1")
        shown = rows.count()
        pages = int(ranking.get_attribute("data-pages"))
        # The podium on every page, and every one of the 60 on some page.
        assert shown >= 8 and 3 + (shown - 3) * pages >= 60
        _stage(screen, "ranking", 6)

        room.advance()
        expect(phase).to_have_text("Tribe maps")
        # The map: three people straight up in three rings, one at the right edge.
        realistic = ids[2]
        for label, ring in (("Colleagues", "inner"), ("Local bakery", "network"), ("Platform visitors", "crowd")):
            room.ok("Ana", "map_node_add", project_id=realistic, label=label, ring=ring, reach=40)
        room.ok("Ana", "map_node_add", project_id=realistic, label="Platform visitors", ring="crowd", reach=9000, x=0.95, y=0.1)
        room.ok("host", "spotlight_set", project_id=realistic, view="map")
        drawing = screen.get_by_test_id("projector-map")
        expect(drawing).to_have_attribute("data-drawn", "true")
        expect(screen.get_by_test_id("map-svg")).to_have_attribute("data-words", "4")
        expect(screen.locator(".map-node[data-labelled]")).to_have_count(4)
        expect(screen.locator('.map-node[data-labelled="true"]')).to_have_count(4)
        expect(screen.get_by_test_id("map-ring-label")).to_have_count(3)
        _stage(screen, "map-realistic", 7)

        full = ids[5]
        label = ("Association des commerçants du quartier Saint-Michel et amis " * 2)[: rules.NODE_LABEL_MAX]
        for i in range(rules.NODES_PER_MAP):
            room.ok(names[i % 20], "map_node_add", project_id=full, label=f"{i} {label}"[: rules.NODE_LABEL_MAX], ring=rules.RINGS[i % 3], reach=10 ** (i % 6))
        room.ok("host", "spotlight_set", project_id=full, view="map")
        expect(screen.locator(".map-node")).to_have_count(rules.NODES_PER_MAP, timeout=20_000)
        expect(screen.get_by_test_id("map-svg")).to_have_attribute("data-words", str(rules.NODES_PER_MAP), timeout=20_000)
        expect(screen.locator(".map-node[data-labelled]")).to_have_count(rules.NODES_PER_MAP, timeout=20_000)
        assert screen.get_by_test_id("map-node-label").count() >= 10
        _stage(screen, "map-full", 8)

        room.ok("host", "spotlight_set", project_id=ids[0], view="card")
        expect(screen.get_by_test_id("spotlight-card")).to_be_visible()
        _stage(screen, "spotlight-card-max", 9)
        room.ok("host", "spotlight_set", project_id=None)

        room.advance()
        expect(stage).to_have_attribute("data-stage", "thanks")
        expect(screen.get_by_test_id("ranking-row").first).to_have_attribute("data-rank", "1")
        _stage(screen, "thanks", 10)
        assert screen.errors == []
    finally:
        room.close()


def test_a_french_board_on_the_projector_reads_whole_with_french_plurals(people, live_server):
    board = create_board(live_server.url, title="Atelier financement participatif : créer sa communauté", language="fr")
    room = Room(live_server.url, board)
    screen = people(projector_path(board), viewport={"width": 1920, "height": 1080})
    try:
        for _ in range(3):
            room.advance()
        names = [f"Personne {i}" for i in range(6)]
        for name in names:
            room.join(name)
        ids = []
        for i in range(18):
            ids.append(room.post(names[i % 6], _title(i), _pitch(i)))
        expect(screen.get_by_test_id("wall-pager")).to_have_text("Page 1 sur 3")
        _stage(screen, "fr-wall", 11)
        room.advance()
        room.ok("host", "vote_open")
        room.ok(names[1], "vote_cast", project_id=ids[0])   # one dot: "1 gommette"
        room.ok("host", "vote_close")
        room.ok("host", "vote_reveal")
        first = screen.get_by_test_id("ranking-row").first
        expect(first).to_contain_text("1 gommette")
        expect(screen.get_by_test_id("ranking-row").nth(1)).to_contain_text("0 gommette")  # French: 0 is singular
        _stage(screen, "fr-ranking", 12)
        assert screen.errors == []
    finally:
        room.close()
