"""The run of show: the agenda, moving through phases, the shared timer, gate overrides and the lock."""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...domain import phases as phase_rules
from ...domain import timer as timer_rules
from ...domain.actors import Actor, require_facilitator
from ...domain.errors import DomainError
from ...persistence.db import Database
from ...persistence.models import Board
from ...domain.clock import iso, utcnow
from ...persistence.show_models import ShowPhase, ShowState
from ..commands import CommandResult, execute
from ..gating import gating_phase


# --- reading -------------------------------------------------------------------------------------

def phases_of(session: Session, board_id: int) -> list[ShowPhase]:
    """The board's agenda, in order."""
    return list(session.execute(select(ShowPhase).where(ShowPhase.board_id == board_id).order_by(ShowPhase.position)).scalars())


def phase_dict(phase: ShowPhase) -> dict:
    """One agenda item as clients and exports see it (real start and end times included)."""
    return {
        "id": phase.id, "position": phase.position, "kind": phase.kind, "title": phase.title,
        "duration_s": phase.duration_s, "gates": dict(phase.gates),
        "started_at": iso(phase.started_at), "ended_at": iso(phase.ended_at),
    }


def _timer(state: ShowState) -> timer_rules.Timer:
    status = state.status if state.status in (timer_rules.RUNNING, timer_rules.PAUSED) else timer_rules.IDLE
    return timer_rules.Timer(status, state.timer_ends_at, state.timer_remaining_ms, state.timer_duration_ms or 0)


def _store_timer(state: ShowState, timer: timer_rules.Timer) -> None:
    state.timer_ends_at = timer.ends_at
    state.timer_remaining_ms = timer.remaining_ms
    state.timer_duration_ms = timer.duration_ms


def _default_view(board: Board, now: datetime) -> dict:
    # Nothing stored yet: the default agenda, not started, every gate open.
    phases = [
        {"id": None, "position": i, "kind": s.kind, "title": s.title, "duration_s": s.duration_s,
         "gates": s.gates, "started_at": None, "ended_at": None}
        for i, s in enumerate(phase_rules.default_agenda(board.language))
    ]
    return {
        "status": phase_rules.IDLE, "current_phase_id": None, "phases": phases,
        "timer": {"status": timer_rules.IDLE, "ends_at": None, "remaining_ms": None, "duration_ms": 0},
        "gates": phase_rules.open_gates(phase_rules.IDLE, None, {}), "overrides": {}, "locked": False,
        "server_now": iso(now),
    }


def show_view(session: Session, board: Board, now: datetime | None = None) -> dict:
    """The whole run of show as every screen sees it, with the server's clock for the countdown."""
    now = now or utcnow()
    state = session.get(ShowState, board.id)
    if state is None:
        return _default_view(board, now)
    phases = phases_of(session, board.id)
    current = gating_phase(session, state)
    overrides = dict(state.gate_overrides or {})
    timer = _timer(state)
    return {
        "status": state.status,
        "current_phase_id": state.current_phase_id,
        "phases": [phase_dict(p) for p in phases],
        "timer": {"status": timer.status, "ends_at": iso(timer.ends_at), "remaining_ms": timer.remaining_ms,
                  "duration_ms": timer.duration_ms},
        "gates": phase_rules.open_gates(state.status, current.gates if current else None, overrides),
        "overrides": overrides,
        "locked": bool(state.locked),
        "server_now": iso(now),
    }


# --- writing -------------------------------------------------------------------------------------

def ensure_state(session: Session, board_id: int) -> ShowState:
    """The board's show row, created with the default agenda (in the board's language) on first use."""
    state = session.get(ShowState, board_id)
    if state is not None:
        return state
    board = session.get(Board, board_id)
    for position, spec in enumerate(phase_rules.default_agenda(board.language)):
        session.add(ShowPhase(board_id=board_id, position=position, kind=spec.kind, title=spec.title,
                              duration_s=spec.duration_s, gates=spec.gates))
    state = ShowState(board_id=board_id, status=phase_rules.IDLE, current_phase_id=None, timer_duration_ms=0,
                      locked=False, gate_overrides={})
    session.add(state)
    session.flush()
    return state


ShowChange = Callable[[Session, ShowState, datetime], dict]


def _show_command(db: Database, actor: Actor, op_id: str, event_type: str, change: ShowChange) -> CommandResult:
    """A facilitator command on the show: every resulting event carries the whole show and server time."""

    def apply(session: Session) -> tuple[str, dict]:
        require_facilitator(actor)
        now = utcnow()
        state = ensure_state(session, actor.board_id)
        extra = change(session, state, now)
        session.flush()
        board = session.get(Board, actor.board_id)
        return event_type, {**extra, "show": show_view(session, board, now), "server_now": iso(now)}

    return execute(db, actor.board_id, actor, op_id, apply)


def set_agenda(db: Database, actor: Actor, op_id: str, items: list[dict]) -> CommandResult:
    """Replace the agenda: edit, add, remove and reorder phases (those that already ran stay first)."""

    def change(session: Session, state: ShowState, now: datetime) -> dict:
        board = session.get(Board, actor.board_id)
        existing = phases_of(session, actor.board_id)
        phase_rules.check_agenda([(p.id, p.started_at is not None) for p in existing], [item.get("id") for item in items])
        by_id = {p.id: p for p in existing}
        kept: set[int] = set()
        for position, item in enumerate(items):
            spec = phase_rules.clean_phase(item.get("kind", "custom"), item.get("title", ""), item["duration_s"],
                                           item.get("gates", {}), board.language)
            phase = by_id.get(item.get("id")) if item.get("id") is not None else None
            if phase is None:
                phase = ShowPhase(board_id=actor.board_id, kind=spec.kind)
                session.add(phase)
            else:
                kept.add(phase.id)
            phase.position, phase.kind, phase.title = position, spec.kind, spec.title
            phase.duration_s, phase.gates = spec.duration_s, spec.gates
        for phase in existing:
            if phase.id not in kept:
                session.delete(phase)
        return {}

    return _show_command(db, actor, op_id, "show_agenda_changed", change)


def advance(db: Database, actor: Actor, op_id: str, from_phase_id: int | None, to_phase_id: int | None = None) -> CommandResult:
    """End the current phase and start the next one (or `to_phase_id`, run next); past the last, the show ends.

    `from_phase_id` is the phase the facilitator saw as current: a second click (or a second tab)
    that arrives after the show already moved on is refused instead of skipping a phase.
    """

    def change(session: Session, state: ShowState, now: datetime) -> dict:
        phase_rules.check_advance(state.current_phase_id, from_phase_id)
        phases = phases_of(session, actor.board_id)
        order, next_id = phase_rules.plan_advance([(p.id, p.started_at is not None) for p in phases], to_phase_id)
        if next_id is None and state.current_phase_id is None:
            raise DomainError("show_ended", "every phase already ran; add one to the agenda to go on")
        by_id = {p.id: p for p in phases}
        for position, phase_id in enumerate(order):
            by_id[phase_id].position = position
        ended = session.get(ShowPhase, state.current_phase_id) if state.current_phase_id else None
        if ended is not None:
            ended.ended_at = now
        state.gate_overrides = {}  # an override belongs to the phase it was made in
        following = by_id[next_id] if next_id is not None else None
        if following is None:
            state.status, state.current_phase_id = phase_rules.ENDED, None
            _store_timer(state, timer_rules.Timer())
        else:
            following.started_at = now
            state.status, state.current_phase_id = phase_rules.RUNNING, following.id
            _store_timer(state, timer_rules.start(now, following.duration_s))
        return {"ended_phase_id": ended.id if ended else None,
                "started_phase_id": following.id if following else None}

    return _show_command(db, actor, op_id, "show_phase_changed", change)


def _require_current(state: ShowState) -> None:
    if state.status not in (phase_rules.RUNNING, phase_rules.PAUSED):
        raise DomainError("no_current_phase", "start a phase first")


def pause(db: Database, actor: Actor, op_id: str) -> CommandResult:
    """Freeze the timer (the phase and its gates stay)."""

    def change(session: Session, state: ShowState, now: datetime) -> dict:
        _require_current(state)
        _store_timer(state, timer_rules.pause(_timer(state), now))
        state.status = phase_rules.PAUSED
        return {"action": "paused"}

    return _show_command(db, actor, op_id, "show_timer_changed", change)


def resume(db: Database, actor: Actor, op_id: str) -> CommandResult:
    """Run the timer again from where it was paused."""

    def change(session: Session, state: ShowState, now: datetime) -> dict:
        _require_current(state)
        _store_timer(state, timer_rules.resume(_timer(state), now))
        state.status = phase_rules.RUNNING
        return {"action": "resumed"}

    return _show_command(db, actor, op_id, "show_timer_changed", change)


def extend(db: Database, actor: Actor, op_id: str, seconds: int) -> CommandResult:
    """Give the current phase more time (+1 / +5 min from the console)."""

    def change(session: Session, state: ShowState, now: datetime) -> dict:
        _require_current(state)
        _store_timer(state, timer_rules.extend(_timer(state), now, seconds))
        return {"action": "extended", "seconds": seconds}

    return _show_command(db, actor, op_id, "show_timer_changed", change)


def set_gate(db: Database, actor: Actor, op_id: str, gate: str, is_open: bool | None) -> CommandResult:
    """Open or close one gate against the phase's setting, or follow the phase again (None)."""

    def change(session: Session, state: ShowState, now: datetime) -> dict:
        phase_rules.clean_override(gate, is_open)
        overrides = dict(state.gate_overrides or {})
        if is_open is None:
            overrides.pop(gate, None)
        else:
            overrides[gate] = is_open
        state.gate_overrides = overrides
        return {}

    return _show_command(db, actor, op_id, "show_gates_changed", change)


def set_locked(db: Database, actor: Actor, op_id: str, locked: bool) -> CommandResult:
    """Lock the board (nobody but the facilitator changes anything) or unlock it."""

    def change(session: Session, state: ShowState, now: datetime) -> dict:
        state.locked = locked
        return {}

    return _show_command(db, actor, op_id, "show_gates_changed", change)
