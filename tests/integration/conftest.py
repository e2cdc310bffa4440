"""Fixtures of the service tests: a board on the parametrised database, and people on it."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from server import wiring
from server.domain.actors import Actor, Role
from server.services import boards, identity


@pytest.fixture(autouse=True, scope="session")
def snapshot_parts() -> None:
    """The service tests build snapshots without an app: register their parts as the composition root does."""
    wiring.register_snapshot_parts()


@dataclass
class BoardFixture:
    """A created board, its secrets and the actors standing for them."""

    id: int
    code: str
    facilitator_secret: str
    projector_secret: str
    facilitator: Actor
    projector: Actor


@pytest.fixture
def board(database) -> BoardFixture:
    """A fresh board on `database` (SQLite and PostgreSQL)."""
    created = boards.create_board(database, "Atelier crowdfunding", "fr", "2026-06-03T17:00")
    code = created.board["code"]
    board_id, = identity.authenticate(database, code, created.facilitator_secret)[0].board_id,
    return BoardFixture(board_id, code, created.facilitator_secret, created.projector_secret,
                        Actor(board_id, Role.FACILITATOR), Actor(board_id, Role.PROJECTOR))


@pytest.fixture
def join(database, board):
    """join(name) -> (Actor, Joined): a participant on `board`."""

    def make(name: str = "Ana", op_id: str | None = None) -> tuple[Actor, identity.Joined]:
        joined = identity.join(database, board.code, name, op_id)
        return Actor(board.id, Role.PARTICIPANT, joined.participant["id"]), joined

    return make
