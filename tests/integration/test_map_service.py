"""Tribe map use cases on SQLite and PostgreSQL: nodes, moves, links, plan, settings, drafts, who may, limits."""
from __future__ import annotations

import pytest

from server.domain import tribe_maps as rules
from server.domain.errors import DomainError
from server.services import projects, snapshot
from server.services.show import run_of_show
from server.services.maps import use_cases as maps
from tests.support.clients import op_id

CARD = {"title": "La ferme du coin", "pitch": "Du pain pour le quartier", "goal_amount": 10000,
        "story": "Nous cuisons du pain au levain avec les voisins."}


@pytest.fixture
def people(join):
    """The project's author, a helper who adds nodes, and someone else."""
    return join("Ana")[0], join("Bruno")[0], join("Chloé")[0]


@pytest.fixture
def project_id(database, people) -> int:
    author = people[0]
    return projects.post_project(database, author, op_id(), CARD).event["data"]["project"]["id"]


def refused(fn, *args) -> DomainError:
    with pytest.raises(DomainError) as caught:
        fn(*args)
    return caught.value


def the_map(database, board, project_id) -> dict | None:
    found = [m for m in snapshot.snapshot(database, board.facilitator)["tribe_maps"] if m["project_id"] == project_id]
    return found[0] if found else None


def add(database, actor, project_id, label="Maman", **fields):
    return maps.add_node(database, actor, op_id(), project_id, {"label": label, **fields}).event["data"]["node"]


def test_first_node_creates_the_map_lazily(database, board, people, project_id):
    author, helper, _ = people
    assert the_map(database, board, project_id) is None
    result = maps.add_node(database, helper, op_id(), project_id, {"label": "Les voisins", "kind": "community", "reach": 40, "ring": "network"})
    event = result.event
    assert event["type"] == "map_node_added" and event["data"]["project_id"] == project_id
    node = event["data"]["node"]
    assert (node["label"], node["kind"], node["ring"], node["reach"], node["added_by"]) == ("Les voisins", "community", "network", 40, helper.participant_id)
    assert rules.ring_of(rules.Position(node["x"], node["y"])) == "network"
    assert the_map(database, board, project_id) == {
        "project_id": project_id, "settings": {"average_pledge": 30, "conversion_pct": 20},
        "nodes": [node], "links": [], "plan_items": [], "email_drafts": [],
    }


def test_a_position_gives_the_ring_and_a_move_across_rings_changes_it(database, board, people, project_id):
    author, helper, _ = people
    node = add(database, helper, project_id, x=0.0, y=-0.3)
    assert node["ring"] == "inner"
    moved = maps.move_node(database, helper, op_id(), project_id, node["id"], 0.8, 0.1).event
    assert moved["type"] == "map_node_moved"
    assert (moved["data"]["node"]["ring"], moved["data"]["node"]["x"], moved["data"]["node"]["y"]) == ("crowd", 0.8, 0.1)
    # Last committed move wins: the author moves it again, the map shows the later move.
    maps.move_node(database, author, op_id(), project_id, node["id"], -0.5, 0.0)
    (stored,) = the_map(database, board, project_id)["nodes"]
    assert (stored["x"], stored["y"], stored["ring"]) == (-0.5, 0.0, "network")


def test_edit_changes_only_what_is_sent_and_a_new_ring_keeps_the_direction(database, board, people, project_id):
    _, helper, _ = people
    node = add(database, helper, project_id, label="Collègues", ring="inner", reach=12)
    edited = maps.edit_node(database, helper, op_id(), project_id, node["id"], {"reach": 25, "ring": "crowd"}).event["data"]["node"]
    assert (edited["label"], edited["reach"], edited["ring"]) == ("Collègues", 25, "crowd")
    assert rules.ring_of(rules.Position(edited["x"], edited["y"])) == "crowd"
    before, after = rules.Position(node["x"], node["y"]), rules.Position(edited["x"], edited["y"])
    assert after.angle == pytest.approx(before.angle, abs=1e-3)
    assert refused(maps.edit_node, database, helper, op_id(), project_id, node["id"], {"label": " "}).code == "required"


def test_who_may_change_what(database, board, people, project_id):
    author, helper, other = people
    node = add(database, helper, project_id)
    assert refused(maps.move_node, database, other, op_id(), project_id, node["id"], 0.5, 0.5).code == "not_allowed"
    assert refused(maps.remove_node, database, other, op_id(), project_id, node["id"]).code == "not_allowed"
    assert refused(maps.add_node, database, board.projector, op_id(), project_id, {"label": "x"}).code == "forbidden"
    maps.edit_node(database, helper, op_id(), project_id, node["id"], {"label": "Ma mère"})      # what they added
    maps.edit_node(database, author, op_id(), project_id, node["id"], {"reach": 3})             # anything on their map
    maps.move_node(database, board.facilitator, op_id(), project_id, node["id"], 0.0, 0.9)      # moderation
    other_node = add(database, other, project_id, label="Club")
    assert refused(maps.edit_node, database, helper, op_id(), project_id, other_node["id"], {"reach": 1}).code == "not_allowed"
    maps.remove_node(database, author, op_id(), project_id, other_node["id"])
    (stored,) = the_map(database, board, project_id)["nodes"]
    assert (stored["label"], stored["reach"], stored["ring"]) == ("Ma mère", 3, "crowd")


def test_links_rules_and_removing_a_node_takes_its_links_and_keeps_its_plan(database, board, people, project_id):
    author, helper, other = people
    a, b, c = (add(database, helper, project_id, label=name) for name in ("A", "B", "C"))
    link = maps.add_link(database, other, op_id(), project_id, a["id"], b["id"]).event["data"]["link"]
    assert (link["from_node_id"], link["to_node_id"], link["added_by"]) == (a["id"], b["id"], other.participant_id)
    maps.add_link(database, other, op_id(), project_id, c["id"], b["id"])
    keep = maps.add_link(database, other, op_id(), project_id, a["id"], c["id"]).event["data"]["link"]
    assert refused(maps.add_link, database, other, op_id(), project_id, a["id"], b["id"]).code == "duplicate_link"
    assert refused(maps.add_link, database, other, op_id(), project_id, a["id"], a["id"]).code == "self_link"
    item = maps.add_plan_item(database, other, op_id(), project_id,
                              {"what": "Appel", "node_id": b["id"], "when": "launch_day", "where": "Téléphone", "how": "Salut"}).event["data"]["item"]

    removed = maps.remove_node(database, helper, op_id(), project_id, b["id"]).event
    assert removed["type"] == "map_node_removed"
    assert removed["data"]["node_id"] == b["id"]
    assert len(removed["data"]["link_ids"]) == 2 and link["id"] in removed["data"]["link_ids"]
    assert removed["data"]["plan_items"] == [{**item, "node_id": None, "ring": b["ring"]}]

    # A link to the removed node is refused with a clear error; nothing dangles.
    error = refused(maps.add_link, database, other, op_id(), project_id, a["id"], b["id"])
    assert (error.code, error.params["node_id"]) == ("node_not_found", b["id"])
    state = the_map(database, board, project_id)
    assert [n["id"] for n in state["nodes"]] == [a["id"], c["id"]]
    assert state["links"] == [keep]
    assert state["plan_items"] == removed["data"]["plan_items"]


def test_link_removal_permissions(database, board, people, project_id):
    author, helper, other = people
    a, b = add(database, helper, project_id, label="A"), add(database, helper, project_id, label="B")
    link = maps.add_link(database, other, op_id(), project_id, a["id"], b["id"]).event["data"]["link"]
    assert refused(maps.remove_link, database, helper, op_id(), project_id, link["id"]).code == "not_allowed"
    result = maps.remove_link(database, author, op_id(), project_id, link["id"]).event
    assert result["data"] == {"project_id": project_id, "link_id": link["id"]}
    assert refused(maps.remove_link, database, other, op_id(), project_id, link["id"]).code == "link_not_found"


def test_share_plan_items(database, board, people, project_id):
    author, helper, other = people
    node = add(database, helper, project_id, label="Presse locale", kind="media", ring="crowd")
    item = maps.add_plan_item(database, helper, op_id(), project_id,
                              {"what": "Communiqué", "ring": "crowd", "when": "first_week", "where": "Mail", "how": "Bonjour"}).event["data"]["item"]
    assert {k: item[k] for k in ("what", "node_id", "ring", "when", "where", "how")} == \
        {"what": "Communiqué", "node_id": None, "ring": "crowd", "when": "first_week", "where": "Mail", "how": "Bonjour"}
    retargeted = maps.edit_plan_item(database, helper, op_id(), project_id, item["id"], {"node_id": node["id"], "when": "launch_day"}).event["data"]["item"]
    assert (retargeted["node_id"], retargeted["ring"], retargeted["when"], retargeted["what"]) == (node["id"], None, "launch_day", "Communiqué")
    assert refused(maps.edit_plan_item, database, other, op_id(), project_id, item["id"], {"what": "x"}).code == "not_allowed"
    assert refused(maps.add_plan_item, database, other, op_id(), project_id,
                   {"what": "x", "node_id": 999999, "when": "after", "where": "", "how": ""}).code == "node_not_found"
    removed = maps.remove_plan_item(database, author, op_id(), project_id, item["id"]).event
    assert removed["data"] == {"project_id": project_id, "item_id": item["id"]}
    assert the_map(database, board, project_id)["plan_items"] == []


def test_settings_and_email_drafts_belong_to_the_author(database, board, people, project_id):
    author, helper, _ = people
    assert refused(maps.edit_settings, database, helper, op_id(), project_id, {"average_pledge": 50}).code == "not_author"
    settings = maps.edit_settings(database, author, op_id(), project_id, {"average_pledge": 50}).event["data"]["settings"]
    assert settings == {"average_pledge": 50, "conversion_pct": 20}
    assert refused(maps.edit_settings, database, author, op_id(), project_id, {"conversion_pct": 0}).code == "out_of_range"

    preview = maps.email_preview(database, helper, project_id, "inner")
    assert preview["ring"] == "inner" and "La ferme du coin" in preview["subject"]
    assert "Nous cuisons du pain au levain" in preview["body"] and "Bonjour" in preview["body"]  # board language: fr
    assert refused(maps.save_email_draft, database, helper, op_id(), project_id, "inner", "s", "b").code == "not_author"
    saved = maps.save_email_draft(database, author, op_id(), project_id, "inner", "Sujet", "Mon message").event["data"]["draft"]
    assert (saved["ring"], saved["subject"], saved["body"], saved["updated_by"]) == ("inner", "Sujet", "Mon message", author.participant_id)
    again = maps.save_email_draft(database, author, op_id(), project_id, "inner", "Sujet 2", "Mieux").event["data"]["draft"]
    assert the_map(database, board, project_id)["email_drafts"] == [again]


def test_unknown_project_and_node(database, board, people, project_id):
    author, _, _ = people
    assert refused(maps.add_node, database, author, op_id(), 999999, {"label": "x"}).code == "project_not_found"
    assert refused(maps.move_node, database, author, op_id(), project_id, 999999, 0.5, 0.5).code == "node_not_found"


def test_node_limit_names_the_limit(database, board, people, project_id, monkeypatch):
    _, helper, _ = people
    monkeypatch.setattr(rules, "NODES_PER_MAP", 2)
    add(database, helper, project_id, label="1")
    add(database, helper, project_id, label="2")
    error = refused(maps.add_node, database, helper, op_id(), project_id, {"label": "3"})
    assert (error.code, error.params["limit"], error.params["maximum"]) == ("limit_reached", "nodes_per_map", 2)


def test_closed_mapping_gate_refuses_participants_not_the_facilitator(database, board, people, project_id):
    author, helper, _ = people
    node = add(database, helper, project_id)
    run_of_show.set_gate(database, board.facilitator, op_id(), "mapping", False)
    assert refused(maps.add_node, database, helper, op_id(), project_id, {"label": "x"}).code == "gate_closed"
    assert refused(maps.move_node, database, author, op_id(), project_id, node["id"], 0.5, 0.5).code == "gate_closed"
    add(database, board.facilitator, project_id, label="Modération")
    # The author's own preparation is not gated.
    maps.save_email_draft(database, author, op_id(), project_id, "crowd", "", "Bonjour")


def test_a_replayed_op_id_applies_once(database, board, people, project_id):
    _, helper, _ = people
    same = op_id()
    first = maps.add_node(database, helper, same, project_id, {"label": "Une fois"})
    second = maps.add_node(database, helper, same, project_id, {"label": "Une fois"})
    assert second.duplicate and second.seq == first.seq
    assert len(the_map(database, board, project_id)["nodes"]) == 1


def test_deleting_the_project_deletes_its_map(database, board, people, project_id):
    author, helper, _ = people
    a, b = add(database, helper, project_id, label="A"), add(database, helper, project_id, label="B")
    maps.add_link(database, helper, op_id(), project_id, a["id"], b["id"])
    maps.add_plan_item(database, helper, op_id(), project_id, {"what": "x", "node_id": a["id"], "when": "after", "where": "", "how": ""})
    projects.delete_project(database, author, op_id(), project_id)
    assert snapshot.snapshot(database, board.facilitator)["tribe_maps"] == []
