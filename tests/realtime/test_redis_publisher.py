"""The scale-out publisher (realtime/message_queue.py) on a real Redis of the test's own.

Emits reach Redis in emit order, each once, a burst in one pipeline; while Redis is away they are
dropped and counted, the outage reported once; once Redis is back, emits are published again.
"""
from __future__ import annotations

import json
import logging
import queue as queue_module
import threading
import time
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


def test_a_process_skips_its_own_emits_coming_back_and_hands_on_the_others(redis_process):
    channel = f"publisher-{uuid.uuid4().hex[:8]}"
    here, there = (ResilientRedisManager(redis_process.url, channel) for _ in range(2))
    socketio.Server(client_manager=here, async_mode="threading")
    socketio.Server(client_manager=there, async_mode="threading")
    decoded = []
    loads = here.json.loads
    here.json = type("CountingJson", (), {"dumps": staticmethod(here.json.dumps),
                                         "loads": staticmethod(lambda raw: decoded.append(raw) or loads(raw))})
    listener = subscribed(redis_process.url, channel)
    handed_on: queue_module.Queue = queue_module.Queue()
    threading.Thread(target=lambda: [handed_on.put(m) for m in here._listen()], daemon=True).start()
    counter = redis.Redis.from_url(redis_process.url)
    deadline = time.monotonic() + TIMEOUT_S
    while counter.pubsub_numsub(channel)[0][1] < 2:  # `here` subscribed too (a condition on Redis, not a delay)
        assert time.monotonic() < deadline
        time.sleep(0.01)
    emit(here, [1, 2])
    assert here.flushed(TIMEOUT_S)  # Redis took both: every subscriber gets them before anything published later
    emit(there, [3])
    assert there.flushed(TIMEOUT_S)
    assert received(listener, 3) == [1, 2, 3]  # all three reached Redis ...
    first = handed_on.get(timeout=TIMEOUT_S)  # ... and `here` hands on only `there`'s
    assert json.loads(first)["data"][0]["seq"] == 3 and json.loads(first)["host_id"] == there.host_id
    assert decoded == [] and handed_on.empty()  # its own two were dropped without decoding them (they came before it)
