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


# Built once (bindparams: board_id, project_id): commands run it on every edit, dot and map change
# (maps/use_cases.py joins its map and node onto it); building it cost about as much CPU as running it.
PROJECT_AND_HIDDEN = (select(Project, hidden_flag(bindparam("board_id"), Project.id))
                      .where(Project.id == bindparam("project_id")))


def project_and_hidden(session: Session, board_id: int, project_id: int) -> tuple[Project, bool]:
    """The project with this id on this board (or `project_not_found`) and whether the facilitator hid it, in one query."""
    row = session.execute(PROJECT_AND_HIDDEN, {"board_id": board_id, "project_id": project_id}).first()
    return board_project(row, board_id, project_id), bool(row[1])


def board_project(row, board_id: int, project_id: int) -> Project:
    """The project of a `PROJECT_AND_HIDDEN` row (first column) if it is on this board, else `project_not_found`."""
    if row is None or row[0].board_id != board_id:
        raise project_rules.not_found(project_id)
    return row[0]
