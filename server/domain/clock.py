"""The server's one clock and the one way a time is written for clients and exports."""
from __future__ import annotations

from datetime import datetime, timezone


def utcnow() -> datetime:
    """Now in UTC, stored naive (the same on SQLite and PostgreSQL); the server's only clock."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def iso(moment: datetime | None) -> str | None:
    """A stored UTC time as ISO 8601 with a Z, as sent to clients and exports."""
    return None if moment is None else moment.isoformat(timespec="milliseconds") + "Z"
