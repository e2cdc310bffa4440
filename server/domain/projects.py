"""Story card rules: what a project holds and who may change it."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from urllib.parse import urlparse

from . import limits
from .actors import Actor
from .errors import DomainError

CURRENCIES = ("EUR", "USD", "GBP", "CHF", "CAD", "XOF", "MAD", "JPY")


@dataclass(frozen=True)
class ProjectFields:
    """The editable content of a story card; only title and pitch are required."""

    title: str
    pitch: str
    story: str = ""
    category: str = ""
    goal_amount: int | None = None
    currency: str = "EUR"
    platform: str = ""
    campaign_start: str | None = None
    campaign_end: str | None = None
    link: str = ""

    def as_dict(self) -> dict:
        """Plain dict, as stored and as sent to clients."""
        return asdict(self)


def not_found(project_id: int) -> DomainError:
    """The refusal of a command naming a project that is not (or no longer) on the board."""
    return DomainError("project_not_found", "this project does not exist (any more)", project_id=project_id)


def _check_link(link: str) -> str:
    link = limits.check_text("link", link, limits.PROJECT_LINK_MAX)
    if not link:
        return ""
    parsed = urlparse(link)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise DomainError("invalid_link", "the link must start with http:// or https://", field="link")
    return link


def _check_date(field: str, value: str | None) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise DomainError("invalid_date", f"{field} must be a date (YYYY-MM-DD)", field=field) from None


def validate_fields(raw: dict) -> ProjectFields:
    """Clean and check every field of a story card, or raise the first DomainError."""
    goal = raw.get("goal_amount")
    if goal is not None and not (0 <= goal <= limits.PROJECT_GOAL_MAX):
        raise DomainError("out_of_range", "the funding goal is out of range", field="goal_amount",
                          minimum=0, maximum=limits.PROJECT_GOAL_MAX)
    currency = (raw.get("currency") or "EUR").upper()
    if currency not in CURRENCIES:
        raise DomainError("invalid_choice", "unknown currency", field="currency", choices=list(CURRENCIES))
    start = _check_date("campaign_start", raw.get("campaign_start"))
    end = _check_date("campaign_end", raw.get("campaign_end"))
    if start and end and end < start:
        raise DomainError("invalid_dates", "the campaign ends before it starts", field="campaign_end")
    return ProjectFields(
        title=limits.check_text("title", raw.get("title", ""), limits.PROJECT_TITLE_MAX, required=True),
        pitch=limits.check_text("pitch", raw.get("pitch", ""), limits.PROJECT_PITCH_MAX, required=True),
        story=limits.check_text("story", raw.get("story", ""), limits.PROJECT_STORY_MAX),
        category=limits.check_text("category", raw.get("category", ""), limits.PROJECT_CATEGORY_MAX),
        goal_amount=goal,
        currency=currency,
        platform=limits.check_text("platform", raw.get("platform", ""), limits.PROJECT_PLATFORM_MAX),
        campaign_start=start,
        campaign_end=end,
        link=_check_link(raw.get("link", "")),
    )


def check_can_post(actor: Actor, own_count: int, board_count: int) -> None:
    """A participant may post up to the per-person and per-board limits."""
    if not actor.is_participant:
        raise DomainError("forbidden", "only participants post projects")
    limits.check_count("projects_per_participant", own_count, limits.PROJECTS_PER_PARTICIPANT)
    limits.check_count("projects_per_board", board_count, limits.PROJECTS_PER_BOARD)


def check_can_change(actor: Actor, author_id: int | None) -> None:
    """Only the card's author, or the facilitator moderating, may edit or remove it."""
    if actor.is_facilitator:
        return
    if actor.is_participant and actor.participant_id == author_id:
        return
    raise DomainError("not_author", "only the author of this project (or the facilitator) can change it")
