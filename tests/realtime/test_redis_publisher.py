"""The scale-out publisher (realtime/message_queue.py) on a real Redis of the test's own.

Emits reach Redis in emit order, each once, a burst in one pipeline; while Redis is away they are
dropped and counted, the outage reported once; once Redis is back, emits are published again.
"""
from __future__ import annotations

import json
import logging
import uuid

import pytest
import redis
import socketio

from server.protection import outages
from server.realtime.message_queue import BATCH_MAX, ResilientRedisManager
from tests.support.redis_server import RedisProcess

TIMEOUT_S = 30


@pytest.fixture
def redis_process(tmp_path):
    process = RedisProcess(tmp_path).start()
    yield process
    process.kill()


@pytest.fixture
def queue(redis_process):
    outages.reset()
    manager = ResilientRedisManager(redis_process.url, f"publisher-{uuid.uuid4().hex[:8]}")
    socketio.Server(client_manager=manager, async_mode="threading")  # binds the manager (no listener started)
    yield manager
    outages.reset()


def subscribed(url: str, channel: str):
    """A plain Redis subscriber on `channel`, subscribed before it is returned."""
    pubsub = redis.Redis.from_url(url).pubsub(ignore_subscribe_messages=False)
    pubsub.subscribe(channel)
    confirmation = pubsub.get_message(timeout=TIMEOUT_S)
    assert confirmation is not None and confirmation["type"] == "subscribe"
    return pubsub


def received(pubsub, count: int) -> list[int]:
    """The `seq` of the next `count` messages on the channel (fails if one does not come in time)."""
    seqs = []
    for _ in range(count):
        message = pubsub.get_message(timeout=TIMEOUT_S)
        assert message is not None and message["type"] == "message", message
        seqs.append(json.loads(message["data"])["data"][0]["seq"])
    return seqs


def emit(queue: ResilientRedisManager, seqs) -> None:
    for seq in seqs:
        queue.emit("event", {"seq": seq}, room="board:1")


def test_a_burst_is_published_in_emit_order_each_once_in_pipelines(queue, redis_process):
    listener = subscribed(redis_process.url, queue.channel)
    burst = range(2 * BATCH_MAX + 7)
    with queue._changed:  # the publisher cannot take anything until the whole burst is queued
        emit(queue, burst)
    assert queue.flushed(TIMEOUT_S)
    assert received(listener, len(burst)) == list(burst)
    assert (queue.published, queue.batches, queue.dropped) == (len(burst), 3, 0)
    emit(queue, [-1])  # a marker: a copy published twice would have come before it
    assert queue.flushed(TIMEOUT_S)
    assert received(listener, 1) == [-1]


def test_emits_while_redis_is_away_are_dropped_counted_and_reported_once(queue, redis_process, caplog):
    listener = subscribed(redis_process.url, queue.channel)
    emit(queue, [1])
    assert queue.flushed(TIMEOUT_S) and received(listener, 1) == [1]
    redis_process.kill()
    caplog.set_level(logging.WARNING, logger=outages.__name__)
    emit(queue, range(2, 7))
    assert queue.flushed(TIMEOUT_S)
    assert outages.is_down(outages.REDIS)
    emit(queue, range(7, 10))  # known away: dropped at once
    assert queue.flushed(TIMEOUT_S)
    assert (queue.published, queue.dropped) == (1, 8)
    reports = [r for r in caplog.records if r.name == outages.__name__ and "unreachable" in r.getMessage()]
    assert len(reports) == 1

    redis_process.start()  # back, empty; the manager's connection is a stale one
    outages.recovered(outages.REDIS)
    listener = subscribed(redis_process.url, queue.channel)
    emit(queue, [10, 11, 12, -1])  # -1: a marker, as above
    assert queue.flushed(TIMEOUT_S)
    assert received(listener, 4) == [10, 11, 12, -1]
    assert (queue.published, queue.dropped) == (5, 8)


def test_a_process_knows_its_own_emits_coming_back_from_the_others(redis_process):
    channel = f"publisher-{uuid.uuid4().hex[:8]}"
    here, there = (ResilientRedisManager(redis_process.url, channel) for _ in range(2))
    socketio.Server(client_manager=here, async_mode="threading")
    socketio.Server(client_manager=there, async_mode="threading")
    listener = subscribed(redis_process.url, channel)
    emit(here, [1, 2])
    emit(there, [3])
    assert here.flushed(TIMEOUT_S) and there.flushed(TIMEOUT_S)
    raw = [listener.get_message(timeout=TIMEOUT_S)["data"] for _ in range(3)]
    by_seq = {json.loads(message)["data"][0]["seq"]: message for message in raw}
    assert sorted(by_seq) == [1, 2, 3]
    assert [here.is_own(by_seq[seq]) for seq in (1, 2, 3)] == [True, True, False]
    assert [there.is_own(by_seq[seq]) for seq in (1, 2, 3)] == [False, False, True]
    addressed_to_here = json.dumps({"method": "callback", "host_id": here.host_id, "sid": "x", "id": 1, "args": []})
    assert not here.is_own(addressed_to_here.encode())  # a callback for this process is its to handle
