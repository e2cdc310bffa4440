"""gevent mode: a WebSocket frame is written whole even when one non-blocking write takes only part of it."""
from __future__ import annotations

from types import SimpleNamespace

from server.realtime.gevent_ws import SendAll


class PartialSocket:
    """Takes at most 1,000 bytes per send, as a non-blocking socket with a full buffer does."""

    def __init__(self) -> None:
        self.wire = b""

    def send(self, data, flags=0):
        self.wire += bytes(data[:1000])
        return min(len(data), 1000)

    def sendall(self, data, flags=0):
        while data:
            data = data[self.send(data):]

    def fileno(self):
        return 7


def test_send_writes_the_whole_frame():
    raw = PartialSocket()
    frame = bytes(range(256)) * 100  # 25,600 bytes: a large replay's frame
    assert raw.send(frame) == 1000  # what simple-websocket would have kept, ignoring the count
    raw.wire = b""
    wrapped = SendAll(raw)
    assert wrapped.send(frame) == len(frame)
    assert raw.wire == frame
    assert wrapped.fileno() == 7  # everything else is the socket's own


def accepted_websocket(mode: str, offer: str | None):
    """Snowball's gevent WebSocket app run on a real TCP connection (OS threads instead of greenlets).

    Returns the handshake response the client read, the server's simple-websocket `Server` (`.ws`), the
    accepted socket and `close()`.
    """
    import socket
    import threading

    from engineio.async_drivers._websocket_wsgi import SimpleWebSocketWSGI

    from server.realtime import gevent_ws

    eio = SimpleNamespace(async_mode="gevent", _async={"websocket": SimpleWebSocketWSGI})
    gevent_ws.install(eio, mode, 1024)
    listener = socket.create_server(("127.0.0.1", 0))
    client = socket.create_connection(listener.getsockname())
    accepted, _ = listener.accept()
    listener.close()
    environ = {"SERVER_SOFTWARE": "gevent/26 Python/3", "wsgi.input": accepted.makefile("rb"),
               "HTTP_HOST": "127.0.0.1", "HTTP_UPGRADE": "websocket", "HTTP_CONNECTION": "Upgrade",
               "HTTP_SEC_WEBSOCKET_KEY": "dGhlIHNhbXBsZSBub25jZQ==", "HTTP_SEC_WEBSOCKET_VERSION": "13"}
    if offer is not None:
        environ["HTTP_SEC_WEBSOCKET_EXTENSIONS"] = offer
    servers = []
    ready = threading.Event()

    def handler(app):
        servers.append(app.ws)
        ready.set()

    eio._async["websocket"](handler, None)(environ, None)
    assert ready.wait(5)
    head = b""
    while b"\r\n\r\n" not in head:
        head += client.recv(1)

    def close() -> None:
        servers[0].connected = False  # its reader thread ends when the client's close reaches it
        for resource in (client, environ["wsgi.input"], accepted):
            resource.close()

    return SimpleNamespace(head=head.decode().lower(), ws=servers[0], accepted=accepted, close=close)


def test_the_websocket_gets_tcp_nodelay_and_whole_frame_sends():
    import socket

    connection = accepted_websocket("threshold", None)
    try:
        assert connection.head.startswith("http/1.1 101")
        assert connection.ws.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        assert connection.accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)  # one TCP socket: pywsgi's too
        assert isinstance(connection.ws.sock, SendAll)
    finally:
        connection.close()


def test_the_handshake_follows_the_compression_mode():
    offer = "permessage-deflate; client_max_window_bits"
    expected = {"threshold": "sec-websocket-extensions: permessage-deflate; client_max_window_bits=10",
                "all": "sec-websocket-extensions: permessage-deflate; client_max_window_bits=15", "off": None}
    for mode, line in expected.items():
        connection = accepted_websocket(mode, offer)
        try:
            agreed = next((h for h in connection.head.splitlines() if h.startswith("sec-websocket-extensions")), None)
            assert agreed == line, (mode, connection.head)
        finally:
            connection.close()
