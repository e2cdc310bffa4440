"""Snapshots and catch-up (replay vs snapshot); on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest

from server.domain.actors import Actor, Role
from server.services import commands, projects, snapshot, sync
from tests.support.clients import op_id

CARD = {"title": "La ferme", "pitch": "Du pain"}


def test_snapshot_of_a_new_board(database, board):
    snap = snapshot.snapshot(database, board.projector)
    assert snap["seq"] == 0
    assert snap["board"]["code"] == board.code and snap["board"]["language"] == "fr"
    assert snap["me"] == {"role": "projector", "participant_id": None}
    assert snap["participants"] == [] and snap["projects"] == []


def test_snapshot_holds_everyone_and_every_card_in_order(database, board, join):
    ana, ana_joined = join("Ana")
    bo, bo_joined = join("Bo")
    first = projects.post_project(database, bo, op_id(), {**CARD, "title": "B"}).event["data"]["project"]
    second = projects.post_project(database, ana, op_id(), {**CARD, "title": "A"}).event["data"]["project"]
    snap = snapshot.snapshot(database, ana)
    assert snap["seq"] == 4
    assert snap["me"] == {"role": "participant", "participant_id": ana.participant_id}
    assert snap["participants"] == [ana_joined.participant, bo_joined.participant]
    assert snap["projects"] == [first, second]
    assert ana_joined.token not in str(snap) and board.facilitator_secret not in str(snap)


def test_snapshot_parts_are_added(database, board, monkeypatch):
    monkeypatch.setattr(snapshot, "DECLARED_PARTS", (*snapshot.DECLARED_PARTS, "extra"))
    monkeypatch.setattr(snapshot, "_parts", dict(snapshot._parts))

    def extra(session, board_row, actor):
        return {"extra": {"board_id": board_row.id, "role": actor.role.value}}

    snapshot.register_part("extra", extra)
    assert snapshot.snapshot(database, board.facilitator)["extra"] == {"board_id": board.id, "role": "facilitator"}


def test_a_snapshot_is_refused_while_a_declared_part_is_missing(database, board, monkeypatch):
    # Without the run of show's part a snapshot would carry hidden cards: no snapshot rather than that one.
    monkeypatch.setattr(snapshot, "_parts", {k: v for k, v in snapshot._parts.items() if k != "show"})
    with pytest.raises(RuntimeError, match="show"):
        snapshot.snapshot(database, board.facilitator)


def test_an_undeclared_part_is_refused():
    with pytest.raises(ValueError, match="not declared"):
        snapshot.register_part("surprise", lambda session, board_row, actor: {})


def state_from(reply: dict, base: dict | None = None) -> dict:
    """Apply a catch-up reply the way a client does (foundation events only)."""
    if "snapshot" in reply:
        snap = reply["snapshot"]
        return {"seq": snap["seq"], "participants": list(snap["participants"]), "projects": list(snap["projects"])}
    state = {**base, "participants": list(base["participants"]), "projects": list(base["projects"])}
    for frame in reply["events"]:
        assert frame["seq"] == state["seq"] + 1
        data = frame["data"]
        if frame["type"] == "participant_joined":
            state["participants"].append(data["participant"])
        elif frame["type"] == "project_posted":
            state["projects"].append(data["project"])
        elif frame["type"] == "project_edited":
            state["projects"] = [data["project"] if p["id"] == data["project"]["id"] else p for p in state["projects"]]
        elif frame["type"] == "project_deleted":
            state["projects"] = [p for p in state["projects"] if p["id"] != data["project_id"]]
        state["seq"] = frame["seq"]
    return state


def test_catch_up_replays_what_was_missed(database, board, join):
    ana, _ = join("Ana")
    base = state_from(sync.catch_up(database, ana, None, 500))
    card = projects.post_project(database, ana, op_id(), CARD).event["data"]["project"]
    projects.edit_project(database, ana, op_id(), card["id"], {"title": "Edited"})
    join("Bo")
    reply = sync.catch_up(database, ana, base["seq"], 500)
    assert "snapshot" not in reply
    assert reply["seq"] == 4
    assert [f["seq"] for f in reply["events"]] == [2, 3, 4]
    fresh = state_from(sync.catch_up(database, board.facilitator, None, 500))
    assert state_from(reply, base) == fresh


def test_catch_up_when_up_to_date_is_empty(database, board, join):
    ana, _ = join("Ana")
    assert sync.catch_up(database, ana, 1, 500) == {"seq": 1, "events": []}


@pytest.mark.parametrize("since", [None, 99])
def test_catch_up_sends_a_snapshot_without_or_with_a_future_seq(database, board, join, since):
    ana, _ = join("Ana")
    reply = sync.catch_up(database, ana, since, 500)
    assert reply["seq"] == 1 and reply["snapshot"]["seq"] == 1
    assert "events" not in reply


def test_catch_up_far_behind_gets_a_snapshot(database, board, join):
    ana, _ = join("Ana")
    for i in range(5):
        commands.execute(database, board.id, board.facilitator, op_id(), lambda s: ("note", {}))
    assert "events" in sync.catch_up(database, ana, 3, 3)       # exactly at the limit: replay
    far = sync.catch_up(database, ana, 2, 3)                    # one more behind: snapshot
    assert far["snapshot"]["seq"] == 6 == far["seq"]


def test_catch_up_is_per_board(database, board, join):
    from server.services import boards, identity

    join("Ana")
    other = boards.create_board(database, "Other", "en", None)
    outsider = identity.authenticate(database, other.board["code"], other.facilitator_secret)[0]
    assert sync.catch_up(database, outsider, 0, 500) == {"seq": 0, "events": []}
    assert outsider != Actor(board.id, Role.FACILITATOR)
