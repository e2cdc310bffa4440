"""A bare Engine.IO 4 / Socket.IO 5 client over one WebSocket, frame by frame.

The python-socketio client only sends well-formed packets; hostile-input, slow-reader and
refused-connection tests need to send anything (invalid UTF-8, oversized frames, events on a
namespace that was refused) and to stop reading at will. Protocol:
https://socket.io/docs/v4/socket-io-protocol/ (packet `4` + type: 0 CONNECT, 2 EVENT, 3 ACK,
4 CONNECT_ERROR; Engine.IO `2` ping, `3` pong).
"""
from __future__ import annotations

import json
import socket
import time
from urllib.parse import urlsplit

import websocket


class RawClosed(Exception):
    """The server closed the WebSocket (or the TCP connection)."""


class RawSocket:
    """One WebSocket to a Snowball server, speaking the Socket.IO wire format by hand."""

    def __init__(self, base_url: str, *, rcvbuf: int | None = None, timeout: float = 10.0) -> None:
        parts = urlsplit(base_url)
        self.url = f"ws://{parts.hostname}:{parts.port}/socket.io/?EIO=4&transport=websocket"
        sockopt = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
        if rcvbuf is not None:
            # A small receive buffer makes a reader that stops reading push back on the server fast.
            sockopt.append((socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf))
        self.ws = websocket.create_connection(self.url, timeout=timeout, sockopt=sockopt,
                                              skip_utf8_validation=True, enable_multithread=True)
        opening = self._recv_text()
        if not opening.startswith("0"):
            raise AssertionError(f"expected an Engine.IO open packet, got {opening[:80]!r}")
        self.handshake = json.loads(opening[1:])
        self.events: list[tuple[str, object]] = []  # (name, data) of every server event received
        self._next_ack = 0
        self.acks: dict[int, object] = {}

    # -- frames ---------------------------------------------------------------------------------
    def _recv_text(self) -> str:
        try:
            opcode, data = self.ws.recv_data()
        except (websocket.WebSocketConnectionClosedException, ConnectionError, OSError) as error:
            raise RawClosed(str(error)) from error
        if opcode == websocket.ABNF.OPCODE_CLOSE:
            raise RawClosed("close frame")
        return data.decode("utf-8") if isinstance(data, bytes) else data

    def send_text(self, text: str | bytes) -> None:
        """Send one text frame (bytes are sent as they are, even when they are not UTF-8)."""
        self.ws.send(text, opcode=websocket.ABNF.OPCODE_TEXT)

    def send_binary(self, data: bytes) -> None:
        """Send one binary frame."""
        self.ws.send(data, opcode=websocket.ABNF.OPCODE_BINARY)

    def recv_packet(self, timeout: float = 10.0) -> str:
        """The next Socket.IO packet (answering pings on the way); raises RawClosed or TimeoutError."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("no packet from the server")
            self.ws.settimeout(remaining)
            try:
                text = self._recv_text()
            except websocket.WebSocketTimeoutException as error:
                raise TimeoutError("no packet from the server") from error
            if text == "2":
                self.send_text("3")
                continue
            if text.startswith("4"):
                return text[1:]
            if text.startswith("1"):
                raise RawClosed("engine.io close packet")

    # -- Socket.IO ------------------------------------------------------------------------------
    def connect(self, auth: object) -> tuple[bool, object]:
        """Send CONNECT with `auth`; (True, {"sid"}) or (False, error data)."""
        self.send_text("40" + json.dumps(auth))
        while True:
            packet = self.recv_packet()
            if packet.startswith("0"):
                return True, json.loads(packet[1:])
            if packet.startswith("4"):
                return False, json.loads(packet[1:])
            self._keep(packet)

    def emit(self, name: str, *args, ack: bool = True) -> int | None:
        """Send an EVENT; returns its ack id (None without ack)."""
        return self.emit_encoded(json.dumps([name, *args]), ack=ack)

    def emit_encoded(self, array_text: str, ack: bool = True) -> int | None:
        """Send an EVENT whose JSON array is given as text (it may be anything, even invalid)."""
        ack_id = None
        if ack:
            ack_id = self._next_ack
            self._next_ack += 1
        self.send_text("42" + ("" if ack_id is None else str(ack_id)) + array_text)
        return ack_id

    def call(self, name: str, *args, timeout: float = 10.0):
        """Emit and wait for the ack's first argument."""
        ack_id = self.emit(name, *args)
        return self.wait_ack(ack_id, timeout)

    def wait_ack(self, ack_id: int, timeout: float = 10.0):
        """Read packets until the ack `ack_id` arrives; returns its first argument."""
        deadline = time.monotonic() + timeout
        while ack_id not in self.acks:
            self._keep(self.recv_packet(max(0.01, deadline - time.monotonic())))
        return self.acks.pop(ack_id)

    def _keep(self, packet: str) -> None:
        kind, body = packet[0], packet[1:]
        digits = len(body) - len(body.lstrip("0123456789"))
        number, rest = (int(body[:digits]) if digits else None), body[digits:]
        if kind == "3" and number is not None:
            values = json.loads(rest)
            self.acks[number] = values[0] if values else None
        elif kind == "2":
            values = json.loads(rest)
            self.events.append((values[0], values[1] if len(values) > 1 else None))
        elif kind == "1":
            raise RawClosed("namespace disconnected by the server")

    def close(self) -> None:
        """Close the WebSocket (quietly when it is already gone)."""
        try:
            self.ws.close(timeout=1)
        except Exception:  # noqa: BLE001 - closing a socket the server already dropped
            pass
        finally:
            self.ws.shutdown()  # the TCP socket itself, even when the close handshake failed


def connect_as(server, board, who: str = "author") -> RawSocket:
    """A raw socket on `server` (anything with `.url`) authenticated as `who` of a seeded `board`."""
    sock = RawSocket(server.url)
    ok, refusal = sock.connect({"board": board.code, "token": board.tokens[who]})
    assert ok, refusal
    return sock


def head_and_snapshot(server, board) -> tuple[int, dict]:
    """The board's head seq and the facilitator's snapshot (minus the clock): equal before and after = nothing changed."""
    sock = connect_as(server, board, "facilitator")
    try:
        reply = sock.call("sync", {})
    finally:
        sock.close()
    snapshot = reply["snapshot"]
    snapshot.get("show", {}).pop("server_now", None)
    return reply["seq"], snapshot
