"""The whole board as one actor may see it, consistent with one seq."""
from __future__ import annotations

from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.actors import Actor
from ..persistence.db import Database
from ..persistence.models import Board, Participant, Project
from .serialize import board_dict, participant_dict, project_dict

# Each capability adds its part of the snapshot here: (session, board, actor) -> {key: value}.
SnapshotPart = Callable[[Session, Board, Actor], dict]
SNAPSHOT_PARTS: list[SnapshotPart] = []


def snapshot_part(fn: SnapshotPart) -> SnapshotPart:
    """Register a capability's contribution to every snapshot."""
    SNAPSHOT_PARTS.append(fn)
    return fn


def build(session: Session, board: Board, actor: Actor) -> dict:
    """Everything a client needs to draw the board, read in the caller's one transaction."""
    # Plain rows, not ORM objects (the serializers read the same attribute names): 1,000 people and
    # 200 stories build several times faster without the identity map.
    participants = session.execute(select(Participant.__table__).where(Participant.board_id == board.id).order_by(Participant.id))
    projects = session.execute(select(Project.__table__).where(Project.board_id == board.id).order_by(Project.id))
    snap = {
        "seq": board.last_seq,
        "board": board_dict(board),
        "me": {"role": actor.role.value, "participant_id": actor.participant_id},
        "participants": [participant_dict(p) for p in participants],
        "projects": [project_dict(p) for p in projects],
    }
    for part in SNAPSHOT_PARTS:
        snap.update(part(session, board, actor))
    return snap


def snapshot(db: Database, actor: Actor) -> dict:
    """A fresh snapshot of the actor's board."""
    with db.read() as session:
        board = session.get(Board, actor.board_id)
        return build(session, board, actor)
