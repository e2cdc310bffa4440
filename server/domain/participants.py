"""Joining rules: display names and board capacity."""
from __future__ import annotations

from . import limits


def clean_display_name(raw: str) -> str:
    """A display name is required, trimmed, and at most DISPLAY_NAME_MAX characters."""
    # Collapse inner runs of white space so "  Ana   M " and "Ana M" look the same on screen.
    return limits.check_text("name", " ".join((raw or "").split()), limits.DISPLAY_NAME_MAX, required=True)


def check_capacity(current_participants: int) -> None:
    """A board holds at most PARTICIPANTS_PER_BOARD people."""
    limits.check_count("participants_per_board", current_participants, limits.PARTICIPANTS_PER_BOARD)
