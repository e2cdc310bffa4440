"""The WSGI servers of the two green async modes, on a listening socket made by server/network.py.

Each returns `stop_accepting()`: close the listener and take no new connection (serve.py drains after).
"""
from __future__ import annotations

import logging
from typing import Callable


def eventlet_server(listener, app, settings) -> Callable[[], None]:
    """eventlet.wsgi in a green thread, on our listener (no SO_REUSEPORT), with http/listener.py's guards."""
    import eventlet
    import eventlet.wsgi

    from .http.eventlet_listener import guarded_protocol

    # max_size: eventlet's default, 1,024 connections, is below a festival board (one green thread per
    # WebSocket); debug=False: no traceback in a 500; the protocol: header/body timeouts, half-open share.
    eventlet.spawn(eventlet.wsgi.server, listener, app, log_output=False, debug=False, max_size=settings.max_connections,
                   protocol=guarded_protocol(_guards(settings, eventlet.Timeout)))
    return listener.close


def gevent_server(listener, app, settings) -> Callable[[], None]:
    """gevent's pywsgi, WebSockets through simple-websocket (engineio's gevent driver), with http/listener.py's guards."""
    import gevent
    from gevent.pool import Pool
    from gevent.pywsgi import WSGIServer

    from .http.gevent_listener import guarded_handler

    class Handler(guarded_handler(_guards(settings, gevent.Timeout.start_new))):
        """Ends the TCP connection after a WebSocket instead of reading it as the next HTTP request.

        simple-websocket takes the socket over for the WebSocket's life; when it ends, pywsgi's
        keep-alive loop would parse the client's close frame as a request line ("Expected GET
        method") and the client would wait seconds for its close handshake.
        """

        def run_application(self):
            try:
                super().run_application()
            finally:
                if self.environ.get("HTTP_UPGRADE", "").lower() == "websocket":
                    self.close_connection = True

    # The pool: at most `max_connections` at once, as eventlet's max_size (past it, accepting pauses).
    server = WSGIServer(listener, app, spawn=Pool(settings.max_connections), handler_class=Handler, log=None,
                        error_log=logging.getLogger("gevent.pywsgi"))
    server.start()
    return server.close


def _guards(settings, start_timer):
    """The listener guards of one server, with its loop's timer."""
    from .http.listener import ListenerGuards, half_open_cap

    return ListenerGuards(settings.header_timeout_s, settings.body_timeout_s,
                          half_open_cap(settings.max_connections, settings.half_open_share), start_timer)
