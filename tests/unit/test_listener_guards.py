"""The listener guards' rules, without a server: the half-open ledger per address, the header timer, the body deadline.

Both green servers' adapters (http/eventlet_listener.py, http/gevent_listener.py) call these; the
real-server tests (tests/realtime/test_half_open.py, test_body_timeout.py) run under both modes.
"""
from __future__ import annotations

import contextlib
import io
import json
import logging

import pytest

from server.protection.body_timeout import BodyTimeout
from server.http.listener import HeaderTimeout, ListenerGuards, half_open_cap


class FakeTimer(contextlib.AbstractContextManager):
    """A timer that never fires by itself (a read of `SlowBody` raises its exception, as the loop would)."""

    started: list["FakeTimer"] = []

    def __init__(self, seconds: float, exception: BaseException) -> None:
        self.seconds, self.exception, self.cancelled = seconds, exception, False
        FakeTimer.started.append(self)

    def cancel(self) -> None:
        self.cancelled = True

    def __exit__(self, *exc) -> None:
        self.cancel()


class FakeSocket:
    def __init__(self) -> None:
        self.sent, self.closed = b"", False

    def sendall(self, data: bytes) -> None:
        self.sent += data

    def close(self) -> None:
        self.closed = True


@pytest.fixture(autouse=True)
def fresh_timers():
    FakeTimer.started.clear()


def test_the_share_is_a_quarter_of_the_cap_and_at_least_eight():
    assert half_open_cap(100, 0.25) == 25
    assert half_open_cap(10, 0.25) == 8


def test_an_address_over_its_share_of_half_open_connections_is_refused_with_a_json_503(caplog):
    guards = ListenerGuards(10, 30, cap=2, start_timer=FakeTimer)
    first, second = guards.connection("10.0.0.1"), guards.connection("10.0.0.1")
    first.awaiting_headers()
    second.awaiting_headers()
    other = FakeSocket()
    assert guards.refuse("10.0.0.2", other) is False and not other.closed  # another address is not counted

    refused = FakeSocket()
    with caplog.at_level(logging.WARNING, logger="server.http.listener"):
        assert guards.refuse("10.0.0.1", refused) is True
    head, body = refused.sent.split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 503") and b"Retry-After: 1" in head and refused.closed
    assert json.loads(body)["error"]["params"] == {"scope": "half_open_per_address", "limit": 2, "retry_after": 1}
    assert [r.getMessage() for r in caplog.records] == [
        "refused a connection from 10.0.0.1: 2 connections of it still opening (cap 2)"]

    first.headers_read()  # its headers are in: it no longer counts, a new one is let in
    assert guards.refuse("10.0.0.1", FakeSocket()) is False
    first.headers_read()  # twice (the request ended too): counted down once only
    second.awaiting_headers()  # the next request on a kept-alive connection: still one count
    assert guards.refuse("10.0.0.1", FakeSocket()) is False


def test_the_header_timer_runs_only_while_headers_are_owed():
    guards = ListenerGuards(7, 30, cap=8, start_timer=FakeTimer)
    conn = guards.connection("10.0.0.1")
    conn.awaiting_headers()
    (timer,) = FakeTimer.started
    assert timer.seconds == 7 and isinstance(timer.exception, HeaderTimeout) and not timer.cancelled
    conn.headers_read()
    assert timer.cancelled
    conn.awaiting_headers()  # keep-alive: the next request gets a fresh timer
    assert len(FakeTimer.started) == 2 and not FakeTimer.started[1].cancelled


class SlowBody(io.BytesIO):
    """A body whose every read blocks until the deadline: the last timer's exception is raised in it."""

    def read(self, *args):
        raise FakeTimer.started[-1].exception


def test_a_body_past_its_deadline_raises_a_json_408_logs_once_and_closes(caplog):
    guards = ListenerGuards(10, 2, cap=8, start_timer=FakeTimer)
    conn = guards.connection("10.0.0.1")
    closed = []
    slow = SlowBody(b"{}")
    body = conn.bounded_body(slow, slow.read, lambda: closed.append(True))
    with caplog.at_level(logging.WARNING, logger="server.http.listener"):
        with pytest.raises(BodyTimeout) as raised:
            body.read(10)
        assert FakeTimer.started[-1].seconds <= 2 and FakeTimer.started[-1].cancelled
        with pytest.raises(OSError):
            body.discard()  # the server's skip of the rest fails too, so it closes the connection
    assert raised.value.code == 408
    assert json.loads(raised.value.get_body())["error"] == {
        "code": "request_timeout", "message": "the request body did not arrive within 2 s", "params": {"limit": 2}}
    assert closed == [True]
    assert [r.getMessage() for r in caplog.records] == [
        "closed a connection from 10.0.0.1: its request body did not arrive within 2 s"]


def test_a_body_in_time_reads_through():
    guards = ListenerGuards(10, 30, cap=8, start_timer=FakeTimer)
    body = guards.connection("10.0.0.1").bounded_body(io.BytesIO(b'{"a": 1}'), lambda: None, lambda: None)
    assert body.read() == b'{"a": 1}' and FakeTimer.started[-1].cancelled
