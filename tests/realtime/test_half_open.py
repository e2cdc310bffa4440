"""Silent half-open connections from one address cannot take the server (the listener guards, eventlet and gevent).

A server capped at SNOWBALL_MAX_CONNECTIONS=100 with a 3 s header timeout. 100 TCP connections from
127.0.0.2 that never send a byte: at most a quarter of the cap (25) wait, the rest get a JSON 503 at
once; meanwhile /healthz and a board socket from 127.0.0.1 are served; the waiting ones are closed
after the header timeout. Before the guards, /healthz and new sockets timed out.
"""
from __future__ import annotations

import json
import socket
import time

import pytest
import requests

from server.http.listener import half_open_cap
from tests.support.raw_client import RawSocket
from tests.support.server import ServerProcess, create_board, join_board

CAP, HEADER_TIMEOUT = 100, 3
HOSTILE = "127.0.0.2"  # another address on the loopback interface


@pytest.fixture
def capped_server(tmp_path):
    server = ServerProcess(f"sqlite:///{tmp_path / 'capped.sqlite3'}", log_dir=tmp_path,
                           env={"SNOWBALL_MAX_CONNECTIONS": str(CAP), "SNOWBALL_HEADER_TIMEOUT": str(HEADER_TIMEOUT)})
    server.start()
    try:
        yield server
    finally:
        server.stop()


def silent_connection(port: int) -> socket.socket:
    sock = socket.socket()
    sock.bind((HOSTILE, 0))
    sock.settimeout(HEADER_TIMEOUT + 10)
    sock.connect(("127.0.0.1", port))
    return sock


def test_silent_connections_from_one_address_get_a_quarter_of_the_cap_and_a_header_timeout(capped_server):
    server = capped_server
    created = create_board(server.url)
    code = created["board"]["code"]
    token = join_board(server.url, code, "Ana")["token"]
    share = half_open_cap(CAP, 0.25)
    opened = time.monotonic()
    hostile = [silent_connection(server.port) for _ in range(CAP)]
    all_open = time.monotonic() - opened
    try:
        # Everyone else is served while they sit there.
        assert requests.get(f"{server.url}/healthz", timeout=5).ok
        sock = RawSocket(server.url, timeout=5)
        try:
            assert sock.connect({"board": code, "token": token})[0]
            assert sock.call("sync", {}, timeout=5)["ok"]
        finally:
            sock.close()

        # Past its share, the address got a JSON 503 at once; the others are closed after the header timeout.
        refused, timed_out = 0, []
        for conn in hostile:
            answer = b""
            while True:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                answer += chunk
            if answer:
                head, body = answer.split(b"\r\n\r\n", 1)
                assert head.startswith(b"HTTP/1.1 503") and b"Retry-After: 1" in head, head
                error = json.loads(body)["error"]
                assert error["code"] == "unavailable" and error["params"]["scope"] == "half_open_per_address"
                refused += 1
            else:
                timed_out.append(time.monotonic() - opened)
        assert refused == CAP - share and len(timed_out) == share, (refused, len(timed_out))
        assert HEADER_TIMEOUT - 0.5 <= min(timed_out) and max(timed_out) <= HEADER_TIMEOUT + all_open + 5, timed_out
        print(f"\n{refused} refused at once, {len(timed_out)} closed after {min(timed_out):.1f}-{max(timed_out):.1f} s")
    finally:
        for conn in hostile:
            conn.close()
    assert "Traceback" not in server.log_path.read_text(errors="replace")
