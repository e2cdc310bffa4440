"""gevent mode: simple-websocket's server with whole-frame sends, TCP_NODELAY and Snowball's compression policy.

Whole frames: simple-websocket writes each frame with `sock.send(data)` and ignores the count it
returns. A blocking OS socket sends everything, but gevent's `send` is one non-blocking write (after
one wait): a frame bigger than the socket's send buffer (a snapshot, a long replay) goes out cut
short, the rest is dropped, and the client waits forever for the end of the frame. Seen here as a
`sync` reply that never arrived. Each WebSocket's socket is wrapped so that `send` is `sendall`.

Policy (`realtime/ws_policy.py`, as under eventlet): TCP_NODELAY on the WebSocket's TCP socket, and
`SNOWBALL_WS_COMPRESSION`. simple-websocket always accepts a client's permessage-deflate offer with
wsproto's own extension (every frame deflated, a compressor kept per connection): that is "all" here;
"threshold" accepts it with `ws_policy.ThresholdDeflate`, "off" accepts no extension at all.
"""
from __future__ import annotations

from wsproto.events import AcceptConnection, Request
from wsproto.extensions import Extension, PerMessageDeflate
from wsproto.utilities import LocalProtocolError

from . import ws_policy


class SendAll:
    """A socket whose `send` writes everything (`sendall`); every other attribute is the socket's own."""

    def __init__(self, sock) -> None:
        self._sock = sock

    def send(self, data, flags: int = 0) -> int:
        self._sock.sendall(data, flags)
        return len(data)

    def __getattr__(self, name):
        return getattr(self._sock, name)


def extensions(mode: str, threshold: int) -> list[Extension]:
    """The WebSocket extensions one connection may agree to under compression `mode`."""
    if mode == "off":
        return []
    if mode == "all":
        return [PerMessageDeflate()]
    return [ws_policy.ThresholdDeflate(threshold)]


def install(eio, mode: str, threshold: int) -> None:
    """Give the gevent driver Snowball's WebSocket app (whole frames, NODELAY, compression `mode`); no-op in other modes."""
    if eio.async_mode != "gevent":
        return
    import simple_websocket

    base = eio._async["websocket"]

    class PolicyServer(simple_websocket.Server):
        """simple-websocket's server; the handshake agrees to Snowball's extensions instead of its own."""

        _handshaking = False

        def handshake(self):
            self.sock = SendAll(self.sock)  # before any send, and before the reader thread starts
            ws_policy.set_nodelay(self.sock)  # a dup of pywsgi's socket: the option is the one TCP socket's
            self._handshaking = True
            try:
                super().handshake()
            finally:
                self._handshaking = False

        def _handle_events(self):
            if not self._handshaking:
                return super()._handle_events()
            # The handshake holds only the client's Request: accept it as simple-websocket does, with our extensions.
            out_data = b""
            for event in self.ws.events():
                if isinstance(event, Request):
                    self.subprotocol = self.choose_subprotocol(event)
                    try:
                        out_data += self.ws.send(AcceptConnection(subprotocol=self.subprotocol,
                                                                  extensions=extensions(mode, threshold)))
                    except LocalProtocolError:
                        return False  # as simple-websocket: not connected
            if out_data:
                self.sock.send(out_data)
            return True

    class PolicyWebSocketWSGI(base):
        """engineio's gevent WebSocket app (simple-websocket), with Snowball's server."""

        def __call__(self, environ, start_response):
            self.ws = PolicyServer(environ, **self.server_args)
            return self.app(self)

    eio._async = {**eio._async, "websocket": PolicyWebSocketWSGI}
