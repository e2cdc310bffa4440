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
connection, so the usual `disconnect` runs. Text that is not UTF-8 never gets here: the WebSocket
layer closes with 1007 itself.
"""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)

PACKET_TYPES = frozenset("0123456")
PROTOCOL_ERROR = 1002


def is_packet(frame) -> bool:
    """True when a received WebSocket message may be an Engine.IO packet (binary frames always may)."""
    if isinstance(frame, str):
        return frame[:1] in PACKET_TYPES
    return True


def _close(ws, reason: str) -> None:
    try:
        ws.close(close_data=(PROTOCOL_ERROR, reason))  # eventlet
    except TypeError:
        ws.close(reason=PROTOCOL_ERROR, message=reason)  # simple-websocket (threading, gevent)
    except OSError:
        pass


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
