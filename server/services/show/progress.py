"""Who is stuck: per participant, posted or not, voted or not, online or not (the facilitator's view)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...domain.actors import Actor, require_facilitator
from ...persistence.db import Database
from ...persistence.models import Participant, Project
from ...persistence.show_models import ShowPhase, ShowState
from ..votes import views as vote_views
from ..moderation_state import removed_ids


def _posted(session: Session, board_id: int) -> dict[int, int]:
    rows = session.execute(
        select(Project.author_id, func.count()).where(Project.board_id == board_id).group_by(Project.author_id)
    )
    return {author: count for author, count in rows if author is not None}


def _votes(session: Session, board_id: int) -> tuple[dict | None, dict[int, int]]:
    vote_round = vote_views.latest_round(session, board_id)
    if vote_round is None:
        return None, {}
    return {"number": vote_round.number, "state": vote_round.state, "budget": vote_round.budget}, \
        vote_views.used_by_voter(session, vote_round.id)


def progress(db: Database, actor: Actor, online: set[int], on_map: dict[int, int]) -> dict:
    """One row per participant still on the board; `online` and `on_map` come from the transport."""
    require_facilitator(actor)
    with db.read() as session:
        removed = removed_ids(session, actor.board_id)
        people = session.execute(
            select(Participant).where(Participant.board_id == actor.board_id).order_by(Participant.id)
        ).scalars()
        posted = _posted(session, actor.board_id)
        vote_round, used = _votes(session, actor.board_id)
        state = session.get(ShowState, actor.board_id)
        phase = session.get(ShowPhase, state.current_phase_id) if state and state.current_phase_id else None
        rows = [
            {"participant_id": p.id, "name": p.name, "online": p.id in online, "posted": posted.get(p.id, 0),
             "dots_used": used.get(p.id, 0), "map_project_id": on_map.get(p.id)}
            for p in people if p.id not in removed
        ]
    return {"phase_kind": phase.kind if phase else None, "vote": vote_round, "participants": rows}
