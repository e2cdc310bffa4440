"""Gates: may this actor post, vote or map right now? Called inside a command's write transaction."""
from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from ..domain import phases as phase_rules
from ..domain.actors import Actor
from ..domain.errors import DomainError
from ..persistence.models import Board
from ..persistence.show_models import ShowPhase, ShowState
from .moderation_state import removed_flag


def gates_of(session: Session, board_id: int) -> dict[str, bool]:
    """Every gate's state on this board (all open before the show starts)."""
    state = session.get(ShowState, board_id)
    if state is None:
        return phase_rules.open_gates(phase_rules.IDLE, None, {})
    return phase_rules.open_gates(state.status, _phase_gates(session, state), state.gate_overrides or {})


def _phase_gates(session: Session, state: ShowState) -> dict[str, bool] | None:
    phase = gating_phase(session, state)
    return None if phase is None else phase.gates


def gating_phase(session: Session, state: ShowState) -> ShowPhase | None:
    """The phase whose settings gate input: the current one, or the last one once the show ended."""
    if state.current_phase_id is not None:
        return session.get(ShowPhase, state.current_phase_id)
    if state.status == phase_rules.ENDED:
        return session.execute(
            select(ShowPhase).where(ShowPhase.board_id == state.board_id, ShowPhase.started_at.is_not(None))
            .order_by(ShowPhase.position.desc()).limit(1)
        ).scalar_one_or_none()
    return None


def require_open(session: Session, board_id: int, gate: str, actor: Actor) -> None:
    """Refuse the change when `gate` ("posting", "voting", "mapping") is closed or the board is locked.

    The facilitator always passes (they moderate and vote on behalf of people without a device).
    """
    phase_rules.require_known_gate(gate)
    if actor.is_facilitator:
        return
    removed, state, current_phase = _removed_and_state(session, board_id, actor.participant_id)
    if removed:
        # A removed person's socket may still be open on another process until it is dropped.
        raise DomainError("participant_removed", "the facilitator removed you from this board")
    if state is None:
        return
    if state.locked:
        raise DomainError("board_locked", "the facilitator locked the board for now", gate=gate)
    # The current phase came with the state; once the show ended, gating_phase finds the last one.
    phase = current_phase if state.current_phase_id is not None else gating_phase(session, state)
    phase_gates = None if phase is None else phase.gates
    if not phase_rules.gate_is_open(gate, state.status, phase_gates, state.gate_overrides or {}):
        raise DomainError("gate_closed", f"{gate} is closed in this phase", gate=gate)


# Built once (bindparams): every gated command runs it; building it cost about as much CPU as running it.
_REMOVED_AND_STATE = (
    select(removed_flag(bindparam("board_id"), bindparam("participant_id")), ShowState, ShowPhase).select_from(Board)
    .outerjoin(ShowState, ShowState.board_id == Board.id)
    .outerjoin(ShowPhase, ShowPhase.id == ShowState.current_phase_id)
    .where(Board.id == bindparam("board_id"))
)


def _removed_and_state(session: Session, board_id: int, participant_id: int | None
                       ) -> tuple[bool, ShowState | None, ShowPhase | None]:
    """Whether the facilitator removed this participant, the board's show state and its current phase: one query."""
    row = session.execute(_REMOVED_AND_STATE, {"board_id": board_id, "participant_id": participant_id}).one()
    return bool(row[0]), row[1], row[2]
