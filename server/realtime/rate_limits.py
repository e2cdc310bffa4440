"""Rate limits per connection, with the `limits` library (memory here, Redis in scale-out)."""
from __future__ import annotations

from limits import RateLimitItem, parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from ..domain.errors import DomainError

COMMANDS_PER_CONNECTION = parse("30/second")
COMMANDS_PER_CONNECTION_MINUTE = parse("600/minute")
EPHEMERAL_PER_CONNECTION = parse("40/second")

_limiter: MovingWindowRateLimiter | None = None


def configure(storage_url: str | None) -> None:
    """Use Redis when the process is one of several, else process memory."""
    global _limiter
    _limiter = MovingWindowRateLimiter(storage_from_string(storage_url or "memory://"))


def _hit(item: RateLimitItem, key: str) -> bool:
    if _limiter is None:
        configure(None)
    return _limiter.hit(item, "snowball", key)


def check_command(sid: str) -> None:
    """Refuse a command when this connection sends too many."""
    for item in (COMMANDS_PER_CONNECTION, COMMANDS_PER_CONNECTION_MINUTE):
        if not _hit(item, f"cmd:{sid}"):
            raise DomainError("rate_limited", f"too many changes at once (limit {item}); wait a moment", limit=str(item))


def allow_ephemeral(sid: str) -> bool:
    """True when this connection may send one more ephemeral frame (extra ones are dropped)."""
    return _hit(EPHEMERAL_PER_CONNECTION, f"eph:{sid}")
