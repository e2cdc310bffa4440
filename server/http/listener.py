"""The HTTP listener's guards, once for both green servers: a header timeout, a body timeout, a per-address share of half-open connections.

Applied by server/green_servers.py (what `snowball serve` and wsgi.py run) through a thin adapter per
server: `eventlet_listener.py` (an `eventlet.wsgi.HttpProtocol`) and `gevent_listener.py` (a
`gevent.pywsgi.WSGIHandler`). The rules, the answers and the log lines live here; an adapter only
calls them at its server's points (a connection accepted, a request's headers awaited and read, its
body wrapped) and passes its loop's timer (`eventlet.Timeout` or `gevent.Timeout.start_new`).

Without them, every accepted connection held one green thread while it waited for its request line,
with no limit: 100 silent connections from one address took a whole `SNOWBALL_MAX_CONNECTIONS=100`
server, `/healthz` and new sockets included.

- A request has `header_timeout_s` (10 s) to send its request line and headers (the same limit applies
  to a keep-alive connection idle between requests); past it the connection is closed, nothing sent.
- One address may hold at most `half_open_share` (25 %) of `max_connections` (at least 8) connections
  that have not sent their headers yet; past that, a new connection from that address gets a `503`
  JSON answer at once and is closed. Connections that sent their headers (a WebSocket, a long-poll)
  are not counted: a whole room behind one NAT address still connects. So silent connections from one
  address can take at most a quarter of the server, each for at most 10 s.
- Once the headers are in, the body has `body_timeout_s` (30 s) to arrive (`body_timeout.py`): a
  trickled body is answered 408 (the API) or 400 (long-polling) and the connection closed.
"""
from __future__ import annotations

import json
import logging
import socket
from collections import defaultdict
from typing import Any, Callable

from ..protection.body_timeout import DeadlineInput

log = logging.getLogger(__name__)

MIN_HALF_OPEN_PER_ADDRESS = 8

# start_timer(seconds, exception): a started timer that raises `exception` in the current green thread
# when it expires, has `cancel()`, and works as a context manager (eventlet.Timeout, gevent.Timeout).
StartTimer = Callable[[float, BaseException], Any]


class HeaderTimeout(socket.timeout):
    """The request line and headers did not arrive within the header timeout (the connection closes quietly)."""


def half_open_cap(max_connections: int, share: float) -> int:
    """How many header-less connections one address may hold."""
    return max(MIN_HALF_OPEN_PER_ADDRESS, int(max_connections * share))


def refusal_bytes(cap: int) -> bytes:
    """The 503 a connection over its address's half-open share gets (then the connection is closed)."""
    body = json.dumps({"ok": False, "error": {
        "code": "unavailable", "message": "too many connections from your network are still opening; try again shortly",
        "params": {"scope": "half_open_per_address", "limit": cap, "retry_after": 1}}}).encode()
    return (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
            b"Connection: close\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)


def address_of(peer) -> str:
    """The client's address from a server's peer value (an (ip, port) tuple, or a Unix socket's name)."""
    return peer[0] if isinstance(peer, tuple) else str(peer)


class ListenerGuards:
    """One server's guards: the per-address ledger of connections still sending their headers, and the timeouts."""

    def __init__(self, header_timeout_s: float, body_timeout_s: float, cap: int, start_timer: StartTimer) -> None:
        self.header_timeout_s = header_timeout_s
        self.body_timeout_s = body_timeout_s
        self.cap = cap
        self.start_timer = start_timer
        self._half_open: dict[str, int] = defaultdict(int)

    def refuse(self, address: str, sock) -> bool:
        """True (after answering 503 and closing `sock`) when `address` already holds its share of half-open connections."""
        if self._half_open[address] < self.cap:
            return False
        log.warning("refused a connection from %s: %d connections of it still opening (cap %d)",
                    address, self._half_open[address], self.cap)
        try:
            sock.sendall(refusal_bytes(self.cap))
        except OSError:
            pass
        sock.close()
        return True

    def connection(self, address: str) -> "GuardedConnection":
        """The guard state of one accepted connection from `address`."""
        return GuardedConnection(self, address)

    def _count(self, address: str, step: int) -> None:
        self._half_open[address] += step
        if self._half_open[address] <= 0:
            del self._half_open[address]


class GuardedConnection:
    """One connection: counted and timed while it owes its headers, its body bounded once they are in."""

    def __init__(self, guards: ListenerGuards, address: str) -> None:
        self.guards = guards
        self.address = address
        self._waiting = False
        self._timer = None

    def awaiting_headers(self) -> None:
        """A request is due: count the connection as half-open and start the header timer."""
        if not self._waiting:
            self._waiting = True
            self.guards._count(self.address, 1)
        if self._timer is None:
            self._timer = self.guards.start_timer(self.guards.header_timeout_s, HeaderTimeout("no request headers in time"))

    def headers_read(self) -> None:
        """The headers are in (or the connection ended): the app's time (a WebSocket may live for hours) is not limited."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._waiting:
            self._waiting = False
            self.guards._count(self.address, -1)

    def bounded_body(self, inner, discard: Callable[..., Any], on_timeout: Callable[[], None]) -> DeadlineInput:
        """`inner` (the request's input) whose reads, and `discard` of what the app left, end at the body deadline."""

        def timed_out() -> None:
            log.warning("closed a connection from %s: its request body did not arrive within %g s",
                        self.address, self.guards.body_timeout_s)
            on_timeout()

        return DeadlineInput(inner, self.guards.body_timeout_s, timed_out, self.guards.start_timer, discard)
