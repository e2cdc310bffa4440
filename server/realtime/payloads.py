"""Pydantic models of every client command's payload: strict types, explicit sizes."""
from __future__ import annotations

from pydantic import Field

from ..domain import limits
from ..protection.payloads import OP_ID_RULES, Payload


class Command(Payload):
    """A command that changes the board carries an op_id made on the client (a UUID)."""

    op_id: str = Field(**OP_ID_RULES)


class SyncRequest(Payload):
    since: int | None = Field(default=None, ge=0)


class ProjectFieldsIn(Payload):
    title: str = Field(default="", max_length=limits.PROJECT_TITLE_MAX)
    pitch: str = Field(default="", max_length=limits.PROJECT_PITCH_MAX)
    story: str = Field(default="", max_length=limits.PROJECT_STORY_MAX)
    category: str = Field(default="", max_length=limits.PROJECT_CATEGORY_MAX)
    goal_amount: int | None = None
    currency: str = Field(default="EUR", max_length=3)
    platform: str = Field(default="", max_length=limits.PROJECT_PLATFORM_MAX)
    campaign_start: str | None = Field(default=None, max_length=10)
    campaign_end: str | None = Field(default=None, max_length=10)
    link: str = Field(default="", max_length=limits.PROJECT_LINK_MAX)


class ProjectPost(Command):
    project: ProjectFieldsIn


class ProjectEdit(Command):
    project_id: int = Field(ge=1)
    project: ProjectFieldsIn


class ProjectDelete(Command):
    project_id: int = Field(ge=1)
