"""The whole board as one actor may see it, consistent with one seq."""
from __future__ import annotations

from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.actors import Actor
from ..persistence.db import Database
from ..persistence.models import Board, Participant, Project
from .serialize import board_dict, participant_dict, project_dict

# Each capability adds its part of the snapshot: (session, board, actor) -> {key: value}.
SnapshotPart = Callable[[Session, Board, Actor], dict]
# The parts every snapshot carries, by name. A part missing would silently leave its keys out (or,
# for the run of show's, show hidden cards), so `build` refuses to run without each of them.
DECLARED_PARTS = ("votes", "tribe_maps", "show")
_parts: dict[str, SnapshotPart] = {}


def register_part(name: str, part: SnapshotPart) -> None:
    """Register a capability's contribution to every snapshot (the composition root does, once per name)."""
    if name not in DECLARED_PARTS:
        raise ValueError(f"snapshot part {name!r} is not declared in DECLARED_PARTS")
    _parts[name] = part


def missing_parts() -> list[str]:
    """The declared parts nobody registered."""
    return [name for name in DECLARED_PARTS if name not in _parts]


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
    if missing_parts():
        raise RuntimeError(f"snapshot parts not registered: {', '.join(missing_parts())}")
    for name in DECLARED_PARTS:
        snap.update(_parts[name](session, board, actor))
    return snap


def snapshot(db: Database, actor: Actor) -> dict:
    """A fresh snapshot of the actor's board."""
    with db.read() as session:
        board = session.get(Board, actor.board_id)
        return build(session, board, actor)
