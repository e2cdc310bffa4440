"""Rows of a board looked up inside a transaction: another board's row is as good as a missing one."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import projects as project_rules
from ..persistence.models import Project
from .moderation_state import hidden_flag


def project_of_board(session: Session, board_id: int, project_id: int) -> Project:
    """The project with this id on this board, or `project_not_found`."""
    project = session.get(Project, project_id)
    if project is None or project.board_id != board_id:
        raise project_rules.not_found(project_id)
    return project


def project_and_hidden(session: Session, board_id: int, project_id: int) -> tuple[Project, bool]:
    """The project with this id on this board (or `project_not_found`) and whether the facilitator hid it, in one query."""
    row = session.execute(select(Project, hidden_flag(board_id, project_id)).where(Project.id == project_id)).first()
    if row is None or row[0].board_id != board_id:
        raise project_rules.not_found(project_id)
    return row[0], bool(row[1])
