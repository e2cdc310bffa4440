"""Dots on a story that leaves the vote (deleted, or hidden by the facilitator) go back to their voters."""
from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ...domain.votes import VoteState
from ...persistence.vote_models import VoteDot
from .views import latest_round, progress_rows, used_by_voter


def return_dots(session: Session, board_id: int, project_id: int) -> dict | None:
    """Take the current round's dots off this story (before its reveal); say who got how many back.

    The answer goes into the public event (`returned_dots`), so every screen updates who is done
    and each voter's own screen learns its dots came back. It names voters and counts on a story
    that is leaving the vote, never a tally of the stories still in it. None when no dot was there.
    """
    vote_round = latest_round(session, board_id)
    if vote_round is None or vote_round.state == VoteState.REVEALED.value:
        return None  # a revealed round's result is kept as the room saw it
    where = (VoteDot.round_id == vote_round.id, VoteDot.project_id == project_id)
    placed = session.execute(select(VoteDot.voter_id, VoteDot.count).where(*where).order_by(VoteDot.voter_id)).all()
    if not placed:
        return None
    session.execute(delete(VoteDot).where(*where))
    session.flush()
    used = used_by_voter(session, vote_round.id)
    return {"round": vote_round.number,
            "voters": [{"voter_id": voter, "dots": count, "dots_used": used.get(voter, 0)} for voter, count in placed],
            "summary": progress_rows(session, board_id, vote_round)["summary"]}
