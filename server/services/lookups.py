"""Rows of a board looked up inside a transaction: another board's row is as good as a missing one."""
from __future__ import annotations

from sqlalchemy import bindparam, select
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


# Built once (bindparams): commands run it on every edit and dot; building it cost about as much CPU as running it.
_PROJECT_AND_HIDDEN = (select(Project, hidden_flag(bindparam("board_id"), Project.id))
                       .where(Project.id == bindparam("project_id")))


def project_and_hidden(session: Session, board_id: int, project_id: int) -> tuple[Project, bool]:
    """The project with this id on this board (or `project_not_found`) and whether the facilitator hid it, in one query."""
    row = session.execute(_PROJECT_AND_HIDDEN, {"board_id": board_id, "project_id": project_id}).first()
    if row is None or row[0].board_id != board_id:
        raise project_rules.not_found(project_id)
    return row[0], bool(row[1])
