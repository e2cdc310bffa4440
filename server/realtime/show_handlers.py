"""Socket handlers of the run of show: agenda, phases and timer, gates and lock, spotlight, moderation."""
from __future__ import annotations

from ..domain.actors import Actor
from ..domain.clock import iso, utcnow
from ..services.commands import CommandResult
from ..services.show import moderation, run_of_show, spotlight
from ..services.show import progress as show_progress
from . import connections, map_presence, removals
from .dispatch import command, database, request
from .show_payloads import (AgendaSet, ClockRequest, GateSet, LockSet, ParticipantRemove, ProgressRequest,
                            ProjectModerate, ShowAdvance, ShowExtend, ShowStep, SpotlightSet)


@command("show_agenda_set", AgendaSet)
def show_agenda_set(actor: Actor, payload: AgendaSet) -> CommandResult:
    """Replace the agenda (edit, add, remove, reorder phases)."""
    return run_of_show.set_agenda(database(), actor, payload.op_id, [p.model_dump() for p in payload.phases])


@command("show_advance", ShowAdvance)
def show_advance(actor: Actor, payload: ShowAdvance) -> CommandResult:
    """Start the first phase, or end the current one and start the next (or a chosen one)."""
    return run_of_show.advance(database(), actor, payload.op_id, payload.from_phase_id, payload.to_phase_id)


@command("show_pause", ShowStep)
def show_pause(actor: Actor, payload: ShowStep) -> CommandResult:
    """Pause the shared timer."""
    return run_of_show.pause(database(), actor, payload.op_id)


@command("show_resume", ShowStep)
def show_resume(actor: Actor, payload: ShowStep) -> CommandResult:
    """Resume the shared timer."""
    return run_of_show.resume(database(), actor, payload.op_id)


@command("show_extend", ShowExtend)
def show_extend(actor: Actor, payload: ShowExtend) -> CommandResult:
    """Give the current phase more time."""
    return run_of_show.extend(database(), actor, payload.op_id, payload.seconds)


@command("show_gate_set", GateSet)
def show_gate_set(actor: Actor, payload: GateSet) -> CommandResult:
    """Override one gate (open/closed) or follow the phase again (null)."""
    return run_of_show.set_gate(database(), actor, payload.op_id, payload.gate, payload.open)


@command("show_lock_set", LockSet)
def show_lock_set(actor: Actor, payload: LockSet) -> CommandResult:
    """Lock or unlock the board."""
    return run_of_show.set_locked(database(), actor, payload.op_id, payload.locked)


@command("spotlight_set", SpotlightSet)
def spotlight_set(actor: Actor, payload: SpotlightSet) -> CommandResult:
    """Spotlight a project's card or map, or clear the spotlight."""
    return spotlight.set_spotlight(database(), actor, payload.op_id, payload.project_id, payload.view)


@command("project_hide", ProjectModerate)
def project_hide(actor: Actor, payload: ProjectModerate) -> CommandResult:
    """Hide a card from everyone but its author and the facilitator."""
    return moderation.hide_project(database(), actor, payload.op_id, payload.project_id)


@command("project_unhide", ProjectModerate)
def project_unhide(actor: Actor, payload: ProjectModerate) -> CommandResult:
    """Show a hidden card again."""
    return moderation.unhide_project(database(), actor, payload.op_id, payload.project_id)


@command("participant_remove", ParticipantRemove)
def participant_remove(actor: Actor, payload: ParticipantRemove) -> CommandResult:
    """Remove a participant: their devices stop working and their open sockets are closed, on every process."""
    result = moderation.remove_participant(database(), actor, payload.op_id, payload.participant_id)
    if not result.duplicate:
        removals.announce(actor.board_id, payload.participant_id, result.event)
    return result


@request("clock", ClockRequest)
def clock(conn: connections.Connection, payload: ClockRequest) -> dict:
    """The server's current time: clients keep `server_now - Date.now()` to count down on server time."""
    return {"server_now": iso(utcnow())}


@request("show_progress", ProgressRequest)
def progress(conn: connections.Connection, payload: ProgressRequest) -> dict:
    """Who is stuck: posted, dots used, online, which map, per participant (facilitator only)."""
    online = set(connections.online_ids(conn.actor.board_id))
    return show_progress.progress(database(), conn.actor, online, map_presence.on_map(conn.actor.board_id))
