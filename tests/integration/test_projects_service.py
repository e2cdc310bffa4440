"""Story cards: post, edit, delete, who may, and limits; on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from server.domain import limits
from server.domain.errors import DomainError
from server.persistence.models import Project
from server.services import projects, snapshot
from tests.support.clients import op_id

CARD = {"title": "La ferme du coin", "pitch": "Du pain pour le quartier"}


def cards(database, board) -> list[dict]:
    return snapshot.snapshot(database, board.facilitator)["projects"]


def refused(fn, *args) -> DomainError:
    with pytest.raises(DomainError) as caught:
        fn(*args)
    return caught.value


def test_post_logs_the_card(database, board, join):
    ana, _ = join("Ana")
    result = projects.post_project(database, ana, op_id(), {**CARD, "goal_amount": 5000, "currency": "EUR"})
    assert result.seq == 2 and not result.duplicate
    card = result.event["data"]["project"]
    assert result.event["type"] == "project_posted"
    assert card["author_id"] == ana.participant_id
    assert card["title"] == CARD["title"] and card["goal_amount"] == 5000
    assert cards(database, board) == [card]


def test_edit_changes_only_the_fields_sent(database, board, join):
    ana, _ = join("Ana")
    card = projects.post_project(database, ana, op_id(), {**CARD, "story": "Il était une fois"}).event["data"]["project"]
    result = projects.edit_project(database, ana, op_id(), card["id"], {"pitch": "Du bon pain"})
    edited = result.event["data"]["project"]
    assert result.event["type"] == "project_edited"
    assert edited["pitch"] == "Du bon pain"
    assert edited["story"] == "Il était une fois" and edited["title"] == CARD["title"]
    assert edited["updated_at"] >= card["updated_at"]
    assert cards(database, board) == [edited]


def test_edit_is_validated(database, board, join):
    ana, _ = join("Ana")
    card = projects.post_project(database, ana, op_id(), CARD).event["data"]["project"]
    error = refused(projects.edit_project, database, ana, op_id(), card["id"], {"title": " "})
    assert error.code == "required"
    assert cards(database, board) == [card]


def test_delete(database, board, join):
    ana, _ = join("Ana")
    card = projects.post_project(database, ana, op_id(), CARD).event["data"]["project"]
    result = projects.delete_project(database, ana, op_id(), card["id"])
    assert result.event["type"] == "project_deleted"
    assert result.event["data"] == {"project_id": card["id"], "returned_dots": None, "rankings": []}
    assert cards(database, board) == []


def test_nobody_else_can_edit_or_delete(database, board, join):
    ana, _ = join("Ana")
    bo, _ = join("Bo")
    card = projects.post_project(database, ana, op_id(), CARD).event["data"]["project"]
    assert refused(projects.edit_project, database, bo, op_id(), card["id"], {"title": "Mine"}).code == "not_author"
    assert refused(projects.delete_project, database, bo, op_id(), card["id"]).code == "not_author"
    assert refused(projects.edit_project, database, board.projector, op_id(), card["id"], {"title": "x"}).code == "forbidden"
    assert cards(database, board) == [card]
    assert snapshot.snapshot(database, board.facilitator)["seq"] == 3  # 2 joins + 1 post: refusals left no trace


def test_facilitator_moderates(database, board, join):
    ana, _ = join("Ana")
    card = projects.post_project(database, ana, op_id(), CARD).event["data"]["project"]
    edited = projects.edit_project(database, board.facilitator, op_id(), card["id"], {"title": "Modéré"})
    assert edited.event["data"]["project"]["title"] == "Modéré"
    assert edited.event["data"]["project"]["author_id"] == ana.participant_id
    projects.delete_project(database, board.facilitator, op_id(), card["id"])
    assert cards(database, board) == []


@pytest.mark.parametrize("who", ["facilitator", "projector"])
def test_only_participants_post(database, board, who):
    error = refused(projects.post_project, database, getattr(board, who), op_id(), CARD)
    assert error.code == "forbidden"


def test_per_participant_limit(database, board, join):
    ana, _ = join("Ana")
    for i in range(limits.PROJECTS_PER_PARTICIPANT):
        projects.post_project(database, ana, op_id(), {**CARD, "title": f"Card {i}"})
    error = refused(projects.post_project, database, ana, op_id(), CARD)
    assert error.params["limit"] == "projects_per_participant"
    bo, _ = join("Bo")
    projects.post_project(database, bo, op_id(), CARD)  # the limit is per person


def test_unknown_or_foreign_project(database, board, join):
    from server.services import boards, identity
    from server.domain.actors import Actor, Role

    ana, _ = join("Ana")
    other = boards.create_board(database, "Other", "en", None)
    stranger_joined = identity.join(database, other.board["code"], "Zed", None)
    stranger = Actor(stranger_joined.board_id, Role.PARTICIPANT, stranger_joined.participant["id"])
    foreign = projects.post_project(database, stranger, op_id(), CARD).event["data"]["project"]
    # A card of another board is "not found" here, even for this board's facilitator.
    assert refused(projects.edit_project, database, board.facilitator, op_id(), foreign["id"], {"title": "x"}).code == "project_not_found"
    assert refused(projects.delete_project, database, ana, op_id(), 999_999).code == "project_not_found"
    with database.read() as session:
        assert session.execute(select(Project.title).where(Project.id == foreign["id"])).scalar_one() == CARD["title"]


def test_user_text_is_stored_as_typed(database, board, join):
    ana, _ = join("Ana")
    html = {"title": "<script>alert(1)</script>", "pitch": "<img src=x onerror=alert(1)> & \"quotes\"", "story": "😀 émoji\nnew line"}
    card = projects.post_project(database, ana, op_id(), html).event["data"]["project"]
    for key, value in html.items():
        assert card[key] == value.strip()
    assert cards(database, board)[0]["title"] == html["title"]
