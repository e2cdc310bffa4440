"""What the facilitator hid or removed on a board, read inside any transaction (no use case here)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..persistence.show_models import HiddenItem, RemovedParticipant


def hidden_ids(session: Session, board_id: int, kind: str = "project") -> set[int]:
    """Ids of the items of `kind` the facilitator hid on this board."""
    rows = session.execute(select(HiddenItem.item_id).where(HiddenItem.board_id == board_id, HiddenItem.kind == kind))
    return set(rows.scalars())


def is_hidden(session: Session, board_id: int, project_id: int) -> bool:
    """True when the facilitator hid this card."""
    return project_id in hidden_ids(session, board_id)


def removed_ids(session: Session, board_id: int) -> set[int]:
    """Participants the facilitator removed from this board."""
    rows = session.execute(select(RemovedParticipant.participant_id).where(RemovedParticipant.board_id == board_id))
    return set(rows.scalars())
