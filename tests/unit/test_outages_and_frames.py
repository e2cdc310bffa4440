"""Pure parts of the outage and hostile-frame handling: what counts as a dependency outage, one log line
per outage, which frames are Engine.IO packets, the half-open share."""
from __future__ import annotations

import logging

import pytest
import redis
from sqlalchemy.exc import OperationalError

from server.http.listener import half_open_cap
from server.protection import outages
from server.realtime import frame_guard


@pytest.fixture(autouse=True)
def fresh_outages():
    outages.reset()
    yield
    outages.reset()


def test_only_unreachable_dependencies_count_as_outages():
    assert outages.dependency_of(redis.ConnectionError("refused")) == outages.REDIS
    assert outages.dependency_of(redis.TimeoutError("slow")) == outages.REDIS
    assert outages.dependency_of(OperationalError("SELECT 1", {}, Exception("no route"))) == outages.DATABASE
    assert outages.dependency_of(ValueError("a bug")) is None
    assert outages.dependency_of(redis.ResponseError("WRONGTYPE")) is None  # Redis answered: a bug, not an outage


def test_an_outage_logs_one_line_when_it_starts_and_one_when_it_ends(caplog):
    began, ended = [], []
    outages.on_down(outages.REDIS, lambda: began.append(1))
    outages.on_back(outages.REDIS, lambda: ended.append(1))
    with caplog.at_level(logging.WARNING, logger="server.protection.outages"):
        for _ in range(500):
            outages.failed(outages.REDIS, redis.ConnectionError("Connection refused"))
        assert outages.is_down(outages.REDIS) and not outages.is_down(outages.DATABASE)
        outages.recovered(outages.REDIS)
        outages.recovered(outages.REDIS)  # already back: nothing more
    assert [r.getMessage().split(" (")[0] for r in caplog.records] == ["redis unreachable", "redis back after 0.0 s"]
    assert "500 failed calls" in caplog.records[1].getMessage()
    assert began == [1] and ended == [1] and not outages.is_down(outages.REDIS)
    error = outages.unavailable_error(outages.REDIS)
    assert error.code == "unavailable" and error.params == {"dependency": "redis", "retry_after": outages.RETRY_AFTER_S}


@pytest.mark.parametrize("frame, ok", [
    ("2", True), ("3", True), ('42["sync",{}]', True), ("40", True), ("1", True), (b"\x00\x01", True),
    ("", False), ("hello", False), ('x42["sync",{}]', False), ("7", False), ("\u00e942", False), (" 42", False),
])
def test_which_websocket_frames_are_engine_io_packets(frame, ok):
    assert frame_guard.is_packet(frame) is ok


@pytest.mark.parametrize("body, ok", [
    (b"42[\"sync\",{}]", True), (b"3\x1e42[\"sync\",{}]", True), (b"bAAEC", True),
    (b"", False), (b"hello", False), (b"3\x1e", False), (b"\xff\xfe", False),
])
def test_which_polling_payloads_are_engine_io_packets(body, ok):
    assert frame_guard.payload_is_packets(body) is ok


def test_one_address_may_hold_a_quarter_of_the_connections_still_sending_headers():
    assert half_open_cap(10_000, 0.25) == 2_500
    assert half_open_cap(100, 0.25) == 25
    assert half_open_cap(10, 0.25) == 8  # never fewer than a handful
