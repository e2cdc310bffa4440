"""Payload models of the tribe maps' commands, requests and ephemeral frames (strict, unknown keys refused)."""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ..domain import email_drafts as drafts
from ..domain import tribe_maps as rules
from .payloads import Command, Payload

Ring = Literal["inner", "network", "crowd"]
Kind = Literal["person", "community", "organisation", "media"]
Phase = Literal["before_launch", "launch_day", "first_week", "mid_campaign", "final_push", "after"]
# Map units; a little beyond [-1, 1] is accepted (a drop just outside the drawing) and clamped by the rules.
Coordinate = Annotated[float, Field(ge=-1.5, le=1.5, allow_inf_nan=False)]
ProjectId = Annotated[int, Field(ge=1)]


class MapCommand(Command):
    """Every map command names the project whose map it changes."""

    project_id: ProjectId


class NodeAdd(MapCommand):
    label: str = Field(max_length=rules.NODE_LABEL_MAX)
    kind: Kind = "person"
    ring: Ring | None = None
    reach: int = Field(default=0, ge=0, le=rules.REACH_MAX)
    x: Coordinate | None = None
    y: Coordinate | None = None


class NodeMove(MapCommand):
    node_id: int = Field(ge=1)
    x: Coordinate
    y: Coordinate


class NodeEdit(MapCommand):
    node_id: int = Field(ge=1)
    label: str | None = Field(default=None, max_length=rules.NODE_LABEL_MAX)
    kind: Kind | None = None
    ring: Ring | None = None
    reach: int | None = Field(default=None, ge=0, le=rules.REACH_MAX)


class NodeRemove(MapCommand):
    node_id: int = Field(ge=1)


class LinkAdd(MapCommand):
    from_node_id: int = Field(ge=1)
    to_node_id: int = Field(ge=1)


class LinkRemove(MapCommand):
    link_id: int = Field(ge=1)


class PlanItemAdd(MapCommand):
    what: str = Field(max_length=rules.PLAN_WHAT_MAX)
    node_id: int | None = Field(default=None, ge=1)
    ring: Ring | None = None
    when: Phase
    where: str = Field(default="", max_length=rules.PLAN_WHERE_MAX)
    how: str = Field(default="", max_length=rules.PLAN_HOW_MAX)


class PlanItemEdit(MapCommand):
    item_id: int = Field(ge=1)
    what: str | None = Field(default=None, max_length=rules.PLAN_WHAT_MAX)
    node_id: int | None = Field(default=None, ge=1)
    ring: Ring | None = None
    when: Phase | None = None
    where: str | None = Field(default=None, max_length=rules.PLAN_WHERE_MAX)
    how: str | None = Field(default=None, max_length=rules.PLAN_HOW_MAX)


class PlanItemRemove(MapCommand):
    item_id: int = Field(ge=1)


class MapSettingsEdit(MapCommand):
    average_pledge: int | None = Field(default=None, ge=1, le=rules.AVERAGE_PLEDGE_MAX)
    conversion_pct: int | None = Field(default=None, ge=rules.CONVERSION_PCT_MIN, le=rules.CONVERSION_PCT_MAX)


class EmailDraftSave(MapCommand):
    ring: Ring
    subject: str = Field(default="", max_length=drafts.EMAIL_SUBJECT_MAX)
    body: str = Field(max_length=drafts.EMAIL_BODY_MAX)


class EmailPreviewRequest(Payload):
    project_id: ProjectId
    ring: Ring


class NodeDragFrame(Payload):
    """A position while dragging: relayed to the others, never stored; `done` ends the live preview."""

    project_id: ProjectId
    node_id: int = Field(ge=1)
    x: Coordinate
    y: Coordinate
    done: bool = False


class MapPresenceFrame(Payload):
    """Which map this person is looking at (None: none); `reply` marks an answer to a newcomer."""

    project_id: ProjectId | None = None
    reply: bool = False


def set_fields(payload: Command, *names: str) -> dict:
    """The optional fields a client actually sent (an edit changes only those), without None."""
    sent = payload.model_dump(include=set(names), exclude_unset=True)
    return {name: value for name, value in sent.items() if value is not None}
