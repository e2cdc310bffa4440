"""Who is acting: a facilitator, a participant or the read-only projector."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .errors import DomainError


class Role(str, Enum):
    FACILITATOR = "facilitator"
    PARTICIPANT = "participant"
    PROJECTOR = "projector"


@dataclass(frozen=True)
class Actor:
    """The authenticated author of a command on one board."""

    board_id: int
    role: Role
    participant_id: int | None = None

    @property
    def is_facilitator(self) -> bool:
        return self.role is Role.FACILITATOR

    @property
    def is_participant(self) -> bool:
        return self.role is Role.PARTICIPANT


def require_writer(actor: Actor) -> None:
    """The projector is read-only."""
    if actor.role is Role.PROJECTOR:
        raise DomainError("forbidden", "the projector view is read-only")


def require_facilitator(actor: Actor) -> None:
    """Only the facilitator's secret link may do this."""
    if not actor.is_facilitator:
        raise DomainError("forbidden", "only the facilitator can do this")


def require_participant(actor: Actor) -> int:
    """Only a joined participant may do this; returns their id."""
    if not actor.is_participant or actor.participant_id is None:
        raise DomainError("forbidden", "join the board as a participant first")
    return actor.participant_id
