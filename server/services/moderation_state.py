"""What the facilitator hid, removed or spotlighted on a board, used inside any transaction (no use case here)."""
from __future__ import annotations

from sqlalchemy import ColumnElement, delete, exists, select
from sqlalchemy.orm import Session

from ..persistence.show_models import HiddenItem, RemovedParticipant, ShowState


def hidden_ids(session: Session, board_id: int, kind: str = "project") -> set[int]:
    """Ids of the items of `kind` the facilitator hid on this board."""
    rows = session.execute(select(HiddenItem.item_id).where(HiddenItem.board_id == board_id, HiddenItem.kind == kind))
    return set(rows.scalars())


def is_hidden(session: Session, board_id: int, project_id: int) -> bool:
    """True when the facilitator hid this card."""
    return project_id in hidden_ids(session, board_id)


def hidden_flag(board_id: int | ColumnElement[int], project_id: int | ColumnElement[int]) -> ColumnElement[bool]:
    """A column "the facilitator hid this card", to read with the card's own row in one query (values or bindparams)."""
    return exists().where(HiddenItem.board_id == board_id, HiddenItem.kind == "project",
                          HiddenItem.item_id == project_id).label("hidden")


def removed_flag(board_id: int | ColumnElement[int], participant_id: int | None | ColumnElement[int]) -> ColumnElement[bool]:
    """A column "the facilitator removed this participant", to read with other rows in one query (values or bindparams)."""
    return exists().where(RemovedParticipant.board_id == board_id, RemovedParticipant.participant_id == participant_id
                          ).label("removed")


def removed_ids(session: Session, board_id: int) -> set[int]:
    """Participants the facilitator removed from this board."""
    rows = session.execute(select(RemovedParticipant.participant_id).where(RemovedParticipant.board_id == board_id))
    return set(rows.scalars())


def is_removed(session: Session, board_id: int, participant_id: int | None) -> bool:
    """True when the facilitator removed this participant from the board."""
    return participant_id is not None and participant_id in removed_ids(session, board_id)


def forget_card(session: Session, board_id: int, project_id: int) -> None:
    """A deleted card leaves the spotlight and the hidden list: nothing may point at its id any more."""
    session.execute(delete(HiddenItem).where(HiddenItem.board_id == board_id, HiddenItem.kind == "project",
                                             HiddenItem.item_id == project_id))
    state = session.get(ShowState, board_id)
    if state is not None and state.spotlight_project_id == project_id:
        state.spotlight_project_id, state.spotlight_view = None, None
