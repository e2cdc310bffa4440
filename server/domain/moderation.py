"""Moderation rules: who sees a hidden card, who may be removed, what a spotlight may show."""
from __future__ import annotations

from .actors import Actor
from .errors import DomainError

SPOTLIGHT_VIEWS = ("card", "map")
HIDEABLE_KINDS = ("project",)


def sees_hidden(actor: Actor, author_id: int | None) -> bool:
    """A hidden card stays visible, marked as hidden, to its author and the facilitator only."""
    return actor.is_facilitator or (actor.is_participant and actor.participant_id == author_id)


def clean_spotlight_view(view: str) -> str:
    """A spotlight shows a project's card or its tribe map."""
    if view not in SPOTLIGHT_VIEWS:
        raise DomainError("invalid_choice", "a spotlight shows a card or a map", field="view", choices=list(SPOTLIGHT_VIEWS))
    return view


def check_not_hidden(hidden: bool) -> None:
    """A hidden card and its map do not change: every change would reach screens that must not see it."""
    if hidden:
        raise DomainError("project_hidden", "the facilitator hid this card; show it again before changing it or its map")


def check_can_spotlight(hidden: bool) -> None:
    """A card the facilitator hid cannot be put in front of the room."""
    if hidden:
        raise DomainError("project_hidden", "this project is hidden; show it again before spotlighting it")
