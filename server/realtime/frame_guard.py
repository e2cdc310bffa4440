"""WebSocket frames that are not Engine.IO packets close the connection cleanly (1002), nothing else.

python-engineio (4.15) decodes every frame with `packet.Packet(encoded_packet=...)` outside any
`try` in its WebSocket loop. An empty text frame, or one whose first character is not a packet type
(`hello`, `x42[...]`), raised `ValueError` out of the WebSocket handler: eventlet then wrote an
`HTTP/1.1 500` response with a traceback (server file paths) *into the WebSocket*, the Engine.IO
socket was never closed (no `disconnect`: the person stayed "online" until the ping timeout) and its
writer task lived on.

Here every frame is looked at before engineio decodes it: a text frame must start with one of the
packet types a client may send (`0`-`6`). Anything else is answered with a close frame, status 1002
(protocol error, RFC 6455 7.4.1), and one log line; the handler then sees an ordinary end of
connection, so the usual `disconnect` runs. The same under both green servers: eventlet's WebSocket
and simple-websocket (gevent) both hand engineio a socket whose `wait()` returns the next message. Text that is not UTF-8 never gets here: the WebSocket
layer closes with 1007 itself.

Long-polling (one process without Redis allows it) has the same hole: a POST body holding a packet
that is not one (`hello`) made engineio log a traceback and answer `ok`. `polling_guard` checks POST
bodies first: a bad packet ends that Engine.IO session (its `disconnect` runs) and is answered `400`.
"""
from __future__ import annotations

import io
import logging
from urllib.parse import parse_qs

import simple_websocket

from ..protection.body_timeout import BodyTimeout

log = logging.getLogger(__name__)

PACKET_TYPES = frozenset("0123456")
PROTOCOL_ERROR = 1002
RECORD_SEPARATOR = "\x1e"  # between the packets of one long-polling payload (Engine.IO 4)


def is_packet(frame) -> bool:
    """True when a received WebSocket message may be an Engine.IO packet (binary frames always may)."""
    if isinstance(frame, str):
        return frame[:1] in PACKET_TYPES
    return True


def _close(ws, reason: str) -> None:
    """Send a 1002 close frame on the socket the handler got, whichever server made it."""
    inner = getattr(ws, "ws", None)  # engineio's simple-websocket wrapper (gevent, threading) keeps it in `.ws`
    try:
        if isinstance(inner, simple_websocket.ws.Base):
            inner.close(reason=PROTOCOL_ERROR, message=reason)  # the wrapper's own close() says 1000
        else:
            ws.close(close_data=(PROTOCOL_ERROR, reason))  # eventlet's WebSocket
    except (OSError, simple_websocket.ConnectionClosed):
        pass  # already closed by the client


class _GuardedHandler:
    """engineio's WebSocket handler with every frame checked; keeps `__self__` (backpressure reads it)."""

    def __init__(self, handler) -> None:
        self.handler = handler
        self.__self__ = getattr(handler, "__self__", None)

    def __call__(self, ws):
        wait = ws.wait

        def checked_wait():
            frame = wait()
            if frame is None or is_packet(frame):
                return frame
            sid = getattr(self.__self__, "sid", "?")
            log.warning("closed engine.io socket %s: a frame that is not an Engine.IO packet (%d chars)", sid, len(frame))
            _close(ws, "not an Engine.IO packet")
            return None  # as if the client had closed: engineio closes the socket, `disconnect` runs

        ws.wait = checked_wait
        return self.handler(ws)


def install(eio) -> None:
    """Check every incoming WebSocket frame of `eio` before engineio decodes it."""
    websocket = eio._async.get("websocket")
    if websocket is None:
        return

    class FrameGuardWebSocket(websocket):
        def __init__(self, handler, *args, **kwargs):
            super().__init__(_GuardedHandler(handler), *args, **kwargs)

    FrameGuardWebSocket.__name__ = f"FrameGuard{websocket.__name__}"
    eio._async = {**eio._async, "websocket": FrameGuardWebSocket}


def payload_is_packets(body: bytes) -> bool:
    """True when a long-polling POST body is Engine.IO 4 packets (text, or `b` + base64 for binary)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(part[:1] in PACKET_TYPES or part[:1] == "b" for part in text.split(RECORD_SEPARATOR))


def polling_guard(wsgi_app, eio, path: str = "/socket.io"):
    """Wrap the outermost WSGI app: a long-polling POST whose body is not Engine.IO packets, or does not
    arrive within the body timeout, ends its session (400)."""

    def app(environ, start_response):
        if environ.get("REQUEST_METHOD") != "POST" or not environ.get("PATH_INFO", "").startswith(path):
            return wsgi_app(environ, start_response)
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= eio.max_http_buffer_size:
            return wsgi_app(environ, start_response)  # engineio refuses it itself (400 / 413)
        try:
            body = environ["wsgi.input"].read(length)
        except BodyTimeout:
            body = None  # trickled in past the body timeout (the listener logged it): end the session too
        if body is not None and payload_is_packets(body):
            environ["wsgi.input"] = io.BytesIO(body)
            return wsgi_app(environ, start_response)
        sid = (parse_qs(environ.get("QUERY_STRING", "")).get("sid") or [None])[0]
        socket = eio.sockets.get(sid) if sid else None
        if socket is not None:
            if body is not None:
                log.warning("closed engine.io socket %s: a polling payload that is not Engine.IO packets (%d bytes)",
                            sid, len(body))
            # Not eio.disconnect(): it waits for the queue to drain, and nobody is polling it.
            socket.close(wait=False, abort=True, reason=eio.reason.TRANSPORT_ERROR)
            eio.sockets.pop(sid, None)
        start_response("400 Bad Request", [("Content-Type", "text/plain"), ("Content-Length", "19")])
        return [b"not Engine.IO data\n"]

    return app
