"""Which dependency is away right now (Redis, the database): one log line per outage, one `unavailable` error.

Before this, a Redis outage in scale-out answered newcomers with Flask's HTML `500` page, refused
sockets with "Connection rejected by server", answered `sync` with `server_error` and logged a
traceback per request (246 and 270 in two processes for a 5 s outage). Now:

- the code that talks to a dependency reports a failure with `failed(dependency, exc)`; the first one
  of an outage logs one WARNING line, later ones only count (a summary line when it ends);
- callers answer `unavailable_error(dependency)`: HTTP `503` with `Retry-After`, a refused socket
  connect or an error ack, all with `params.retry_after`, which the browser client waits before trying again;
- Redis (scale-out): `watch_redis` probes it every second while it is away and calls the `on_redis_back`
  hooks once it answers again and the message queue is subscribed again: nothing needs a restart.
  The database is not probed: its outage ends at the next query that works.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Callable

from ..domain.errors import DomainError

log = logging.getLogger(__name__)

REDIS, DATABASE = "redis", "database"
RETRY_AFTER_S = 2
PROBE_INTERVAL_S = 1.0


@dataclass
class Outage:
    """One dependency away: since when, and how many failures it caused."""

    since: float = field(default_factory=time.monotonic)
    failures: int = 0


_down: dict[str, Outage] = {}
_on_down: dict[str, list[Callable[[], None]]] = {REDIS: [], DATABASE: []}
_on_back: dict[str, list[Callable[[], None]]] = {REDIS: [], DATABASE: []}


def dependency_of(exc: BaseException) -> str | None:
    """REDIS or DATABASE when `exc` means that dependency cannot be reached, else None (a real bug)."""
    try:
        import redis.exceptions as redis_errors

        if isinstance(exc, (redis_errors.ConnectionError, redis_errors.TimeoutError)):
            return REDIS
    except ImportError:  # pragma: no cover - redis is a dependency
        pass
    from limits.errors import StorageError
    from sqlalchemy import exc as sa_errors

    if isinstance(exc, StorageError):  # limits wraps its storage's errors when asked to
        return REDIS
    if isinstance(exc, (sa_errors.OperationalError, sa_errors.InterfaceError, sa_errors.DisconnectionError)):
        return DATABASE
    if isinstance(exc, sa_errors.TimeoutError):  # the connection pool waited in vain
        return DATABASE
    return None


def is_down(dependency: str) -> bool:
    """True while `dependency` is known to be away."""
    return dependency in _down


def failed(dependency: str, exc: BaseException) -> None:
    """Count one failure caused by `dependency`; the first of an outage logs one line and runs the on-down hooks."""
    outage = _down.get(dependency)
    if outage is not None:
        outage.failures += 1
        return
    _down[dependency] = Outage(failures=1)
    log.warning("%s unreachable (%s: %s); answering 'unavailable' until it is back", dependency,
                exc.__class__.__name__, str(exc)[:160])
    for hook in _on_down[dependency]:
        _safely(hook)


def recovered(dependency: str) -> None:
    """`dependency` answers again: one summary line, then the on-back hooks."""
    outage = _down.pop(dependency, None)
    if outage is None:
        return
    log.warning("%s back after %.1f s (%d failed calls meanwhile)", dependency,
                time.monotonic() - outage.since, outage.failures)
    for hook in _on_back[dependency]:
        _safely(hook)


def unavailable_error(dependency: str) -> DomainError:
    """The error a request gets while `dependency` is away (retry after RETRY_AFTER_S)."""
    return DomainError("unavailable", "the server is missing a service for a moment; trying again shortly",
                       dependency=dependency, retry_after=RETRY_AFTER_S)


def on_down(dependency: str, hook: Callable[[], None]) -> None:
    """Run `hook` when an outage of `dependency` begins."""
    _on_down[dependency].append(hook)


def on_back(dependency: str, hook: Callable[[], None]) -> None:
    """Run `hook` when `dependency` is back."""
    _on_back[dependency].append(hook)


def reset() -> None:
    """Forget every outage and hook (a new app in the same process: tests)."""
    _down.clear()
    for hooks in (*_on_down.values(), *_on_back.values()):
        hooks.clear()


def watch_redis(url: str, socketio, ready: Callable[[], bool] = lambda: True) -> None:
    """While Redis is away, ping it every second; once it answers and `ready()` (the queue subscribed), it is back."""
    import redis

    client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)

    def probe_until_back() -> None:
        while is_down(REDIS):
            socketio.sleep(PROBE_INTERVAL_S)
            try:
                client.ping()
            except Exception as exc:  # noqa: BLE001 - still away
                failed(REDIS, exc)
                continue
            if ready():
                recovered(REDIS)

    on_down(REDIS, lambda: socketio.start_background_task(probe_until_back))


def _safely(hook: Callable[[], None]) -> None:
    try:
        hook()
    except Exception as exc:  # noqa: BLE001 - a hook must not turn one failure into another
        log.warning("outage hook %s failed: %s: %s", getattr(hook, "__name__", hook), exc.__class__.__name__, exc)
