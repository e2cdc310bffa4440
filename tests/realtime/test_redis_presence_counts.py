"""Presence counts across processes (realtime/presence.py) on a real Redis: one round trip each, live processes only."""
from __future__ import annotations

import uuid

import pytest

from server.protection import outages
from server.realtime.presence import RedisPresence
from tests.support.redis_server import RedisProcess

BOARD = 7


@pytest.fixture
def two_processes(tmp_path):
    outages.reset()  # an outage another test left behind would make these counts this process's alone
    redis_process = RedisProcess(tmp_path).start()
    channel = f"presence-{uuid.uuid4().hex[:8]}"
    a = RedisPresence(redis_process.url, channel, ttl_s=30, process_id="a")
    b = RedisPresence(redis_process.url, channel, ttl_s=30, process_id="b")
    yield a, b
    redis_process.kill()


def test_counts_and_online_ids_add_up_over_the_live_processes(two_processes):
    a, b = two_processes
    a.add(BOARD, 1)
    a.add(BOARD, 1)
    b.add(BOARD, 1)
    b.add(BOARD, 2)
    a.add(BOARD + 1, 3)  # another board: never counted here
    assert [a.count(BOARD, 1), b.count(BOARD, 2), a.count(BOARD, 3), a.count(BOARD, 4)] == [3, 1, 0, 0]
    assert a.online_ids(BOARD) == b.online_ids(BOARD) == [1, 2]
    b.remove(BOARD, 2)
    a.remove(BOARD, 1)
    assert (b.count(BOARD, 1), a.count(BOARD, 2), a.online_ids(BOARD)) == (2, 0, [1])


def test_a_process_past_its_ttl_is_not_counted(two_processes):
    a, b = two_processes
    a.add(BOARD, 1)
    b.add(BOARD, 1)
    b.add(BOARD, 2)
    a.redis.zadd(a._procs(BOARD), {"b": 0})  # b's last heartbeat long ago: b stopped
    assert (a.count(BOARD, 1), a.count(BOARD, 2), a.online_ids(BOARD)) == (1, 0, [1])
