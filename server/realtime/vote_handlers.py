"""Socket handlers of the story vote: facilitator steps, dots, new rounds, attendees without a device."""
from __future__ import annotations

from ..domain.actors import Actor
from ..services.votes import use_cases as votes
from ..services.commands import CommandResult
from .connections import Connection
from .dispatch import command, database, request
from .vote_payloads import AttendeeAdd, VoteConfigure, VoteDotCommand, VoteMineRequest, VoteRoundStart, VoteStep


@command("vote_configure", VoteConfigure)
def vote_configure(actor: Actor, payload: VoteConfigure) -> CommandResult:
    """Set the dot budget and the per-story cap (facilitator; not while the vote is open)."""
    return votes.configure(database(), actor, payload.op_id, payload.budget, payload.cap)


@command("vote_open", VoteStep)
def vote_open(actor: Actor, payload: VoteStep) -> CommandResult:
    """Open (or reopen) the current round (facilitator)."""
    return votes.open_vote(database(), actor, payload.op_id)


@command("vote_close", VoteStep)
def vote_close(actor: Actor, payload: VoteStep) -> CommandResult:
    """Close the current round: later dots are refused (facilitator)."""
    return votes.close_vote(database(), actor, payload.op_id)


@command("vote_reveal", VoteStep)
def vote_reveal(actor: Actor, payload: VoteStep) -> CommandResult:
    """Reveal the closed round's ranking to every screen (facilitator)."""
    return votes.reveal(database(), actor, payload.op_id)


@command("vote_cast", VoteDotCommand)
def vote_cast(actor: Actor, payload: VoteDotCommand) -> CommandResult:
    """Place one dot; the ack's `result.mine` holds the voter's own dots."""
    return votes.cast(database(), actor, payload.op_id, payload.project_id, payload.voter_id)


@command("vote_retract", VoteDotCommand)
def vote_retract(actor: Actor, payload: VoteDotCommand) -> CommandResult:
    """Take one dot back; the ack's `result.mine` holds the voter's own dots."""
    return votes.retract(database(), actor, payload.op_id, payload.project_id, payload.voter_id)


@command("vote_round_start", VoteRoundStart)
def vote_round_start(actor: Actor, payload: VoteRoundStart) -> CommandResult:
    """Start another round on chosen stories or the previous top N (facilitator)."""
    return votes.start_round(database(), actor, payload.op_id, payload.project_ids, payload.top, payload.budget, payload.cap)


@command("attendee_add", AttendeeAdd)
def attendee_add(actor: Actor, payload: AttendeeAdd) -> CommandResult:
    """Add an attendee who has no device, to vote on their behalf (facilitator)."""
    return votes.add_attendee(database(), actor, payload.op_id, payload.name)


@request("vote_mine", VoteMineRequest)
def vote_mine(conn: Connection, payload: VoteMineRequest) -> dict:
    """A voter's own dots in every round (not logged, never broadcast)."""
    return {"mine": votes.mine(database(), conn.actor, payload.voter_id)}
