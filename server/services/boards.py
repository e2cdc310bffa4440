"""Creating boards and finding them by code."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import boards as board_rules
from ..domain.codes import BOARD_CODE_LENGTH, is_well_formed, new_code, new_secret, normalise_code
from ..domain.errors import DomainError
from ..persistence.db import Database
from ..persistence.models import Board
from .secrets_store import hash_secret
from .serialize import board_dict


@dataclass(frozen=True)
class CreatedBoard:
    """A new board and its two secrets, shown once to its creator."""

    board: dict
    facilitator_secret: str
    projector_secret: str


def create_board(db: Database, title: str, language: str, starts_at: str | None) -> CreatedBoard:
    """Create a board with a fresh join code and facilitator/projector secrets."""
    title = board_rules.clean_title(title)
    language = board_rules.clean_language(language)
    starts_at = board_rules.clean_starts_at(starts_at)
    facilitator_secret, projector_secret = new_secret(), new_secret()
    with db.write() as session:
        code = _unused_code(session)
        board = Board(
            code=code, title=title, language=language, starts_at=starts_at,
            facilitator_hash=hash_secret(facilitator_secret), projector_hash=hash_secret(projector_secret),
            last_seq=0,
        )
        session.add(board)
        session.flush()
        data = board_dict(board)
    return CreatedBoard(board=data, facilitator_secret=facilitator_secret, projector_secret=projector_secret)


def _unused_code(session: Session) -> str:
    for _ in range(20):
        code = new_code(BOARD_CODE_LENGTH)
        if session.execute(select(Board.id).where(Board.code == code)).first() is None:
            return code
    raise DomainError("unavailable", "could not allocate a board code, try again")


def find_board(session: Session, raw_code: str) -> Board:
    """The board with this join code, or a DomainError `board_not_found`."""
    code = normalise_code(raw_code)
    board = None
    if is_well_formed(code, BOARD_CODE_LENGTH):
        board = session.execute(select(Board).where(Board.code == code)).scalar_one_or_none()
    if board is None:
        raise DomainError("board_not_found", "no board has this code", board_code=code[:12])
    return board


def board_info(db: Database, raw_code: str) -> dict:
    """Public facts about a board, for the join page."""
    with db.read() as session:
        return board_dict(find_board(session, raw_code))
