"""The board event log: gap-free sequence numbers, op_id de-duplication, replay."""
from __future__ import annotations

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from ..domain.clock import iso
from .models import Board, Event

# Built once: every command runs these two first (building them cost more than running them, in CPU).
_CLAIM = update(Board).where(Board.id == bindparam("board_id")).values(last_seq=Board.last_seq + 1).returning(Board.last_seq)
_FIND_OP = select(Event).where(Event.board_id == bindparam("board_id"), Event.op_id == bindparam("op_id"))


def claim_next_seq(session: Session, board_id: int) -> int:
    """Take the board's next seq; the row update also serialises every writer of this board."""
    # Core, on the session's connection: no Board object is loaded, so the ORM has nothing to synchronise.
    return session.connection().execute(_CLAIM, {"board_id": board_id}).scalar_one()


def current_seq(session: Session, board_id: int) -> int:
    """The seq of the board's last logged event (0 for a new board)."""
    return session.execute(select(Board.last_seq).where(Board.id == board_id)).scalar_one()


def find_op(session: Session, board_id: int, op_id: str) -> Event | None:
    """The event an op_id already produced on this board, if any."""
    return session.execute(_FIND_OP, {"board_id": board_id, "op_id": op_id}).scalar_one_or_none()


def append(session: Session, board_id: int, seq: int, type_: str, data: dict, op_id: str | None, actor: str,
           command_digest: str | None = None, ack_result: dict | None = None) -> Event:
    """Log one event at `seq` (claimed in this same transaction), with what a resend of its op_id gets back."""
    row = Event(board_id=board_id, seq=seq, type=type_, data=data, op_id=op_id, actor=actor,
                command_digest=command_digest, ack_result=ack_result)
    session.add(row)
    session.flush()
    return row


def events_after(session: Session, board_id: int, after_seq: int, limit: int | None = None) -> list[Event]:
    """Events with seq > after_seq, in order."""
    query = select(Event).where(Event.board_id == board_id, Event.seq > after_seq).order_by(Event.seq)
    if limit is not None:
        query = query.limit(limit)
    return list(session.execute(query).scalars())


def frame(event: Event) -> dict:
    """The wire form of an event: what every client applies in seq order."""
    return {"seq": event.seq, "type": event.type, "data": event.data, "at": iso(event.created_at)}
