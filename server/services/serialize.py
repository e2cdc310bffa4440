"""Rows to the plain dicts sent to clients, logged in events and read by exports."""
from __future__ import annotations

from ..persistence.models import Board, Participant, Project
from ..domain.clock import iso

PROJECT_FIELDS = (
    "title", "pitch", "story", "category", "goal_amount", "currency",
    "platform", "campaign_start", "campaign_end", "link",
)


def board_dict(board: Board) -> dict:
    """Public facts about a board (never its secrets)."""
    return {
        "code": board.code,
        "title": board.title,
        "language": board.language,
        "starts_at": board.starts_at,
        "created_at": iso(board.created_at),
    }


def participant_dict(participant: Participant) -> dict:
    """A participant as everyone on the board sees them."""
    return {"id": participant.id, "name": participant.name, "joined_at": iso(participant.joined_at)}


def project_dict(project: Project) -> dict:
    """A story card as every screen shows it."""
    data = {name: getattr(project, name) for name in PROJECT_FIELDS}
    data.update(
        id=project.id,
        author_id=project.author_id,
        created_at=iso(project.created_at),
        updated_at=iso(project.updated_at),
    )
    return data
