"""Payloads of the run of show's commands and requests: strict types, explicit sizes."""
from __future__ import annotations

from typing import Literal

from pydantic import Field

from ..domain import phases, timer
from .payloads import Command, Payload

Gate = Literal["posting", "voting", "mapping"]


class PhaseIn(Payload):
    id: int | None = Field(default=None, ge=1)
    kind: Literal["join", "values", "post", "vote", "maps", "wrapup", "custom"] = "custom"
    title: str = Field(default="", max_length=phases.PHASE_TITLE_MAX)
    duration_s: int = Field(ge=60, le=phases.PHASE_DURATION_MAX_S)
    gates: dict[Gate, bool] = Field(default_factory=dict)


class AgendaSet(Command):
    phases: list[PhaseIn] = Field(min_length=1, max_length=phases.PHASES_MAX)


class ShowAdvance(Command):
    from_phase_id: int | None = Field(default=None, ge=1)
    to_phase_id: int | None = Field(default=None, ge=1)


class ShowStep(Command):
    """Pause or resume: nothing but the op_id."""


class ShowExtend(Command):
    seconds: int = Field(ge=1, le=timer.EXTEND_MAX_S)


class GateSet(Command):
    gate: Gate
    open: bool | None


class LockSet(Command):
    locked: bool


class SpotlightSet(Command):
    project_id: int | None = Field(default=None, ge=1)
    view: Literal["card", "map"] = "card"


class ProjectModerate(Command):
    project_id: int = Field(ge=1)


class ParticipantRemove(Command):
    participant_id: int = Field(ge=1)


class ClockRequest(Payload):
    """Ask for the server's time (no fields)."""


class ProgressRequest(Payload):
    """Ask who is stuck (facilitator; no fields)."""
