"""A TCP proxy for WebSocket connections that can cut a connection around one chosen client message.

It relays bytes both ways (stdlib `socket` + `selectors`, one thread). Client-to-server WebSocket
frames are parsed and unmasked, so the test can say "when the client sends a frame containing this
op_id: forward it to the server (or not), then cut the connection before any answer gets back".
That is the fault a laptop sees when the Wi-Fi drops while a command is on its way.
"""
from __future__ import annotations

import selectors
import socket
import threading
import time
from dataclasses import dataclass, field

# The server gets the command and answers into the void: the client's side is cut at once, the
# server's side stays open (swallowing what it sends) until its first answer, as when Wi-Fi dies
# without a goodbye, then closes too.
FORWARD_THEN_CUT = "forward_then_cut"
CUT_BEFORE = "cut_before"              # the command is lost on the way; the server never sees it


@dataclass
class _Pair:
    client: socket.socket
    upstream: socket.socket
    upgraded: bool = False            # past the client's HTTP upgrade request
    pending: bytearray = field(default_factory=bytearray)   # client bytes not yet forwarded (partial frame)
    closed: bool = False
    blackholed_at: float | None = None  # client side cut; the server's answers are swallowed


class CuttingProxy:
    """Listens on 127.0.0.1:<port> and relays to 127.0.0.1:<target_port>."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.listener.setblocking(False)
        self.port = self.listener.getsockname()[1]
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.listener, selectors.EVENT_READ, None)
        self.pairs: list[_Pair] = []
        self._lock = threading.Lock()
        self._arm: tuple[bytes, str] | None = None
        self.cut = threading.Event()          # set when an armed cut happened
        self.cut_frame: bytes | None = None   # the payload of the frame the cut was made around
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="cutting-proxy", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "CuttingProxy":
        self._thread.start()
        return self

    def arm(self, marker: bytes, mode: str = FORWARD_THEN_CUT) -> None:
        """Cut the connection at the next client frame whose payload contains `marker`."""
        assert mode in (FORWARD_THEN_CUT, CUT_BEFORE)
        with self._lock:
            self.cut.clear()
            self.cut_frame = None
            self._arm = (marker, mode)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        for pair in list(self.pairs):
            self._close(pair)
        self.selector.close()
        self.listener.close()

    # -- the loop -----------------------------------------------------------------------------------
    def _run(self) -> None:
        while not self._stop.is_set():
            for pair in self.pairs:
                if pair.blackholed_at is not None and not pair.closed and time.monotonic() - pair.blackholed_at > 10:
                    self._close(pair)
            for key, _ in self.selector.select(timeout=0.05):
                if key.data is None:
                    self._accept()
                    continue
                pair, from_client = key.data
                if pair.closed:
                    continue
                source = pair.client if from_client else pair.upstream
                try:
                    data = source.recv(65536)
                except OSError:
                    data = b""
                if not data or pair.blackholed_at is not None:
                    self._close(pair)  # the server answered (into the void) or went away
                elif from_client:
                    self._from_client(pair, data)
                else:
                    self._send(pair, pair.client, data)

    def _accept(self) -> None:
        try:
            client, _ = self.listener.accept()
        except BlockingIOError:
            return
        upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=5)
        for sock in (client, upstream):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.setblocking(True)
            sock.settimeout(5)
        pair = _Pair(client, upstream)
        self.pairs.append(pair)
        self.selector.register(client, selectors.EVENT_READ, (pair, True))
        self.selector.register(upstream, selectors.EVENT_READ, (pair, False))

    def _send(self, pair: _Pair, sock: socket.socket, data: bytes) -> None:
        try:
            sock.sendall(data)
        except OSError:
            self._close(pair)

    def _from_client(self, pair: _Pair, data: bytes) -> None:
        pair.pending += data
        if not pair.upgraded:
            end = pair.pending.find(b"\r\n\r\n")
            if end < 0:
                return
            head, pair.pending = bytes(pair.pending[: end + 4]), pair.pending[end + 4:]
            pair.upgraded = True
            self._send(pair, pair.upstream, head)
        while not pair.closed:
            frame = _split_frame(pair.pending)
            if frame is None:
                return
            raw, payload = frame
            del pair.pending[: len(raw)]
            with self._lock:
                armed = self._arm if self._arm and self._arm[0] in payload else None
                if armed:
                    self._arm = None
            if armed is None:
                self._send(pair, pair.upstream, raw)
                continue
            self.cut_frame = payload
            if armed[1] == FORWARD_THEN_CUT:
                self._send(pair, pair.upstream, raw)
                self._cut_client_side(pair)
            else:
                self._close(pair)
            self.cut.set()

    def _cut_client_side(self, pair: _Pair) -> None:
        pair.blackholed_at = time.monotonic()
        try:
            self.selector.unregister(pair.client)
        except (KeyError, ValueError):
            pass
        try:
            pair.client.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        pair.client.close()

    def _close(self, pair: _Pair) -> None:
        if pair.closed:
            return
        pair.closed = True
        for sock in (pair.client, pair.upstream):
            if sock.fileno() < 0:
                continue
            try:
                self.selector.unregister(sock)
            except (KeyError, ValueError):
                pass
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()


def _split_frame(buffer: bytearray) -> tuple[bytes, bytes] | None:
    """(raw frame, unmasked payload) of the first complete WebSocket frame in `buffer`, or None."""
    if len(buffer) < 2:
        return None
    masked, length, offset = buffer[1] & 0x80, buffer[1] & 0x7F, 2
    if length == 126:
        if len(buffer) < 4:
            return None
        length, offset = int.from_bytes(buffer[2:4], "big"), 4
    elif length == 127:
        if len(buffer) < 10:
            return None
        length, offset = int.from_bytes(buffer[2:10], "big"), 10
    mask = b""
    if masked:
        if len(buffer) < offset + 4:
            return None
        mask, offset = bytes(buffer[offset:offset + 4]), offset + 4
    if len(buffer) < offset + length:
        return None
    raw = bytes(buffer[: offset + length])
    payload = bytes(buffer[offset: offset + length])
    if masked:
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return raw, payload
