"""Board rules: title, date and language."""
from __future__ import annotations

from datetime import datetime

from . import limits
from .errors import DomainError

LANGUAGES = ("fr", "en")


def clean_title(raw: str) -> str:
    """A board title is required and at most BOARD_TITLE_MAX characters."""
    return limits.check_text("title", raw, limits.BOARD_TITLE_MAX, required=True)


def clean_language(raw: str) -> str:
    """The board's language: French or English."""
    if raw not in LANGUAGES:
        raise DomainError("invalid_choice", "language must be fr or en", field="language", choices=list(LANGUAGES))
    return raw


def clean_starts_at(raw: str | None) -> str | None:
    """An optional ISO date-time ("2026-06-07T17:00") for when the session starts."""
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw).isoformat(timespec="minutes")
    except ValueError:
        raise DomainError("invalid_date", "starts_at must be a date and time", field="starts_at") from None


def links(base_url: str, code: str, facilitator_secret: str, projector_secret: str) -> dict[str, str]:
    """The board's three links: join (anyone), facilitator and projector (their secret in the fragment, never sent)."""
    base = base_url.rstrip("/")
    return {
        "join": f"{base}/b/{code}",
        "facilitator": f"{base}/b/{code}/host#{facilitator_secret}",
        "projector": f"{base}/b/{code}/screen#{projector_secret}",
    }
