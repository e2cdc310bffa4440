"""Story cards: post, edit, remove."""
from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ..domain import moderation as moderation_rules
from ..domain import projects as project_rules
from ..domain.actors import Actor, require_writer
from ..persistence.db import Database
from ..persistence.models import Project
from ..domain.clock import utcnow
from .commands import CommandResult, execute
from .gating import require_open
from .lookups import project_and_hidden, project_of_board
from .moderation_state import forget_card
from .serialize import project_dict
from .votes.returns import return_dots
from .votes.views import revealed_rankings_with


def _story_counts(session: Session, board_id: int, author_id: int | None) -> tuple[int, int]:
    """How many stories this author posted on the board, and how many the board holds, in one query."""
    own = func.count(case((Project.author_id == author_id, 1)))
    return tuple(session.execute(select(own, func.count()).where(Project.board_id == board_id)).one())


def post_project(db: Database, actor: Actor, op_id: str, fields: dict) -> CommandResult:
    """A participant posts a story card."""

    def apply(session: Session) -> tuple[str, dict]:
        require_writer(actor)
        require_open(session, actor.board_id, "posting", actor)
        clean = project_rules.validate_fields(fields)
        own, total = _story_counts(session, actor.board_id, actor.participant_id)
        project_rules.check_can_post(actor, own, total)
        project = Project(board_id=actor.board_id, author_id=actor.participant_id, **clean.as_dict())
        session.add(project)
        session.flush()
        return "project_posted", {"project": project_dict(project)}

    return execute(db, actor.board_id, actor, op_id, apply)


def edit_project(db: Database, actor: Actor, op_id: str, project_id: int, fields: dict) -> CommandResult:
    """The author (or the facilitator) edits a story card; unspecified fields keep their value."""

    def apply(session: Session) -> tuple[str, dict]:
        require_writer(actor)
        require_open(session, actor.board_id, "posting", actor)
        project, hidden = project_and_hidden(session, actor.board_id, project_id)
        project_rules.check_can_change(actor, project.author_id)
        # project_edited goes to the whole board: a hidden card stays as it was until it is shown again.
        moderation_rules.check_not_hidden(hidden)
        merged = {**project_dict(project), **fields}
        clean = project_rules.validate_fields(merged)
        for name, value in clean.as_dict().items():
            setattr(project, name, value)
        project.updated_at = utcnow()
        session.flush()
        return "project_edited", {"project": project_dict(project)}

    return execute(db, actor.board_id, actor, op_id, apply)


def delete_project(db: Database, actor: Actor, op_id: str, project_id: int) -> CommandResult:
    """The author (or the facilitator) removes a story card."""

    def apply(session: Session) -> tuple[str, dict]:
        require_writer(actor)
        require_open(session, actor.board_id, "posting", actor)
        project = project_of_board(session, actor.board_id, project_id)
        project_rules.check_can_change(actor, project.author_id)
        # Its dots in the round not yet revealed go back to their voters, and every screen is told.
        returned = return_dots(session, actor.board_id, project_id)
        # Clients clear a spotlight on this card on this event, as the server does here.
        forget_card(session, actor.board_id, project_id)
        session.delete(project)
        session.flush()  # the delete itself, before the rankings are read without the card
        # Deleted after a reveal, it leaves the revealed rankings as a hidden card does: every screen
        # replaces its ranking with these (the others ranked again).
        return "project_deleted", {"project_id": project_id, "returned_dots": returned,
                                   "rankings": revealed_rankings_with(session, actor.board_id, project_id)}

    return execute(db, actor.board_id, actor, op_id, apply)
