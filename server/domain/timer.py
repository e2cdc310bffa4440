"""The shared phase timer: pure arithmetic on server time (`now` is always a parameter)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from .errors import DomainError

IDLE = "idle"
RUNNING = "running"
PAUSED = "paused"

EXTEND_MAX_S = 60 * 60


@dataclass(frozen=True)
class Timer:
    """A countdown: running (ends_at set) or paused (remaining_ms set); duration_ms includes extensions."""

    status: str = IDLE
    ends_at: datetime | None = None
    remaining_ms: int | None = None
    duration_ms: int = 0

    def remaining(self, now: datetime) -> int | None:
        """Milliseconds left at `now` (never negative); None when no timer runs."""
        if self.status == RUNNING and self.ends_at is not None:
            return max(0, _ms(self.ends_at - now))
        if self.status == PAUSED:
            return self.remaining_ms
        return None

    def is_up(self, now: datetime) -> bool:
        """True once a started timer has reached zero."""
        left = self.remaining(now)
        return left is not None and left == 0


def _ms(delta: timedelta) -> int:
    return int(delta.total_seconds() * 1000)


def start(now: datetime, duration_s: int) -> Timer:
    """A fresh countdown of `duration_s` seconds from `now`."""
    if duration_s <= 0:
        raise DomainError("out_of_range", "a phase lasts at least one second", field="duration_s", minimum=1)
    return Timer(RUNNING, ends_at=now + timedelta(seconds=duration_s), duration_ms=duration_s * 1000)


def pause(timer: Timer, now: datetime) -> Timer:
    """Freeze the remaining time."""
    if timer.status != RUNNING:
        raise DomainError("timer_not_running", "the timer is not running")
    return Timer(PAUSED, remaining_ms=timer.remaining(now), duration_ms=timer.duration_ms)


def resume(timer: Timer, now: datetime) -> Timer:
    """Run again from the frozen remaining time."""
    if timer.status != PAUSED:
        raise DomainError("timer_not_paused", "the timer is not paused")
    return Timer(RUNNING, ends_at=now + timedelta(milliseconds=timer.remaining_ms or 0), duration_ms=timer.duration_ms)


def extend(timer: Timer, now: datetime, seconds: int) -> Timer:
    """Add time; a timer already at zero gets `seconds` counted from now, not from its old end."""
    if not 1 <= seconds <= EXTEND_MAX_S:
        raise DomainError("out_of_range", f"extend by 1 to {EXTEND_MAX_S} seconds", field="seconds",
                          minimum=1, maximum=EXTEND_MAX_S)
    added = timedelta(seconds=seconds)
    if timer.status == RUNNING and timer.ends_at is not None:
        # Overtime is forgiven: extending after zero means "give us N more minutes" from now.
        base = max(timer.ends_at, now)
        overtime_ms = _ms(base - timer.ends_at)
        return replace(timer, ends_at=base + added, duration_ms=timer.duration_ms + overtime_ms + seconds * 1000)
    if timer.status == PAUSED:
        return replace(timer, remaining_ms=(timer.remaining_ms or 0) + seconds * 1000, duration_ms=timer.duration_ms + seconds * 1000)
    raise DomainError("timer_not_running", "start a phase before extending it")
