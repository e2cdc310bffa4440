"""gevent's adapter for the listener guards (http/listener.py): a `gevent.pywsgi.WSGIHandler` subclass.

pywsgi makes one handler per accepted connection and calls `handle()`, which loops on
`handle_one_request()`: `read_requestline()` then `read_request()` (the headers) read `rfile`, then
`get_environ()` builds the request's `Input`, the app runs, and `wsgi_input._discard()` skips what it
left unread. The guards hook those points. A header timeout while the request line is read is a
socket error pywsgi ends the connection on quietly; one while the headers are read reaches
`_handle_client_error()`, which answers 400 and prints a traceback, so it is turned into a quiet close.
"""
from __future__ import annotations

from .listener import HeaderTimeout, ListenerGuards, address_of


def guarded_handler(guards: ListenerGuards):
    """A `WSGIHandler` subclass applying `guards` (built with `gevent.Timeout.start_new` as their timer)."""
    from gevent.pywsgi import WSGIHandler

    class GuardedHandler(WSGIHandler):
        def handle(self):
            self._guard = guards.connection(address_of(self.client_address))
            if guards.refuse(self._guard.address, self.socket):
                self.rfile.close()
                return
            try:
                super().handle()
            finally:
                self._guard.headers_read()

        def handle_one_request(self):
            self._guard.awaiting_headers()
            try:
                return super().handle_one_request()
            finally:
                self._guard.headers_read()

        def read_request(self, raw_requestline):
            try:
                return super().read_request(raw_requestline)
            finally:
                self._guard.headers_read()

        def _handle_client_error(self, ex):
            if isinstance(ex, HeaderTimeout):
                return None  # end the connection, nothing sent (as when the request line times out)
            return super()._handle_client_error(ex)

        def get_environ(self):
            env = super().get_environ()
            if env["wsgi.input"] is self.wsgi_input:  # not a WebSocket upgrade (that gets the raw `rfile`)
                bounded = self._guard.bounded_body(self.wsgi_input, self.wsgi_input._discard, self._body_timed_out)
                bounded._discard = bounded.discard  # pywsgi skips what the app left unread: within the deadline too
                self.wsgi_input = env["wsgi.input"] = bounded
            return env

        def _body_timed_out(self) -> None:
            self.close_connection = True

    return GuardedHandler
