"""Spotlight: the facilitator puts one project (its card or its tribe map) in front of everyone."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ...domain import moderation as rules
from ...domain.actors import Actor, require_facilitator
from ...persistence.db import Database
from ...persistence.show_models import ShowState
from ..commands import CommandResult, execute
from ..lookups import project_of_board
from ..moderation_state import is_hidden
from .run_of_show import ensure_state


def spotlight_dict(state: ShowState | None) -> dict | None:
    """What is in the spotlight: {project_id, view} or None."""
    if state is None or state.spotlight_project_id is None:
        return None
    return {"project_id": state.spotlight_project_id, "view": state.spotlight_view or "card"}


def set_spotlight(db: Database, actor: Actor, op_id: str, project_id: int | None, view: str = "card") -> CommandResult:
    """Spotlight a project's card or map, or clear the spotlight (project_id None)."""

    def apply(session: Session) -> tuple[str, dict]:
        require_facilitator(actor)
        state = ensure_state(session, actor.board_id)
        if project_id is None:
            state.spotlight_project_id, state.spotlight_view = None, None
        else:
            clean_view = rules.clean_spotlight_view(view)
            project_of_board(session, actor.board_id, project_id)
            rules.check_can_spotlight(is_hidden(session, actor.board_id, project_id))
            state.spotlight_project_id, state.spotlight_view = project_id, clean_view
        return "spotlight_changed", {"spotlight": spotlight_dict(state)}

    return execute(db, actor.board_id, actor, op_id, apply)
