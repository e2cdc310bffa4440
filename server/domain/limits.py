"""Every limit of the product, explicit and in one place (the error names the one hit)."""
from __future__ import annotations

from .errors import DomainError

BOARD_TITLE_MAX = 120
DISPLAY_NAME_MAX = 40
PARTICIPANTS_PER_BOARD = 1000  # issue 8: one festival board holds 1,000 people
PROJECTS_PER_PARTICIPANT = 3
PROJECTS_PER_BOARD = 200
PROJECT_TITLE_MAX = 120
PROJECT_PITCH_MAX = 200
PROJECT_STORY_MAX = 4000
PROJECT_CATEGORY_MAX = 60
PROJECT_PLATFORM_MAX = 60
PROJECT_LINK_MAX = 500
PROJECT_GOAL_MAX = 1_000_000_000


def check_text(field: str, value: str, maximum: int, *, required: bool = False) -> str:
    """Strip a text field and enforce its length limit; raise a DomainError naming the field."""
    text = (value or "").strip()
    if required and not text:
        raise DomainError("required", f"{field} is required", field=field)
    if len(text) > maximum:
        raise DomainError("too_long", f"{field} is longer than {maximum} characters", field=field, limit=maximum)
    return text


def check_count(limit_name: str, current: int, maximum: int) -> None:
    """Refuse one more item when `current` already reached `maximum`."""
    if current >= maximum:
        raise DomainError("limit_reached", f"limit reached: {limit_name} ({maximum})", limit=limit_name, maximum=maximum)
