"""gevent mode: a WebSocket frame is written whole even when one non-blocking write takes only part of it."""
from __future__ import annotations

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
