"""Payload models of the story vote's commands and requests (strict, unknown keys refused)."""
from __future__ import annotations

from pydantic import Field

from ..domain import limits
from ..domain import votes as rules
from .payloads import Command, Payload


class VoteConfigure(Command):
    budget: int = Field(ge=1, le=rules.BUDGET_MAX)
    cap: int = Field(ge=1, le=rules.BUDGET_MAX)


class VoteStep(Command):
    """vote_open, vote_close, vote_reveal: only the op_id."""


class VoteDotCommand(Command):
    """vote_cast, vote_retract: one dot on one story; `voter_id` only when the facilitator votes for an attendee."""

    project_id: int = Field(ge=1)
    voter_id: int | None = Field(default=None, ge=1)


class VoteRoundStart(Command):
    """Either the chosen stories or the previous round's top N; settings default to the previous round's."""

    project_ids: list[int] | None = Field(default=None, min_length=1, max_length=limits.PROJECTS_PER_BOARD)
    top: int | None = Field(default=None, ge=1, le=limits.PROJECTS_PER_BOARD)
    budget: int | None = Field(default=None, ge=1, le=rules.BUDGET_MAX)
    cap: int | None = Field(default=None, ge=1, le=rules.BUDGET_MAX)


class AttendeeAdd(Command):
    name: str = Field(max_length=200)


class VoteMineRequest(Payload):
    """Ask for one's own dots (another tab of the same person); the facilitator names an attendee."""

    voter_id: int | None = Field(default=None, ge=1)
