"""Moderation: hide or show a card, remove a participant."""
from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from ...domain.actors import Actor, require_facilitator
from ...domain.errors import DomainError
from ...persistence.db import Database
from ...persistence.models import DeviceToken, Participant
from ...persistence.show_models import HiddenItem, RemovedParticipant, ShowState
from ..commands import CommandResult, execute
from ..lookups import project_of_board
from ..maps.snapshot_part import tribe_map_entry
from ..moderation_state import is_hidden, removed_ids
from ..serialize import project_dict
from ..votes.returns import return_dots
from ..votes.views import latest_round, progress_rows, revealed_rankings_with


def hide_project(db: Database, actor: Actor, op_id: str, project_id: int) -> CommandResult:
    """Hide a card from everyone but its author and the facilitator (who see it marked as hidden)."""

    def apply(session: Session) -> tuple[str, dict]:
        require_facilitator(actor)
        project_of_board(session, actor.board_id, project_id)
        if not is_hidden(session, actor.board_id, project_id):
            session.add(HiddenItem(board_id=actor.board_id, kind="project", item_id=project_id))
        state = session.get(ShowState, actor.board_id)
        if state is not None and state.spotlight_project_id == project_id:
            # A hidden card leaves the spotlight with it; clients clear it on this event.
            state.spotlight_project_id, state.spotlight_view = None, None
        # It leaves the vote too: its dots of the round not yet revealed go back to their voters, and
        # the revealed rankings are told without it, so every screen drops it at once.
        returned = return_dots(session, actor.board_id, project_id)
        session.flush()  # the hide itself, before the rankings are read without the card
        return "project_hidden", {"project_id": project_id, "returned_dots": returned,
                                  "rankings": revealed_rankings_with(session, actor.board_id, project_id)}

    return execute(db, actor.board_id, actor, op_id, apply)


def unhide_project(db: Database, actor: Actor, op_id: str, project_id: int) -> CommandResult:
    """Show a hidden card to everyone again."""

    def apply(session: Session) -> tuple[str, dict]:
        require_facilitator(actor)
        project = project_of_board(session, actor.board_id, project_id)
        session.execute(delete(HiddenItem).where(HiddenItem.board_id == actor.board_id, HiddenItem.kind == "project",
                                                 HiddenItem.item_id == project_id))
        # The card travels again: screens that dropped it while hidden need its content back, and its
        # place in the revealed rankings (dots that came back at the hide stay with their voters).
        # Its map too: snapshots left it out for those who could not see the card.
        return "project_unhidden", {"project_id": project_id, "project": project_dict(project),
                                    "tribe_map": tribe_map_entry(session, project_id),
                                    "rankings": revealed_rankings_with(session, actor.board_id, project_id)}

    return execute(db, actor.board_id, actor, op_id, apply)


def remove_participant(db: Database, actor: Actor, op_id: str, participant_id: int) -> CommandResult:
    """Remove a participant: every device token and the rejoin code stop working; their cards stay."""

    def apply(session: Session) -> tuple[str, dict]:
        require_facilitator(actor)
        participant = session.get(Participant, participant_id)
        if participant is None or participant.board_id != actor.board_id:
            raise DomainError("participant_not_found", "this person is not on this board", participant_id=participant_id)
        session.execute(delete(DeviceToken).where(DeviceToken.participant_id == participant_id))
        participant.rejoin_hash = None
        if participant_id not in removed_ids(session, actor.board_id):
            session.add(RemovedParticipant(board_id=actor.board_id, participant_id=participant_id))
        session.flush()
        # They vote no more and their dots stop counting: every screen gets the round's new "who is done".
        current = latest_round(session, actor.board_id)
        return "participant_removed", {"participant_id": participant_id,
                                       "vote_summary": progress_rows(session, actor.board_id, current)["summary"]}

    return execute(db, actor.board_id, actor, op_id, apply)
