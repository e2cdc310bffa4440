"""gevent mode: WebSocket frames are written whole (simple-websocket drops what a partial send left over).

simple-websocket writes each frame with `sock.send(data)` and ignores the count it returns. A
blocking OS socket sends everything, but gevent's `send` is one non-blocking write (after one wait):
a frame bigger than the socket's send buffer (a snapshot, a long replay) goes out cut short, the
rest is dropped, and the client waits forever for the end of the frame. Seen here as a `sync`
reply that never arrived. Each WebSocket's socket is wrapped so that `send` is `sendall`.
"""
from __future__ import annotations


class SendAll:
    """A socket whose `send` writes everything (`sendall`); every other attribute is the socket's own."""

    def __init__(self, sock) -> None:
        self._sock = sock

    def send(self, data, flags: int = 0) -> int:
        self._sock.sendall(data, flags)
        return len(data)

    def __getattr__(self, name):
        return getattr(self._sock, name)


def install(eio) -> None:
    """Replace the gevent driver's WebSocket app with one whose sockets send whole frames (no-op in other modes)."""
    if eio.async_mode != "gevent":
        return
    import simple_websocket

    base = eio._async["websocket"]

    class WholeFrameServer(simple_websocket.Server):
        def __init__(self, environ, **kwargs):
            super().__init__(environ, **kwargs)
            self.sock = SendAll(self.sock)  # the reader thread reads `self.sock` afresh each time

    class WholeFrameWebSocketWSGI(base):
        """engineio's gevent WebSocket app (simple-websocket), with whole-frame sends."""

        def __call__(self, environ, start_response):
            self.ws = WholeFrameServer(environ, **self.server_args)
            return self.app(self)

    eio._async = {**eio._async, "websocket": WholeFrameWebSocketWSGI}
