"""The eventlet HTTP server: no tracebacks to clients, a header timeout, a per-address share of half-open connections.

`socketio.run()` starts `eventlet.wsgi.server` with its defaults, and two of them let a room down:

- `debug=True`: any exception escaping the WSGI app is answered with a 500 whose body is the
  traceback (server file paths), even inside a WebSocket. Here it is `debug=False`: an empty 500.
- No header timeout, and every accepted connection holds one of `max_size` green threads while it
  waits for its request line: 100 silent connections from one address took a whole
  `SNOWBALL_MAX_CONNECTIONS=100` server, `/healthz` and new sockets included.

`GuardedProtocol` gives every request `header_timeout_s` (10 s) to send its request line and headers
(the same limit applies to a keep-alive connection idle between requests), and lets one address hold
at most `half_open_share` (25 %) of `max_connections` (at least 8) connections that have not sent
their headers yet; past that, a new connection from that address gets a `503` JSON answer at once and
is closed. Connections that sent their headers (a WebSocket, a long-poll) are not counted: a whole room
behind one NAT address still connects. So silent connections from one address can take at most a
quarter of the server, each for at most 10 s. Once the headers are in, the body has
`body_timeout_s` (30 s) to arrive (`body_timeout.py`): a trickled body is answered 408 and closed.
"""
from __future__ import annotations

import json
import logging
import socket
from collections import defaultdict

log = logging.getLogger(__name__)

MIN_HALF_OPEN_PER_ADDRESS = 8


class HeaderTimeout(socket.timeout):
    """The request line and headers did not arrive within the header timeout (eventlet closes quietly)."""


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


def guarded_protocol(header_timeout_s: float, cap: int, body_timeout_s: float = 30.0):
    """An eventlet `HttpProtocol` subclass with the header and body timeouts and the per-address half-open cap."""
    import eventlet
    from eventlet import wsgi

    from .body_timeout import DeadlineInput

    half_open: dict[str, int] = defaultdict(int)

    class GuardedProtocol(wsgi.HttpProtocol):
        def __init__(self, conn_state, server):
            self._address = conn_state[0][0] if isinstance(conn_state[0], tuple) else str(conn_state[0])
            self._waiting = False
            self._timer = None
            if half_open[self._address] >= cap:
                log.warning("refused a connection from %s: %d connections of it still opening (cap %d)",
                            self._address, half_open[self._address], cap)
                try:
                    conn_state[1].sendall(refusal_bytes(cap))
                except OSError:
                    pass
                conn_state[1].close()
                return
            super().__init__(conn_state, server)

        def _start_waiting(self) -> None:
            if not self._waiting:
                self._waiting = True
                half_open[self._address] += 1

        def _stop_waiting(self) -> None:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            if self._waiting:
                self._waiting = False
                half_open[self._address] -= 1
                if half_open[self._address] <= 0:
                    del half_open[self._address]

        def handle_one_request(self):
            self._start_waiting()
            self._timer = eventlet.Timeout(header_timeout_s, HeaderTimeout("no request headers in time"))
            try:
                super().handle_one_request()
            finally:
                self._stop_waiting()

        def parse_request(self):
            try:
                return super().parse_request()
            finally:
                self._stop_waiting()  # headers read: the app's time (a WebSocket may live for hours) is not limited

        def get_environ(self, *args, **kwargs):
            env = super().get_environ(*args, **kwargs)
            bounded = DeadlineInput(env["eventlet.input"], body_timeout_s, self._body_timed_out)
            env["wsgi.input"] = bounded
            env["eventlet.input"].discard = bounded.discard  # what the app left unread is skipped within the deadline too
            return env

        def _body_timed_out(self) -> None:
            log.warning("closed a connection from %s: its request body did not arrive within %g s",
                        self._address, body_timeout_s)
            self.close_connection = 1

        def finish(self):
            self._stop_waiting()
            super().finish()

    return GuardedProtocol


def serve(app, settings, socketio) -> None:
    """Serve `app` on settings.host:port: eventlet with the guards above, or socketio.run() in other async modes."""
    if settings.async_mode != "eventlet":
        socketio.run(app, host=settings.host, port=settings.port, log_output=False)
        return
    import eventlet
    import eventlet.green.socket
    from eventlet import wsgi

    family, _, _, _, address = eventlet.green.socket.getaddrinfo(settings.host, settings.port)[0]
    listener = eventlet.listen(address, family)
    cap = half_open_cap(settings.max_connections, settings.half_open_share)
    # max_size: eventlet's default, 1,024 connections, is below a festival board (one green thread per WebSocket).
    wsgi.server(listener, app, log_output=False, debug=False, max_size=settings.max_connections,
                protocol=guarded_protocol(settings.header_timeout_s, cap, settings.body_timeout_s))
