"""WebSocket compression policy, seen on the wire by a raw client that offers permessage-deflate.

threshold (default): small frames plain, large frames deflated (and readable by a decompressor that
keeps its context, as browsers do); off: the offer is declined; all: the server's own compression
(eventlet's, or wsproto's under gevent) deflates every frame. Runs under both async modes.
"""
from __future__ import annotations

import base64
import json
import os
import socket
import struct
import zlib

import pytest

from tests.support.clients import BoardClient
from tests.support.server import ServerProcess, create_board, join_board

LONG_STORY = "Une coopérative de quartier qui cuit son pain au feu de bois. " * 60  # ~3.8 KB


class RawSocket:
    """A bare RFC 6455 client: enough to read each frame's RSV1 bit and inflate it like a browser."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((
            "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += self.sock.recv(1)
        self.headers = head.decode().lower()
        self.inflate = zlib.decompressobj(-15)  # one context for the whole connection
        agreed = next((part.split("=")[1] for part in self.headers.replace("\r\n", ";").split(";")
                       if part.strip().startswith("client_max_window_bits=")), "15")
        self.deflate = zlib.compressobj(6, zlib.DEFLATED, -int(agreed))  # ours, in the window the server agreed to

    def _exact(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            assert chunk, "server closed the connection"
            data += chunk
        return data

    def frame(self) -> tuple[bool, str]:
        """(compressed?, text) of the next data frame."""
        first, second = self._exact(2)
        length = second & 0x7F
        if length == 126:
            length = struct.unpack("!H", self._exact(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self._exact(8))[0]
        payload = self._exact(length)
        compressed = bool(first & 0x40)
        if compressed:
            payload = self.inflate.decompress(payload + b"\x00\x00\xff\xff")
        return compressed, payload.decode()

    def send(self, text: str, compressed: bool = False) -> None:
        """One masked text frame; `compressed`: deflated with our context kept (RSV1 set), as browsers send."""
        data = text.encode()
        if compressed:
            data = (self.deflate.compress(data) + self.deflate.flush(zlib.Z_SYNC_FLUSH))[:-4]
        mask = os.urandom(4)
        first = 0xC1 if compressed else 0x81
        header = bytes([first]) + (bytes([0x80 | len(data)]) if len(data) < 126 else bytes([0x80 | 126]) + struct.pack("!H", len(data)))
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def until(self, prefix: str) -> tuple[bool, str]:
        """Skip frames (presence, ...) until one starts with `prefix`."""
        while True:
            compressed, text = self.frame()
            if text.startswith(prefix):
                return compressed, text

    def close(self) -> None:
        self.sock.close()


def start(tmp_path, mode: str) -> ServerProcess:
    return ServerProcess(f"sqlite:///{tmp_path / 'c.sqlite3'}", env={"SNOWBALL_WS_COMPRESSION": mode}, log_dir=tmp_path).start()


def board_with_a_long_story(server: ServerProcess) -> tuple[str, str, int]:
    """A board whose snapshot is a few KB; returns (code, token, seq)."""
    code = create_board(server.url)["board"]["code"]
    token = join_board(server.url, code, "Ana")["token"]
    writer = BoardClient(server.url, code, token)
    writer.connect()
    ack = writer.command("project_post", project={"title": "Le fournil", "pitch": "Du pain", "story": LONG_STORY})
    writer.disconnect()
    assert ack["ok"]
    return code, token, ack["seq"]


@pytest.mark.parametrize("mode", ["threshold", "all"])
def test_compression_when_the_client_offers_deflate(tmp_path, mode):
    server = start(tmp_path, mode)
    raw = None
    try:
        code, token, seq = board_with_a_long_story(server)
        raw = RawSocket(server.port)
        assert "sec-websocket-extensions: permessage-deflate" in raw.headers, raw.headers
        if mode == "threshold":  # the client let the server pick its window: a small one (less inflate state per socket)
            assert "client_max_window_bits=10" in raw.headers, raw.headers
        open_compressed, _ = raw.until("0{")
        raw.send("40" + json.dumps({"board": code, "token": token}))
        raw.until("40")
        raw.send('421["sync",{}]')
        big_compressed, big = raw.until("431")
        assert json.loads(big[3:])[0]["snapshot"]["projects"][0]["story"] == LONG_STORY.strip()
        raw.send(f'422["sync",{{"since":{seq}}}]', compressed=True)  # the server inflates what the client deflates
        small_compressed, small = raw.until("432")
        assert json.loads(small[3:])[0]["events"] == []
        raw.send(f'423["sync",{{"since":{seq}}}]', compressed=True)  # a second one: our context carries over
        raw.until("433")
        if mode == "threshold":  # small frames plain, the snapshot deflated, one inflate context throughout
            assert (open_compressed, big_compressed, small_compressed) == (False, True, False)
        else:                    # the server's own: every frame
            assert (open_compressed, big_compressed, small_compressed) == (True, True, True)
    finally:
        if raw is not None:
            raw.close()
        server.stop()


def test_compression_off_declines_the_offer(tmp_path):
    server = start(tmp_path, "off")
    raw = None
    try:
        code, token, _ = board_with_a_long_story(server)
        raw = RawSocket(server.port)
        assert "sec-websocket-extensions" not in raw.headers
        raw.until("0{")
        raw.send("40" + json.dumps({"board": code, "token": token}))
        raw.until("40")
        raw.send('421["sync",{}]')
        compressed, big = raw.until("431")
        assert not compressed and LONG_STORY.strip() in json.loads(big[3:])[0]["snapshot"]["projects"][0]["story"]
    finally:
        if raw is not None:
            raw.close()
        server.stop()
