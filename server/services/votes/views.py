"""Reading the story vote: rounds, a voter's own dots, who is done; and the vote's snapshot part.

What leaves here is split by audience: `round_dict` and `progress_rows` are public (every screen,
the log); `voter_view` holds one voter's choices and goes only to that voter (and the facilitator
for attendees without a device).
"""
from __future__ import annotations

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from ...domain import votes as rules
from ...domain.actors import Actor
from ...persistence.models import Board, Participant, Project
from ...domain.clock import iso
from ...persistence.vote_models import NoDeviceAttendee, VoteDot, VoteRound
from ..moderation_state import hidden_ids, removed_ids


def rounds_of(session: Session, board_id: int) -> list[VoteRound]:
    """Every round of the board, oldest first."""
    return list(session.execute(select(VoteRound).where(VoteRound.board_id == board_id).order_by(VoteRound.number)).scalars())


# Built once (bindparams): every dot runs these; building them cost about as much CPU as running them.
_LATEST_ROUND = select(VoteRound).where(VoteRound.board_id == bindparam("board_id")).order_by(VoteRound.number.desc()).limit(1)
_VOTER_DOTS = (
    select(VoteRound.id, VoteRound.number, VoteDot.project_id, VoteDot.count).join(VoteRound, VoteRound.id == VoteDot.round_id)
    .where(VoteRound.board_id == bindparam("board_id"), VoteDot.voter_id == bindparam("voter_id"))
    .order_by(VoteRound.number, VoteDot.project_id)
)


def latest_round(session: Session, board_id: int) -> VoteRound | None:
    """The board's current (highest-numbered) round, if any was created yet."""
    return session.execute(_LATEST_ROUND, {"board_id": board_id}).scalar_one_or_none()


def round_dict(vote_round: VoteRound | None, hidden: set[int] = frozenset(), shown_hidden: set[int] = frozenset()) -> dict:
    """A round as everyone sees it: state and settings; the ranking only once revealed.

    `hidden`: cards hidden now, left out of the ranking (the others ranked again); `shown_hidden`:
    those of them this screen may still see, marked (the facilitator's, an author's own).
    """
    if vote_round is None:  # no vote command yet: round 1 with the default settings
        return {"number": 1, "state": rules.VoteState.NOT_STARTED.value, "budget": rules.DEFAULT_BUDGET,
                "cap": rules.DEFAULT_CAP, "candidates": None, "ranking": None,
                "opened_at": None, "closed_at": None, "revealed_at": None}
    return {
        "number": vote_round.number,
        "state": vote_round.state,
        "budget": vote_round.budget,
        "cap": vote_round.cap,
        "candidates": vote_round.candidate_ids,
        "ranking": (rules.ranking_seen(vote_round.result or [], hidden, shown_hidden)
                    if vote_round.state == rules.VoteState.REVEALED.value else None),
        "opened_at": iso(vote_round.opened_at),
        "closed_at": iso(vote_round.closed_at),
        "revealed_at": iso(vote_round.revealed_at),
    }


def left_out_of_rankings(session: Session, board_id: int, rounds: list[VoteRound] | None = None) -> set[int]:
    """Stories a revealed ranking leaves out now: hidden by the facilitator, or deleted since the reveal.

    A kept result still names a deleted card (and its title); ids are never reused, so an id in a
    result that no card holds any more is a deleted card, and the room ranks again without it.
    """
    ranked = {e["project_id"] for r in (rounds if rounds is not None else rounds_of(session, board_id)) for e in r.result or []}
    existing = set(session.execute(select(Project.id).where(Project.board_id == board_id, Project.id.in_(ranked))).scalars()) if ranked else set()
    return hidden_ids(session, board_id) | (ranked - existing)


def revealed_rankings_with(session: Session, board_id: int, project_id: int) -> list[dict]:
    """The public ranking, as it reads now, of every revealed round that ranked this story.

    Sent with `project_hidden` / `project_unhidden` / `project_deleted`, so every screen drops or
    brings the card back live.
    """
    rounds = rounds_of(session, board_id)
    left_out = left_out_of_rankings(session, board_id, rounds)
    return [{"round": r.number, "ranking": rules.ranking_seen(r.result, left_out)} for r in rounds
            if r.state == rules.VoteState.REVEALED.value and any(e["project_id"] == project_id for e in r.result or [])]


def _hidden_seen_by(session: Session, board_id: int, actor: Actor, hidden: set[int]) -> set[int]:
    """Hidden cards this actor still sees: all of them for the facilitator, their own for an author."""
    if actor.is_facilitator:
        return hidden
    if not (actor.is_participant and actor.participant_id and hidden):
        return set()
    own = select(Project.id).where(Project.id.in_(hidden), Project.author_id == actor.participant_id)
    return set(session.execute(own).scalars())


def dots_of(session: Session, round_id: int, voter_id: int) -> dict[int, int]:
    """project_id -> dots this voter placed in this round."""
    rows = session.execute(select(VoteDot.project_id, VoteDot.count).where(VoteDot.round_id == round_id, VoteDot.voter_id == voter_id))
    return {pid: count for pid, count in rows}


def used_by_voter(session: Session, round_id: int) -> dict[int, int]:
    """voter_id -> dots used in this round (how many, never where)."""
    rows = session.execute(
        select(VoteDot.voter_id, func.sum(VoteDot.count)).where(VoteDot.round_id == round_id).group_by(VoteDot.voter_id)
    )
    return {vid: int(total) for vid, total in rows}


def tally(session: Session, round_id: int, excluded_voters: set[int]) -> dict[int, int]:
    """project_id -> dots received in this round: read only to reveal, never sent while open.

    Dots of people the facilitator removed from the board do not count.
    """
    query = select(VoteDot.project_id, func.sum(VoteDot.count)).where(VoteDot.round_id == round_id)
    if excluded_voters:
        query = query.where(VoteDot.voter_id.not_in(excluded_voters))
    return {pid: int(total) for pid, total in session.execute(query.group_by(VoteDot.project_id))}


def voter_ids(session: Session, board_id: int) -> list[int]:
    """Everyone who may vote: every participant of the board, with or without a device, unless removed."""
    removed = removed_ids(session, board_id)
    ids = session.execute(select(Participant.id).where(Participant.board_id == board_id).order_by(Participant.id)).scalars()
    return [pid for pid in ids if pid not in removed]


def attendee_ids(session: Session, board_id: int) -> list[int]:
    """Participants added by the facilitator without a device (and not removed since)."""
    removed = removed_ids(session, board_id)
    ids = session.execute(
        select(NoDeviceAttendee.participant_id).where(NoDeviceAttendee.board_id == board_id).order_by(NoDeviceAttendee.participant_id)
    ).scalars()
    return [pid for pid in ids if pid not in removed]


def voter_view(session: Session, board_id: int, voter_id: int) -> dict:
    """One voter's own dots in every round, and what is left in the current one (private to that voter)."""
    rounds = rounds_of(session, board_id)
    dots: list[dict] = []
    for vote_round in rounds:
        for pid, count in sorted(dots_of(session, vote_round.id, voter_id).items()):
            dots.append({"round": vote_round.number, "project_id": pid, "dots": count})
    return _view(voter_id, rounds[-1] if rounds else None, dots)


def voter_dots(session: Session, vote_round: VoteRound, voter_id: int) -> tuple[dict[int, int], list[dict]]:
    """One voter's dots, in one query: in `vote_round` (project_id -> dots), and in the board's other rounds (as `voter_view` lists them)."""
    rows = session.execute(_VOTER_DOTS, {"board_id": vote_round.board_id, "voter_id": voter_id})
    placed: dict[int, int] = {}
    others: list[dict] = []
    for round_id, number, pid, count in rows:
        if round_id == vote_round.id:
            placed[pid] = count
        else:
            others.append({"round": number, "project_id": pid, "dots": count})
    return placed, others


def voter_view_in(vote_round: VoteRound, voter_id: int, others: list[dict], placed: dict[int, int]) -> dict:
    """`voter_view` from what a vote command holds: the current round, the voter's dots in it and in the other rounds."""
    dots = others + [{"round": vote_round.number, "project_id": pid, "dots": count} for pid, count in sorted(placed.items())]
    return _view(voter_id, vote_round, dots)


def _view(voter_id: int, current_round: VoteRound | None, dots: list[dict]) -> dict:
    current = round_dict(current_round)
    used = sum(d["dots"] for d in dots if d["round"] == current["number"])
    return {"voter_id": voter_id, "round": current["number"], "budget": current["budget"], "cap": current["cap"],
            "used": used, "remaining": max(current["budget"] - used, 0), "dots": dots}


def progress_rows(session: Session, board_id: int, vote_round: VoteRound | None) -> dict:
    """Who is done in the current round: dots used per voter and the counts (public, no choices)."""
    used = used_by_voter(session, vote_round.id) if vote_round else {}
    budget = vote_round.budget if vote_round else rules.DEFAULT_BUDGET
    summary = rules.progress(used, voter_ids(session, board_id), budget)
    return {"used": [{"voter_id": vid, "dots_used": n} for vid, n in sorted(used.items())], "summary": summary.as_dict()}


def vote_snapshot(session: Session, board: Board, actor: Actor) -> dict:
    """The vote as this actor may see it: public rounds and progress, plus their own dots only."""
    rounds = rounds_of(session, board.id)
    current = rounds[-1] if rounds else None
    attendees = attendee_ids(session, board.id)
    # Deleted cards leave every ranking; hidden ones stay, marked, for their author and the facilitator.
    shown_hidden = _hidden_seen_by(session, board.id, actor, hidden_ids(session, board.id))
    left_out = left_out_of_rankings(session, board.id, rounds)
    part = {
        "rounds": [round_dict(r, left_out, shown_hidden) for r in rounds] or [round_dict(None)],
        "progress": progress_rows(session, board.id, current),
        "attendees": attendees,
        "mine": voter_view(session, board.id, actor.participant_id) if actor.is_participant and actor.participant_id else None,
        # The facilitator places the dots of attendees without a device, so sees those (and only those).
        "proxies": [voter_view(session, board.id, aid) for aid in attendees] if actor.is_facilitator else [],
    }
    return {"vote": part}
