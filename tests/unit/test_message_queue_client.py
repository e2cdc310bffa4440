"""The publisher's Redis client (realtime/message_queue.py) is the one python-socketio's RedisManager builds for the URL.

Nothing connects here: redis-py connects on the first command.
"""
from __future__ import annotations

import pytest
import socketio

from server.realtime.message_queue import CONNECT_TIMEOUT_S, ResilientRedisManager

URLS = (
    "redis://:secret@cache.example:6380/3",
    "rediss://user:secret@cache.example:6390/1",
    "redis+sentinel://user:secret@sentinel-a:26379,sentinel-b:26380/2/mymaster",
    "redis+sentinel://sentinel-a:26379",  # no service name: the channel's name, as upstream does
)


def built_by_upstream(url: str, channel: str):
    """The client python-socketio's own RedisManager connects with, for the options ours passes."""
    manager = socketio.RedisManager(url, channel=channel, redis_options={"socket_connect_timeout": CONNECT_TIMEOUT_S})
    manager._redis_connect()
    return manager.redis


def comparable(kwargs: dict) -> dict:
    """Connection kwargs with each per-client object (a Retry, a registry) replaced by its type's name."""
    plain = (str, int, float, bool, type(None))
    return {key: value if isinstance(value, plain) else type(value).__name__ for key, value in kwargs.items()}


def connection_settings(client) -> dict:
    """What a client would connect with: its pool's kwargs and, behind Sentinel, the service and every sentinel's kwargs."""
    pool = client.connection_pool
    settings = {"pool": type(pool).__name__, "connection": pool.connection_class.__name__,
                "kwargs": comparable(pool.connection_kwargs)}
    manager = getattr(pool, "sentinel_manager", None)
    if manager is not None:
        settings["service"] = pool.service_name
        settings["sentinels"] = [comparable(s.connection_pool.connection_kwargs) for s in manager.sentinels]
        settings["sentinel_kwargs"] = manager.sentinel_kwargs
    return settings


@pytest.mark.parametrize("url", URLS)
def test_the_publisher_client_connects_as_redis_manager_would(url):
    ours = ResilientRedisManager(url, "snowball-test")
    settings = connection_settings(ours._new_client())
    assert settings == connection_settings(built_by_upstream(url, "snowball-test"))
    assert settings["kwargs"]["socket_connect_timeout"] == CONNECT_TIMEOUT_S
    assert ours.redis_options == {"socket_connect_timeout": CONNECT_TIMEOUT_S}  # Sentinel's credentials not merged into ours


def test_a_change_in_how_python_socketio_builds_its_client_reaches_the_publisher(monkeypatch):
    upstream = socketio.RedisManager._redis_connect

    def changed(self):  # say a later python-socketio names its connections
        self.redis_options = {**self.redis_options, "client_name": "socketio"}
        upstream(self)

    monkeypatch.setattr(socketio.RedisManager, "_redis_connect", changed)
    client = ResilientRedisManager("redis://cache.example:6379/0", "snowball-test")._new_client()
    assert client.connection_pool.connection_kwargs["client_name"] == "socketio"
