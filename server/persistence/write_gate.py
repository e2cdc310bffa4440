"""Under eventlet or gevent, a write transaction runs to its end without yielding to other green threads.

Why: every write transaction claims the board's seq first (`UPDATE boards ... RETURNING`), which
locks the board's row in PostgreSQL until COMMIT. With psycopg's cooperative wait (wait_select, needed
so reads never freeze the process), each of the transaction's ~8 round trips hands the CPU to the hub,
which first runs everything else that is ready: on a 1,000-person board, the writer tasks of the last
broadcast (one per socket). Measured here (bench/fanout.py, 100 clients, 20 commands/s): transactions
sat "idle in transaction" for up to a second holding the board lock, commands queued behind it, and
the fan-out latency reached seconds while the process used under half a core.

So, under eventlet and gevent: one write transaction at a time per process, and inside it psycopg
waits for PostgreSQL without yielding (its C wait, `wait_c`: a real poll on the socket that neither
loop's monkey-patching reaches; psycopg's Python waits call `select`, which both patch). The lock is
then held for the transaction's own few milliseconds. Commands (`services.commands.execute`) go
through `run()`, which combines the waiting ones into one run (see there); other writes take the
gate directly.
Writes use their own small connection pool (`Database.write_engine`), so the writer never waits
behind readers for a connection.

Reads stay cooperative by default (`SNOWBALL_PG_READS=cooperative`): each round trip waits through
the hub, holding its pooled connection meanwhile. Measured with 500-1,000 clients connecting
(authenticate, sync) and joining (snapshot): the 30 connections of the read pool were all held by
readers waiting for the hub, and the rest timed out after 30 s (~950 QueuePool timeouts in one run at
N = 1,000). `SNOWBALL_PG_READS=blocking` makes reads wait without yielding too: no more pool timeouts
in the same run, but the process then stalls whenever PostgreSQL is slow to answer (a loaded
machine), and latency was no better there. See docs/performance.md.
SQLite is unchanged (its driver never yields). Threading mode has no gate (OS threads wait in C).
"""
from __future__ import annotations

import sys
from collections import deque
from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

T = TypeVar("T")

_gate = None     # the loop's semaphore, once installed
_local = None    # green-thread-local "inside a write" flag
_queue: deque = deque()   # (job, done) waiting for the combiner
_combining = False
_loop = None     # "eventlet" or "gevent", once installed


def _green_loop() -> str | None:
    """The green loop this process is monkey-patched for, if any."""
    if "eventlet" in sys.modules:
        from eventlet import patcher

        if patcher.is_monkey_patched("socket"):
            return "eventlet"
    if "gevent" in sys.modules:
        from gevent import monkey

        if monkey.is_module_patched("socket"):
            return "gevent"
    return None


def install(reads_block: bool = False) -> bool:
    """Route psycopg's waits through the gate (idempotent). True when active (eventlet, gevent), else False.

    `reads_block` (SNOWBALL_PG_READS=blocking): reads wait without yielding too, like writes.
    """
    global _gate, _local, _loop
    if _gate is not None:
        return True
    loop = _green_loop()
    if loop is None:
        return False
    import psycopg.waiting as waiting

    if loop == "eventlet":
        from eventlet.corolocal import local
        from eventlet.semaphore import Semaphore

        blocking = getattr(waiting, "wait_c", None) or waiting.wait_poll
    else:
        from gevent.local import local
        from gevent.lock import Semaphore

        # gevent patches select.poll too, so only the C wait blocks (psycopg[binary] has it).
        blocking = getattr(waiting, "wait_c", None)
        if blocking is None:
            return False
    cooperative = waiting.wait
    _local = local()

    def wait(gen, fileno, interval=0.0, timeout=None):
        if reads_block or getattr(_local, "writing", False) or getattr(_local, "no_yield", False):
            return blocking(gen, fileno, interval, timeout)
        return cooperative(gen, fileno, interval, timeout)

    waiting.wait = wait
    _gate = Semaphore(1)
    _loop = loop
    return True


@contextmanager
def exclusive() -> Iterator[None]:
    """Around one write transaction: alone in this process, and without yielding to the hub."""
    if _gate is None or getattr(_local, "writing", False):  # (re-entrant: a write inside a write)
        yield
        return
    with _gate:
        _local.writing = True
        try:
            yield
        finally:
            _local.writing = False


@contextmanager
def reads_without_yield() -> Iterator[None]:
    """Around a short read that many wait for (a newcomer's snapshot): its round trips do not yield to the hub.

    A cooperative read of ~25 queries waits for ~25 hub cycles, each the fan-out of whatever is
    ready: at 1,000 sockets a newcomer's snapshot took 0.3-0.8 s of waiting for ~30 ms of work.
    """
    if _gate is None or getattr(_local, "no_yield", False):
        yield
        return
    _local.no_yield = True
    try:
        yield
    finally:
        _local.no_yield = False


def run(job: Callable[[], T]) -> T:
    """Run `job` (one whole write transaction) alone in this process, combined with the ones waiting.

    Handing the gate from one green thread to the next costs a full hub cycle each time, and on a
    busy board a hub cycle is the fan-out of the last broadcasts: writes queued behind the gate then
    complete one per cycle, fewer than arrive. Instead, whoever finds no writer at work runs its own
    job and every job queued meanwhile, back to back (none of them yields), then wakes their owners.
    """
    if _gate is None or getattr(_local, "writing", False):
        return job()
    done = _new_done()
    _queue.append((job, done))
    if not _combining:
        _drain()
    return done.wait()


def _new_done():
    """A one-shot event for one queued job's outcome, with eventlet's interface (send, send_exception, wait)."""
    if _loop == "eventlet":
        from eventlet.event import Event

        return Event()
    return _GeventDone()


class _GeventDone:
    """eventlet's one-shot Event interface over gevent's AsyncResult."""

    def __init__(self) -> None:
        from gevent.event import AsyncResult

        self._result = AsyncResult()

    def send(self, value) -> None:
        self._result.set(value)

    def send_exception(self, exc: BaseException) -> None:
        self._result.set_exception(exc)

    def wait(self):
        return self._result.get()


def _drain() -> None:
    """Run every queued job back to back (this green thread is the combiner until the queue is empty)."""
    global _combining
    _combining = True
    try:
        with _gate:
            while _queue:
                queued, event = _queue.popleft()
                _local.writing = True
                try:
                    event.send(queued())
                except Exception as exc:  # noqa: BLE001 - handed to the job's owner
                    event.send_exception(exc)
                finally:
                    _local.writing = False
    finally:
        _combining = False
        if _queue:  # the combiner was killed mid-way: another green thread finishes the queue
            if _loop == "eventlet":
                import eventlet

                eventlet.spawn(_drain)
            else:
                import gevent

                gevent.spawn(_drain)
