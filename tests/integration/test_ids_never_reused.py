"""A removed row's id is never given to a new row, for every kind that can be removed (SQLite and PostgreSQL).

On SQLite a plain INTEGER PRIMARY KEY reuses the highest id once its row is gone; then a stale
command (an outbox replay, a second tab) naming the removed id acts on someone else's new row.
"""
from __future__ import annotations

import pytest

from server.domain.errors import DomainError
from server.services import projects, snapshot
from server.services.show import moderation, run_of_show, spotlight
from server.services.maps import use_cases as maps
from tests.support.clients import op_id


def refused(fn, *args) -> DomainError:
    with pytest.raises(DomainError) as caught:
        fn(*args)
    return caught.value


def post(database, actor, title: str) -> int:
    return projects.post_project(database, actor, op_id(), {"title": title, "pitch": "p"}).event["data"]["project"]["id"]


def node(database, actor, project_id: int, label: str) -> int:
    return maps.add_node(database, actor, op_id(), project_id, {"label": label, "ring": "inner"}).event["data"]["node"]["id"]


@pytest.fixture
def people(join):
    return join("Ana")[0], join("Bruno")[0]


def test_a_removed_card_id_stays_gone(database, board, people):
    ana, bruno = people
    post(database, ana, "Le fournil")
    removed = post(database, ana, "La ferme")
    projects.delete_project(database, ana, op_id(), removed)
    newer = post(database, bruno, "Radio Vélo")
    assert newer > removed
    # The facilitator's stale delete from a second tab cannot take Bruno's newer card.
    assert refused(projects.delete_project, database, board.facilitator, op_id(), removed).code == "project_not_found"


def test_a_removed_node_id_stays_gone(database, board, people):
    ana, bruno = people
    project_id = post(database, ana, "Le fournil")
    node(database, ana, project_id, "Maman")
    removed = node(database, ana, project_id, "Papa")
    maps.remove_node(database, ana, op_id(), project_id, removed)
    newer = node(database, bruno, project_id, "Voisins")
    assert newer > removed
    # Ana's replayed edit of her removed node must not relabel Bruno's node.
    error = refused(maps.edit_node, database, ana, op_id(), project_id, removed, {"label": "Oops"})
    assert (error.code, error.params["node_id"]) == ("node_not_found", removed)


def test_a_removed_link_id_stays_gone(database, board, people):
    ana, bruno = people
    project_id = post(database, ana, "Le fournil")
    a, b, c = (node(database, ana, project_id, label) for label in ("Maman", "Papa", "Voisins"))
    maps.add_link(database, bruno, op_id(), project_id, a, b)
    removed = maps.add_link(database, bruno, op_id(), project_id, b, c).event["data"]["link"]["id"]
    maps.remove_link(database, bruno, op_id(), project_id, removed)
    newer = maps.add_link(database, ana, op_id(), project_id, a, c).event["data"]["link"]["id"]
    assert newer > removed
    # Bruno's resent removal names a link that is gone, not Ana's: link_not_found, never not_allowed.
    assert refused(maps.remove_link, database, bruno, op_id(), project_id, removed).code == "link_not_found"


def test_a_removed_plan_item_id_stays_gone(database, board, people):
    ana, bruno = people
    project_id = post(database, ana, "Le fournil")
    item = {"what": "Teaser", "ring": "network", "when": "before_launch"}
    maps.add_plan_item(database, ana, op_id(), project_id, item)
    removed = maps.add_plan_item(database, ana, op_id(), project_id, item).event["data"]["item"]["id"]
    maps.remove_plan_item(database, ana, op_id(), project_id, removed)
    newer = maps.add_plan_item(database, bruno, op_id(), project_id, item).event["data"]["item"]["id"]
    assert newer > removed
    assert refused(maps.edit_plan_item, database, ana, op_id(), project_id, removed, {"what": "x"}).code == "plan_item_not_found"


def test_a_removed_phase_id_stays_gone(database, board):
    def agenda(*phases):
        result = run_of_show.set_agenda(database, board.facilitator, op_id(), list(phases))
        return [p["id"] for p in result.event["data"]["show"]["phases"]]

    first, removed = agenda({"kind": "join", "duration_s": 300}, {"kind": "values", "duration_s": 300})
    agenda({"id": first, "kind": "join", "duration_s": 300})
    _, newer = agenda({"id": first, "kind": "join", "duration_s": 300}, {"kind": "post", "duration_s": 300})
    assert newer > removed


def test_a_deleted_card_leaves_nothing_pointing_at_its_id(database, board, people):
    ana, _ = people
    card = post(database, ana, "Le fournil")
    moderation.hide_project(database, board.facilitator, op_id(), card)
    moderation.unhide_project(database, board.facilitator, op_id(), card)
    spotlight.set_spotlight(database, board.facilitator, op_id(), card, "card")
    projects.delete_project(database, ana, op_id(), card)
    seen = snapshot.snapshot(database, board.facilitator)
    assert seen["spotlight"] is None
    hidden = post(database, ana, "La ferme")
    moderation.hide_project(database, board.facilitator, op_id(), hidden)
    projects.delete_project(database, board.facilitator, op_id(), hidden)
    assert snapshot.snapshot(database, board.facilitator)["moderation"]["hidden_projects"] == []
