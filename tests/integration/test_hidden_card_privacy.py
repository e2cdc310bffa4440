"""A hidden card's content reaches only its author and the facilitator (SQLite and PostgreSQL).

Its map in snapshots, its e-mail preview, replayed events that carry it (its posting, map changes,
a revealed ranking naming it), and new changes to it or its map (they would go to the whole board).
"""
from __future__ import annotations

import pytest

from server.domain.errors import DomainError
from server.services import projects, snapshot, sync
from server.services.show import moderation
from server.services.maps import use_cases as tribe_maps
from server.services.votes import use_cases as votes
from tests.support.clients import op_id

SECRET = "Secret story of Ana"


@pytest.fixture
def hidden(database, board, join):
    """Ana's card (with a map node) and Bo's; the facilitator hid Ana's. Returns (people, ana_card, seq before the hide)."""
    people = {name: join(name)[0] for name in ("Ana", "Bo")}
    card = projects.post_project(database, people["Ana"], op_id(), {"title": "Ana's bakery", "pitch": "p", "story": SECRET})
    ana_card = card.event["data"]["project"]["id"]
    projects.post_project(database, people["Bo"], op_id(), {"title": "Bo's radio", "pitch": "p"})
    tribe_maps.add_node(database, people["Bo"], op_id(), ana_card, {"label": "Maman of Ana", "ring": "inner", "reach": 5})
    before = snapshot.snapshot(database, board.facilitator)["seq"]
    moderation.hide_project(database, board.facilitator, op_id(), ana_card)
    return people, ana_card, before


def refused(fn, *args) -> str:
    with pytest.raises(DomainError) as caught:
        fn(*args)
    return caught.value.code


def test_others_snapshots_hold_neither_the_card_nor_its_map(database, board, hidden):
    people, ana_card, _ = hidden
    for who in (people["Bo"], board.projector):
        snap = snapshot.snapshot(database, who)
        assert [m["project_id"] for m in snap["tribe_maps"]] == []
        assert SECRET not in str(snap) and "Maman of Ana" not in str(snap)
    for who in (people["Ana"], board.facilitator):
        assert [m["project_id"] for m in snapshot.snapshot(database, who)["tribe_maps"]] == [ana_card]


def test_its_email_preview_is_refused_to_others(database, board, hidden):
    people, ana_card, _ = hidden
    assert refused(tribe_maps.email_preview, database, people["Bo"], ana_card, "inner") == "project_hidden"
    assert refused(tribe_maps.email_preview, database, board.projector, ana_card, "inner") == "project_hidden"
    assert SECRET in str(tribe_maps.email_preview(database, people["Ana"], ana_card, "inner"))


def test_nothing_changes_on_a_hidden_card_or_its_map(database, board, hidden):
    people, ana_card, _ = hidden
    seq = snapshot.snapshot(database, board.facilitator)["seq"]
    for who in (people["Ana"], people["Bo"], board.facilitator):
        assert refused(tribe_maps.add_node, database, who, op_id(), ana_card, {"label": "New", "ring": "inner"}) == "project_hidden"
    assert refused(projects.edit_project, database, people["Ana"], op_id(), ana_card, {"story": "new words"}) == "project_hidden"
    assert refused(projects.edit_project, database, board.facilitator, op_id(), ana_card, {"story": "x"}) == "project_hidden"
    assert refused(tribe_maps.save_email_draft, database, people["Ana"], op_id(), ana_card, "inner", "s", "b") == "project_hidden"
    assert snapshot.snapshot(database, board.facilitator)["seq"] == seq  # nothing was logged
    # Shown again, it changes as before, and the event brings its map back to screens that lacked it.
    shown = moderation.unhide_project(database, board.facilitator, op_id(), ana_card).event["data"]
    assert [n["label"] for n in shown["tribe_map"]["nodes"]] == ["Maman of Ana"]
    tribe_maps.add_node(database, people["Ana"], op_id(), ana_card, {"label": "Papa", "ring": "inner"})


def test_a_replay_that_would_show_a_hidden_card_is_a_snapshot_without_it(database, board, hidden):
    people, ana_card, before = hidden
    # Since 0 (a newcomer) or since before the map change: the missed events carry the card.
    for since in (0, before - 1):
        caught = sync.catch_up(database, people["Bo"], since, 500)
        assert "events" not in caught and SECRET not in str(caught)
    # Its author and the facilitator may replay it; missing only the hide itself shows nothing of it.
    assert "events" in sync.catch_up(database, people["Ana"], 0, 500)
    assert "events" in sync.catch_up(database, board.facilitator, 0, 500)
    assert [e["type"] for e in sync.catch_up(database, people["Bo"], before, 500)["events"]] == ["project_hidden"]


def test_a_replayed_ranking_naming_a_card_hidden_since_is_a_snapshot(database, board, join):
    ana, bo = join("Ana")[0], join("Bo")[0]
    card = projects.post_project(database, ana, op_id(), {"title": "Ana's bakery", "pitch": "p"}).event["data"]["project"]["id"]
    votes.open_vote(database, board.facilitator, op_id())
    votes.cast(database, bo, op_id(), card)
    votes.close_vote(database, board.facilitator, op_id())
    start = snapshot.snapshot(database, bo)["seq"]
    votes.reveal(database, board.facilitator, op_id())
    moderation.hide_project(database, board.facilitator, op_id(), card)
    caught = sync.catch_up(database, bo, start, 500)
    assert "events" not in caught and "Ana's bakery" not in str(caught["snapshot"]["vote"])
