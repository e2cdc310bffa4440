"""Rate limits with the `limits` library: per connection and per client address.

Storage: the per-address limits live in process memory for one process and in Redis (`REDIS_URL`) in
scale-out, so every process counts against the same budget (moving windows). The per-connection
limits always live in process memory (a socket is served by one process, so nothing is shared) with
the sliding-window-counter strategy: O(1) per hit, where a moving window keeps one entry per hit and
every command and drag frame of a 1,000-person board passes through it. Every refusal is a `rate_limited` error naming
the limit (`params.limit`, e.g. "30 per 1 minute", `params.scope`, e.g. "failed_lookups_per_address")
and when to try again (`params.retry_after`, seconds); over HTTP it is a 429 with `Retry-After`.

Figures (docs/reliability.md explains them):
- A whole room shares one public IP, so the per-address limits let 150 people load the join page,
  join and connect within one minute, twice over.
- Join-code guessing: only lookups that fail (unknown board code, unknown personal code) count,
  30 per minute and 300 per hour per address. Once spent, every code lookup from that address is
  refused, right or wrong, so a refusal tells nothing about the code.
"""
from __future__ import annotations

import math
import threading
import time
from contextlib import contextmanager
from typing import Iterator

from limits import RateLimitItem, parse, parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter, RateLimiter, SlidingWindowCounterRateLimiter

from ..domain.errors import DomainError
from . import outages
from .rate_limit_storage import SweepingMemoryStorage

# -- per connection (one socket) -------------------------------------------------------------------
COMMANDS_PER_CONNECTION = parse("30/second")
COMMANDS_PER_CONNECTION_MINUTE = parse("600/minute")
# `sync` may build a whole snapshot: a connection gets a few a second (a client syncs on connect and on a gap).
DEFAULT_SYNCS = "5/second;60/minute"
SYNCS_PER_CONNECTION = parse_many(DEFAULT_SYNCS)
EPHEMERAL_PER_CONNECTION = parse("40/second")

# -- per client address ---------------------------------------------------------------------------
PER_ADDRESS: dict[str, list[RateLimitItem]] = {
    "connects": parse_many("600/minute"),            # a room of 150, each reconnecting four times a minute
    "lookups": parse_many("600/minute"),             # GET /api/boards/<code>, the join QR code
    "joins": parse_many("300/minute;3000/hour"),     # a room of 150 joining within a minute, twice
    "rejoins": parse_many("60/minute;600/hour"),
    "board_creates": parse_many("20/minute;200/hour"),
    "downloads": parse_many("300/minute"),           # every booklet of a room at the end of the session
}
DEFAULT_FAILED_LOOKUPS = "30/minute;300/hour"
FAILED_LOOKUPS_PER_ADDRESS = parse_many(DEFAULT_FAILED_LOOKUPS)
# The errors that mean "this guess was wrong".
GUESS_FAILURES = ("board_not_found", "rejoin_code_unknown")

# HTTP endpoint -> its per-address budget. Any endpoint with a board `code` in its path (pages
# excepted: they answer every code alike) also spends the failed-lookup budget when the code is wrong.
HTTP_ENDPOINTS = {
    "api.create_board": "board_creates",
    "downloads.import_board": "board_creates",
    "api.board_info": "lookups",
    "qr.join_qr": "lookups",
    "api.join": "joins",
    "api.rejoin": "rejoins",
    "downloads.download": "downloads",
}

# Redis connections one process's per-address limiter may hold; more callers wait for one (briefly)
# instead of failing with "Too many connections" as redis-py's default pool does past 100.
REDIS_POOL_SIZE = 16
REDIS_POOL_WAIT_S = 5

_limiter: MovingWindowRateLimiter | None = None          # per address: shared in scale-out
_local: SlidingWindowCounterRateLimiter | None = None    # per connection: this process only
_in_flight: dict[str, int] = {}  # address -> code lookups in progress on this process
# Guards `_in_flight`; lookups waiting for a slot wait on it (green under eventlet's monkey patching).
_slots = threading.Condition()
# How long a code lookup waits for a slot before it is answered `rate_limited` (retry_after 1).
GUESS_SLOT_WAIT_S = 30
_exempt: frozenset[str] = frozenset()
_trusted_proxies = 0


def configure(storage_url: str | None, trusted_proxies: int = 0, exempt: frozenset[str] = frozenset(),
              failed_lookups: str = DEFAULT_FAILED_LOOKUPS, syncs: str = DEFAULT_SYNCS) -> None:
    """Fresh, empty limiters: per address in Redis when `storage_url` is set (scale-out), else in memory.

    `trusted_proxies`: how many reverse proxies in front append to `X-Forwarded-For` (0: the socket's
    peer is the client). `exempt`: addresses spared the per-address limits (load benchmarks only).
    `failed_lookups`, `syncs`: the wrong-code and per-connection sync limits (`limits` notation;
    browser tests shorten them to see a refusal end within seconds). All come from `Settings`.
    """
    global _limiter, _local, _exempt, _trusted_proxies, FAILED_LOOKUPS_PER_ADDRESS, SYNCS_PER_CONNECTION
    FAILED_LOOKUPS_PER_ADDRESS = parse_many(failed_lookups)
    SYNCS_PER_CONNECTION = parse_many(syncs)
    # limits' memory storage with a 1 s expiry sweep instead of 10 ms (rate_limit_storage.py).
    _local = SlidingWindowCounterRateLimiter(SweepingMemoryStorage())
    _limiter = MovingWindowRateLimiter(_shared_storage(storage_url) if storage_url else SweepingMemoryStorage())
    _exempt = frozenset(exempt)
    _trusted_proxies = trusted_proxies


def _shared_storage(url: str):
    """limits' Redis storage on a bounded pool that waits for a free connection rather than failing."""
    import redis

    pool = redis.BlockingConnectionPool.from_url(url, max_connections=REDIS_POOL_SIZE, timeout=REDIS_POOL_WAIT_S)
    return storage_from_string(url, connection_pool=pool)


def _get() -> MovingWindowRateLimiter:
    if _limiter is None:
        configure(None)
    return _limiter


def _get_local() -> SlidingWindowCounterRateLimiter:
    if _local is None:
        configure(None)
    return _local


def _refuse(item: RateLimitItem, scope: str, key: str, message: str, limiter: RateLimiter | None = None) -> DomainError:
    reset = (limiter or _get()).get_window_stats(item, "snowball", key).reset_time
    retry_after = max(1, math.ceil(reset - time.time()))
    return DomainError("rate_limited", message, limit=str(item), scope=scope, retry_after=retry_after)


def _hit_all(items: list[RateLimitItem], scope: str, key: str, message: str, limiter: RateLimiter | None = None) -> None:
    """Count one hit against each item in turn (shortest window first), or refuse at the first one spent.

    `hit` checks and counts in one step; a separate `test` first would let green threads that yield
    inside the storage all pass the test before any of them counts.
    """
    limiter = limiter or _get()
    for item in items:
        if not limiter.hit(item, "snowball", key):
            raise _refuse(item, scope, key, message.format(limit=item), limiter)


# -- per connection ----------------------------------------------------------------------------------
def check_command(sid: str) -> None:
    """Refuse a command (or request) when this connection sends too many."""
    _hit_all([COMMANDS_PER_CONNECTION, COMMANDS_PER_CONNECTION_MINUTE], "commands_per_connection", f"cmd:{sid}",
             "too many changes at once (limit {limit}); wait a moment", _get_local())


def check_sync(sid: str) -> None:
    """Refuse a `sync` when this connection asks for too many."""
    _hit_all(SYNCS_PER_CONNECTION, "syncs_per_connection", f"sync:{sid}", "too many resyncs (limit {limit}); wait a moment",
             _get_local())


def allow_ephemeral(sid: str) -> bool:
    """True when this connection may send one more ephemeral frame (extra ones are dropped)."""
    return _get_local().hit(EPHEMERAL_PER_CONNECTION, "snowball", f"eph:{sid}")


# -- per client address --------------------------------------------------------------------------------
def client_address(environ: dict) -> str:
    """The client's address: the TCP peer, or the address `SNOWBALL_TRUSTED_PROXIES` proxies vouch for."""
    peer = environ.get("REMOTE_ADDR") or ""
    if _trusted_proxies > 0:
        forwarded = [part.strip() for part in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= _trusted_proxies:
            return forwarded[-_trusted_proxies]
    return peer


def check_address(kind: str, address: str) -> None:
    """Count one `kind` action (connects, joins, ...) from this address, or refuse it."""
    if address in _exempt:
        return
    _hit_all(PER_ADDRESS[kind], f"{kind}_per_address", f"{kind}:{address}",
             f"too many requests from your network ({kind}: limit {{limit}}); wait a moment")


def _budget_left(address: str) -> tuple[int, RateLimitItem]:
    """Wrong guesses this address may still make (the tightest window), and that window."""
    left = [(_get().get_window_stats(item, "snowball", f"miss:{address}").remaining, item)
            for item in FAILED_LOOKUPS_PER_ADDRESS]
    return min(left, key=lambda pair: pair[0])


def _reserve_guess(address: str) -> None:
    """Refuse a code lookup from an address that spent its wrong-code budget; else hold one lookup slot.

    Only lookups that failed count against the budget. So that a burst of concurrent guesses cannot
    overshoot it (a guess is known wrong only once the database answered), at most as many lookups
    as the budget has left run at once per address; the others *wait* for a slot (they are not
    refused): a whole room on one address reconnecting together gets in, 30 at a time.
    """
    deadline = time.monotonic() + GUESS_SLOT_WAIT_S
    with _slots:
        while True:
            left, item = _budget_left(address)
            if left <= 0:
                raise _refuse(item, "failed_lookups_per_address", f"miss:{address}",
                              f"too many wrong codes from your network (limit {item}); wait before trying again")
            if _in_flight.get(address, 0) < left:
                _in_flight[address] = _in_flight.get(address, 0) + 1
                return
            wait = deadline - time.monotonic()
            if wait <= 0:  # the server is too slow to answer `left` lookups in GUESS_SLOT_WAIT_S: try again soon
                raise DomainError("rate_limited", "too many code lookups at once from your network; trying again shortly",
                                  limit=str(item), scope="failed_lookups_per_address", retry_after=1)
            _slots.wait(wait)


def _release_guess(address: str) -> None:
    with _slots:
        left = _in_flight.get(address, 1) - 1
        if left > 0:
            _in_flight[address] = left
        else:
            _in_flight.pop(address, None)
        _slots.notify_all()


def check_guess_budget(address: str) -> None:
    """Refuse any code lookup from an address that spent its wrong-code budget."""
    if address in _exempt:
        return
    _reserve_guess(address)
    _release_guess(address)


def record_failed_lookup(address: str) -> None:
    """Count one wrong code from this address (not while Redis, in scale-out, is away: lookups are refused then)."""
    if address in _exempt:
        return
    try:
        for item in FAILED_LOOKUPS_PER_ADDRESS:
            _get().hit(item, "snowball", f"miss:{address}")
    except Exception as exc:
        if outages.dependency_of(exc) != outages.REDIS:
            raise
        outages.failed(outages.REDIS, exc)


@contextmanager
def code_lookup(address: str) -> Iterator[None]:
    """Guard a lookup by code: refused once the address guessed wrong too often; a wrong guess counts."""
    if address in _exempt:
        yield
        return
    _reserve_guess(address)
    try:
        yield
    except DomainError as exc:
        if exc.code in GUESS_FAILURES:
            record_failed_lookup(address)
        raise
    finally:
        _release_guess(address)


def install_http(app) -> None:
    """Apply the per-address limits and the failed-lookup budget to the app's HTTP endpoints."""
    from flask import g, jsonify, request

    def refused(exc: DomainError):
        response = jsonify(ok=False, error=exc.as_dict())
        response.status_code = 503 if exc.code == "unavailable" else 429
        response.headers["Retry-After"] = str(exc.params.get("retry_after", 1))
        return response

    @app.before_request
    def _limit_request():
        endpoint = request.endpoint or ""
        address = client_address(request.environ)
        guarded = ("code" in (request.view_args or {}) and not endpoint.startswith("pages.")
                   and address not in _exempt)
        try:
            if (endpoint in HTTP_ENDPOINTS or guarded) and outages.is_down(outages.REDIS):
                raise outages.unavailable_error(outages.REDIS)  # the shared budgets live there
            if endpoint in HTTP_ENDPOINTS:
                check_address(HTTP_ENDPOINTS[endpoint], address)
            if guarded:
                _reserve_guess(address)
                g.snowball_code_lookup = address
        except DomainError as exc:
            return refused(exc)
        except Exception as exc:
            if outages.dependency_of(exc) != outages.REDIS:
                raise
            outages.failed(outages.REDIS, exc)
            return refused(outages.unavailable_error(outages.REDIS))
        return None

    @app.after_request
    def _count_wrong_codes(response):
        address = g.get("snowball_code_lookup")
        if address is not None and response.status_code in (400, 404):
            body = response.get_json(silent=True) if response.is_json else None
            code = ((body or {}).get("error") or {}).get("code") if isinstance(body, dict) else None
            if code in GUESS_FAILURES or (code is None and response.status_code == 404):
                record_failed_lookup(address)
        return response

    @app.teardown_request
    def _end_lookup(_exc=None):
        address = g.pop("snowball_code_lookup", None)
        if address is not None:
            _release_guess(address)
