"""eventlet's adapter for the listener guards (http/listener.py): an `eventlet.wsgi.HttpProtocol` subclass.

Besides the guards, server/green_servers.py starts `eventlet.wsgi.server` with `debug=False`: with
eventlet's default, any exception escaping the WSGI app was answered with a 500 whose body is the
traceback (server file paths), even inside a WebSocket.
"""
from __future__ import annotations

from .listener import ListenerGuards, address_of


def guarded_protocol(guards: ListenerGuards):
    """An `HttpProtocol` subclass applying `guards` (built with `eventlet.Timeout` as their timer)."""
    from eventlet import wsgi

    class GuardedProtocol(wsgi.HttpProtocol):
        def __init__(self, conn_state, server):
            self._guard = guards.connection(address_of(conn_state[0]))
            if guards.refuse(self._guard.address, conn_state[1]):
                return
            super().__init__(conn_state, server)

        def handle_one_request(self):
            self._guard.awaiting_headers()
            try:
                super().handle_one_request()
            finally:
                self._guard.headers_read()

        def parse_request(self):
            try:
                return super().parse_request()
            finally:
                self._guard.headers_read()

        def get_environ(self, *args, **kwargs):
            env = super().get_environ(*args, **kwargs)
            raw = env["eventlet.input"]
            bounded = self._guard.bounded_body(raw, raw.discard, self._body_timed_out)
            env["wsgi.input"] = bounded
            raw.discard = bounded.discard  # eventlet skips what the app left unread: within the deadline too
            return env

        def _body_timed_out(self) -> None:
            self.close_connection = 1

        def finish(self):
            self._guard.headers_read()
            super().finish()

    return GuardedProtocol
