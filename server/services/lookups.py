"""Rows of a board looked up inside a transaction: another board's row is as good as a missing one."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..domain import projects as project_rules
from ..persistence.models import Project


def project_of_board(session: Session, board_id: int, project_id: int) -> Project:
    """The project with this id on this board, or `project_not_found`."""
    project = session.get(Project, project_id)
    if project is None or project.board_id != board_id:
        raise project_rules.not_found(project_id)
    return project
