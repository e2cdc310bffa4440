"""The run of show's part of every snapshot: show, spotlight, moderation (hidden cards filtered)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...domain import moderation as rules
from ...domain.actors import Actor
from ...persistence.models import Board, Project
from ...persistence.show_models import ShowState
from ..moderation_state import hidden_ids, removed_ids
from .run_of_show import show_view
from ..serialize import project_dict
from .spotlight import spotlight_dict


def show_part(session: Session, board: Board, actor: Actor) -> dict:
    """`show`, `spotlight` and `moderation`; a hidden card is left out for everyone but its author and the facilitator."""
    hidden = hidden_ids(session, board.id)
    part = {
        "show": show_view(session, board),
        "spotlight": spotlight_dict(session.get(ShowState, board.id)),
        "moderation": {"hidden_projects": sorted(hidden), "removed_participants": sorted(removed_ids(session, board.id))},
    }
    if hidden and not actor.is_facilitator:
        rows = session.execute(select(Project).where(Project.board_id == board.id).order_by(Project.id)).scalars()
        part["projects"] = [project_dict(p) for p in rows if p.id not in hidden or rules.sees_hidden(actor, p.author_id)]
    return part
