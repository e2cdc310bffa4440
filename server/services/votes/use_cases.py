"""Story vote use cases: configure, open, close, reveal, cast, retract, new rounds, attendees without a device.

Every command runs inside `commands.execute`, which first locks the board row: the budget, the
per-story cap and the open/closed state are read and changed under that lock, so two tabs, a
flood of retries or a close racing a cast always meet one total order.
Events are public, so they never carry a story id or a tally while a round is open; the voter's
own dots travel in the ack (`CommandResult.result`) and in `vote_mine`.
"""
from __future__ import annotations

from dataclasses import replace

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from ...domain import participants as participant_rules
from ...domain import votes as rules
from ...domain.actors import Actor, require_facilitator, require_participant, require_writer
from ...domain.errors import DomainError
from ...domain.votes import VoteState
from ...persistence.db import Database
from ...persistence.models import Participant, Project
from ...domain.clock import utcnow
from ...persistence.vote_models import NoDeviceAttendee, VoteDot, VoteRound
from . import views
from ..commands import CommandResult, execute
from ..gating import require_open
from ..lookups import project_and_hidden
from ..moderation_state import hidden_ids, removed_ids
from ..serialize import participant_dict


def _current_round(session: Session, board_id: int) -> VoteRound:
    """The round commands act on; round 1 is created on first use with the default settings."""
    vote_round = views.latest_round(session, board_id)
    if vote_round is None:
        vote_round = VoteRound(board_id=board_id, number=1, state=VoteState.NOT_STARTED.value,
                               budget=rules.DEFAULT_BUDGET, cap=rules.DEFAULT_CAP)
        session.add(vote_round)
        session.flush()
    return vote_round


def _settings(vote_round: VoteRound) -> rules.VoteSettings:
    return rules.VoteSettings(vote_round.budget, vote_round.cap)


def _voter(session: Session, actor: Actor, voter_id: int | None) -> int:
    """Whose dot this is: the participant themself, or an attendee without a device for the facilitator."""
    require_writer(actor)
    if actor.is_facilitator:
        if voter_id is None:
            raise DomainError("voter_required", "choose the attendee you are voting for")
        attendee = session.get(NoDeviceAttendee, voter_id)
        if attendee is None or attendee.board_id != actor.board_id or voter_id in removed_ids(session, actor.board_id):
            raise DomainError("not_an_attendee", "the facilitator votes only for attendees added without a device",
                              voter_id=voter_id)
        return voter_id
    participant_id = require_participant(actor)
    if voter_id is not None and voter_id != participant_id:
        raise DomainError("forbidden", "you can only place your own dots")
    return participant_id


def _votable_project(session: Session, board_id: int, vote_round: VoteRound, project_id: int) -> Project:
    project, hidden = project_and_hidden(session, board_id, project_id)
    if hidden:
        # A hidden card is out of the vote: most screens cannot even see it.
        raise DomainError("project_hidden", "the facilitator hid this story; it cannot receive dots", project_id=project_id)
    if vote_round.candidate_ids is not None and project_id not in vote_round.candidate_ids:
        raise DomainError("not_in_round", "this story is not part of this vote round", project_id=project_id,
                          round=vote_round.number)
    return project


def _progress_event(vote_round: VoteRound, voter_id: int, used: int) -> dict:
    """What the room learns from a dot: who, how many used, out of what; never which story."""
    return {"round": vote_round.number, "voter_id": voter_id, "dots_used": used, "budget": vote_round.budget}


def _with_view(db: Database, result: CommandResult, actor: Actor, voter_id: int | None) -> CommandResult:
    """The ack carries the voter's own dots: the first ack's for a resend (kept in the log with it).

    Only an op_id logged before the log kept first acks reads them afresh.
    """
    if result.result is not None:
        return result
    with db.read() as session:
        view = views.voter_view(session, actor.board_id, _voter(session, actor, voter_id))
    return replace(result, result={"mine": view})


def cast(db: Database, actor: Actor, op_id: str, project_id: int, voter_id: int | None = None) -> CommandResult:
    """Place one dot on a story (for oneself, or by the facilitator for an attendee without a device)."""

    def apply(session: Session) -> tuple[str, dict, dict]:
        voter = _voter(session, actor, voter_id)
        vote_round = _current_round(session, actor.board_id)
        state = VoteState(vote_round.state)
        # The state first: after a close, every dot gets `vote_closed`, whatever else is wrong with it.
        rules.check_accepts_dots(state)
        require_open(session, actor.board_id, "voting", actor)
        project = _votable_project(session, actor.board_id, vote_round, project_id)
        placed, others = views.voter_dots(session, vote_round, voter)
        rules.check_cast(state, _settings(vote_round), voter, project.author_id, sum(placed.values()), placed.get(project_id, 0))
        if project_id in placed:
            session.execute(update(VoteDot).where(VoteDot.round_id == vote_round.id, VoteDot.voter_id == voter,
                                                  VoteDot.project_id == project_id).values(count=VoteDot.count + 1))
        else:
            session.execute(insert(VoteDot).values(round_id=vote_round.id, voter_id=voter, project_id=project_id, count=1))
        view = views.voter_view_in(vote_round, voter, others, {**placed, project_id: placed.get(project_id, 0) + 1})
        return "vote_cast_accepted", _progress_event(vote_round, voter, view["used"]), {"mine": view}

    return _with_view(db, execute(db, actor.board_id, actor, op_id, apply), actor, voter_id)


def retract(db: Database, actor: Actor, op_id: str, project_id: int, voter_id: int | None = None) -> CommandResult:
    """Take one dot back from a story while the round is open."""

    def apply(session: Session) -> tuple[str, dict, dict]:
        voter = _voter(session, actor, voter_id)
        vote_round = _current_round(session, actor.board_id)
        placed, others = views.voter_dots(session, vote_round, voter)
        rules.check_accepts_dots(VoteState(vote_round.state))
        require_open(session, actor.board_id, "voting", actor)
        rules.check_retract(VoteState(vote_round.state), placed.get(project_id, 0))
        where = (VoteDot.round_id == vote_round.id, VoteDot.voter_id == voter, VoteDot.project_id == project_id)
        if placed[project_id] == 1:
            session.execute(delete(VoteDot).where(*where))
        else:
            session.execute(update(VoteDot).where(*where).values(count=VoteDot.count - 1))
        left = dict(placed)
        left[project_id] -= 1
        if not left[project_id]:
            del left[project_id]
        view = views.voter_view_in(vote_round, voter, others, left)
        return "vote_retract_accepted", _progress_event(vote_round, voter, view["used"]), {"mine": view}

    return _with_view(db, execute(db, actor.board_id, actor, op_id, apply), actor, voter_id)


def mine(db: Database, actor: Actor, voter_id: int | None = None) -> dict:
    """A voter's own dots (all rounds) for another tab of theirs, or the facilitator for an attendee."""
    with db.read() as session:
        voter = _voter(session, actor, voter_id)
        return views.voter_view(session, actor.board_id, voter)


def configure(db: Database, actor: Actor, op_id: str, budget: int, cap: int) -> CommandResult:
    """The facilitator sets the dot budget and the per-story cap of the current round (not while open)."""

    def apply(session: Session) -> tuple[str, dict]:
        require_facilitator(actor)
        new = rules.clean_settings(budget, cap)
        vote_round = _current_round(session, actor.board_id)
        used = views.used_by_voter(session, vote_round.id)
        most_on_one = session.execute(select(func.max(VoteDot.count)).where(VoteDot.round_id == vote_round.id)).scalar() or 0
        rules.check_can_configure(VoteState(vote_round.state), new, max(used.values(), default=0), most_on_one)
        vote_round.budget, vote_round.cap = new.budget, new.cap
        session.flush()
        return "vote_configured", {"round": views.round_dict(vote_round)}

    return execute(db, actor.board_id, actor, op_id, apply)


def open_vote(db: Database, actor: Actor, op_id: str) -> CommandResult:
    """The facilitator opens the current round (or reopens it after a close, before the reveal)."""

    def apply(session: Session) -> tuple[str, dict]:
        require_facilitator(actor)
        vote_round = _current_round(session, actor.board_id)
        rules.check_can_open(VoteState(vote_round.state))
        vote_round.state, vote_round.opened_at, vote_round.closed_at = VoteState.OPEN.value, utcnow(), None
        session.flush()
        return "vote_opened", {"round": views.round_dict(vote_round)}

    return execute(db, actor.board_id, actor, op_id, apply)


def close_vote(db: Database, actor: Actor, op_id: str) -> CommandResult:
    """The facilitator closes the round: from this seq on, every dot is refused with `vote_closed`."""

    def apply(session: Session) -> tuple[str, dict]:
        require_facilitator(actor)
        vote_round = _current_round(session, actor.board_id)
        rules.check_can_close(VoteState(vote_round.state))
        vote_round.state, vote_round.closed_at = VoteState.CLOSED.value, utcnow()
        session.flush()
        return "vote_closed", {"round": views.round_dict(vote_round),
                               "progress": views.progress_rows(session, actor.board_id, vote_round)["summary"]}

    return execute(db, actor.board_id, actor, op_id, apply)


def reveal(db: Database, actor: Actor, op_id: str) -> CommandResult:
    """The facilitator reveals the closed round: one event carries the ranking for every screen."""

    def apply(session: Session) -> tuple[str, dict]:
        require_facilitator(actor)
        vote_round = _current_round(session, actor.board_id)
        rules.check_can_reveal(VoteState(vote_round.state))
        # The ranking is public: hidden cards stay out of it (their titles would leak otherwise).
        hidden = hidden_ids(session, actor.board_id)
        projects = {p.id: p for p in session.execute(select(Project).where(Project.board_id == actor.board_id)).scalars()
                    if p.id not in hidden}
        candidates = [pid for pid in (vote_round.candidate_ids or projects) if pid in projects]
        ranking = rules.rank(views.tally(session, vote_round.id, removed_ids(session, actor.board_id)), candidates)
        # Titles are frozen with the result so the kept ranking still reads right after later edits.
        vote_round.result = [{"project_id": r.project_id, "title": projects[r.project_id].title, "dots": r.dots, "rank": r.rank}
                             for r in ranking]
        vote_round.state, vote_round.revealed_at = VoteState.REVEALED.value, utcnow()
        session.flush()
        return "vote_revealed", {"round": views.round_dict(vote_round)}

    return execute(db, actor.board_id, actor, op_id, apply)


def start_round(db: Database, actor: Actor, op_id: str, project_ids: list[int] | None = None, top: int | None = None,
                budget: int | None = None, cap: int | None = None) -> CommandResult:
    """The facilitator starts another round on chosen stories or the previous round's top N (ties kept)."""

    def apply(session: Session) -> tuple[str, dict]:
        require_facilitator(actor)
        previous = _current_round(session, actor.board_id)
        rules.check_can_start_round(VoteState(previous.state), previous.number)
        if (project_ids is None) == (top is None):
            raise DomainError("invalid_choice", "choose either the stories or a top N", field="project_ids")
        existing = set(session.execute(select(Project.id).where(Project.board_id == actor.board_id)).scalars())
        existing -= hidden_ids(session, actor.board_id)
        if top is not None:
            # The ranks the room sees now: a card hidden or deleted since the reveal neither counts nor takes a place.
            seen = rules.ranking_seen(previous.result or [], views.left_out_of_rankings(session, actor.board_id, [previous]))
            kept = [rules.Ranked(r["project_id"], r["dots"], r["rank"]) for r in seen]
            chosen = [pid for pid in rules.top(kept, top) if pid in existing]
        else:
            chosen = project_ids
        candidates = rules.check_candidates(chosen, existing)
        settings = rules.clean_settings(budget or previous.budget, cap or previous.cap)
        vote_round = VoteRound(board_id=actor.board_id, number=previous.number + 1, state=VoteState.NOT_STARTED.value,
                               budget=settings.budget, cap=settings.cap, candidate_ids=candidates)
        session.add(vote_round)
        session.flush()
        return "vote_round_started", {"round": views.round_dict(vote_round)}

    return execute(db, actor.board_id, actor, op_id, apply)


def add_attendee(db: Database, actor: Actor, op_id: str, name: str) -> CommandResult:
    """The facilitator adds an attendee who has no device (a name, no token) to vote on their behalf."""

    def apply(session: Session) -> tuple[str, dict]:
        require_facilitator(actor)
        clean = participant_rules.clean_display_name(name)
        count = session.execute(select(func.count()).select_from(Participant).where(Participant.board_id == actor.board_id)).scalar_one()
        participant_rules.check_capacity(count)
        participant = Participant(board_id=actor.board_id, name=clean, rejoin_hash=None)
        session.add(participant)
        session.flush()
        session.add(NoDeviceAttendee(participant_id=participant.id, board_id=actor.board_id))
        session.flush()
        # The foundation's join event, so every participant list shows them; `no_device` says why no presence.
        return "participant_joined", {"participant": participant_dict(participant), "no_device": True}

    return execute(db, actor.board_id, actor, op_id, apply)
