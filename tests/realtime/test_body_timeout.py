"""A request body trickled in a byte at a time is cut off at the body timeout (the listener, eventlet and gevent).

A real server with SNOWBALL_BODY_TIMEOUT=2; raw TCP clients send a request's headers at once, then
its announced body one byte every 0.25 s (it would take a minute). The API answers a JSON 408 and
closes; an Engine.IO long-polling POST is answered 400 and closed; one log line each, no traceback.
A body sent at once is still served. Before the timeout, both tricklers were still held after 12 s.
"""
from __future__ import annotations

import json
import socket
import time

import pytest
import requests

from tests.support.server import ServerProcess

BODY_TIMEOUT = 2
TRICKLE_EVERY = 0.25
GIVE_UP_AFTER = 12  # far past the timeout: a server without one is still reading then


@pytest.fixture
def server(tmp_path):
    process = ServerProcess(f"sqlite:///{tmp_path / 'body.sqlite3'}", log_dir=tmp_path,
                            env={"SNOWBALL_BODY_TIMEOUT": str(BODY_TIMEOUT)}).start()
    try:
        yield process
    finally:
        process.stop()


def trickle(port: int, head: str, length: int) -> tuple[bytes, float]:
    """Send `head` (request line + headers), then a byte of the body at a time; the answer and when it came."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    started = time.monotonic()
    answer = b""
    try:
        sock.sendall(head.encode() + b"\r\n")
        sent = 0
        while time.monotonic() - started < GIVE_UP_AFTER and sent < length - 1:
            try:
                sock.sendall(b" ")
            except OSError:  # closed by the server
                break
            sent += 1
            sock.settimeout(TRICKLE_EVERY)
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                continue  # no answer yet: send the next byte
            answer = chunk
            break
        answered = time.monotonic() - started
        sock.settimeout(5)
        while answer:  # read to the end: the server closes the connection after its answer
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
        return answer, answered
    finally:
        sock.close()


def test_a_trickled_api_body_is_answered_408_and_closed(server):
    head = ("POST /api/boards HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            "Content-Length: 1000\r\n")
    answer, answered = trickle(server.port, head, 1000)
    assert answer, f"no answer after {GIVE_UP_AFTER} s of a trickled body"
    status, _, body = answer.partition(b"\r\n\r\n")
    assert status.startswith(b"HTTP/1.1 408"), status
    assert b"Connection: close" in status
    error = json.loads(body)["error"]
    assert error["code"] == "request_timeout" and error["params"]["limit"] == BODY_TIMEOUT
    assert BODY_TIMEOUT - 0.5 <= answered <= BODY_TIMEOUT + 3, answered

    # Sent at once, the same request is served.
    created = requests.post(f"{server.url}/api/boards", json={"title": "Whole body", "language": "en"}, timeout=10)
    assert created.status_code in (200, 201) and created.json()["board"]["title"] == "Whole body"


def test_a_trickled_long_polling_post_is_answered_400_and_closed(server):
    opening = requests.get(f"{server.url}/socket.io/?EIO=4&transport=polling", timeout=10)
    sid = json.loads(opening.text[1:])["sid"]
    head = (f"POST /socket.io/?EIO=4&transport=polling&sid={sid} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: 500\r\n")
    answer, answered = trickle(server.port, head, 500)
    assert answer, f"no answer after {GIVE_UP_AFTER} s of a trickled polling body"
    assert answer.startswith(b"HTTP/1.1 400"), answer[:80]
    assert BODY_TIMEOUT - 0.5 <= answered <= BODY_TIMEOUT + 3, answered

    log = server.log_path.read_text()
    assert log.count("request body did not arrive within 2 s") == 1, log[-2000:]
    assert "Traceback" not in log
