"""Graceful shutdown (SIGTERM): stop taking work, let the commands in flight finish, send everyone away to reconnect.

While draining, the listening socket is closed (no new connections) and a command that arrives is held without an answer:
its socket is closed moments later and the client resends it (same `op_id`) once it reconnects, to
this process after a restart or to another one. Commands already running finish and are acked
before any socket closes, so no acked command is ever lost and none is cut half-way.
"""
from __future__ import annotations

import logging
import time
from contextlib import contextmanager
from typing import Callable, Iterator

log = logging.getLogger(__name__)

_state = {"draining": False, "in_flight": 0}


def draining() -> bool:
    """True once the process started shutting down."""
    return _state["draining"]


def begin() -> None:
    """From now on: hold new commands (the caller stops accepting connections)."""
    _state["draining"] = True


def in_flight() -> int:
    """Commands and requests being served right now."""
    return _state["in_flight"]


@contextmanager
def serving(sleep: Callable[[float], None]) -> Iterator[None]:
    """Around one command or request: counted while it runs; held (never answered) when the process is draining."""
    while _state["draining"]:  # its socket closes soon; the client resends it after reconnecting
        sleep(1)
    _state["in_flight"] += 1
    try:
        yield
    finally:
        _state["in_flight"] -= 1


def wait_idle(timeout_s: float, sleep: Callable[[float], None]) -> bool:
    """Wait (cooperatively) until no command is running, at most `timeout_s`; True when idle."""
    deadline = time.monotonic() + timeout_s
    while _state["in_flight"] and time.monotonic() < deadline:
        sleep(0.02)
    return not _state["in_flight"]


def close_all(eio, cut: Callable, sleep: Callable[[float], None], flush_s: float = 2.0) -> int:
    """Close every Engine.IO socket as a lost transport, so clients reconnect on their own; how many.

    Each socket's queued packets (the last acks) go out first: its writer ends at the close marker,
    then the TCP connection is cut (`cut`), waiting at most `flush_s` for slow readers.
    """
    sockets = [sock for sock in list(eio.sockets.values()) if not sock.closed]
    for sock in sockets:
        sock.close(wait=False, abort=True, reason=eio.reason.TRANSPORT_CLOSE)
    deadline = time.monotonic() + flush_s
    # held_bytes (backpressure.Outbox) counts real packets only, not the writer's stop markers.
    while any(getattr(sock.queue, "held_bytes", 0) > 0 for sock in sockets) and time.monotonic() < deadline:
        sleep(0.02)
    for sock in sockets:
        cut(eio, sock, eio.reason.TRANSPORT_CLOSE)
    return len(sockets)
