"""Scale-out's Socket.IO message queue on Redis, with outages handled (python-socketio's RedisManager underneath).

python-socketio (5.18) logs two errors for every emit it cannot publish, and its listener retries
with a doubling delay up to 60 s: after a long outage a process could stay deaf to the others for a
minute after Redis came back. Here an emit made while Redis is away is dropped without a log line
(clients repair the gap from the database with `sync` when they reconnect), the first failure is
reported once to `outages`, and the listener subscribes again at once when its subscription drops
(a Redis that does not answer is an outage: then it tries every second) and says when it is subscribed.
"""
from __future__ import annotations

import time

import socketio

from ..protection import outages

CONNECT_TIMEOUT_S = 2


class ResilientRedisManager(socketio.RedisManager):
    """RedisManager that reports outages to `outages`, drops emits quietly meanwhile, resubscribes every second."""

    def __init__(self, url: str, channel: str) -> None:
        super().__init__(url, channel=channel, redis_options={"socket_connect_timeout": CONNECT_TIMEOUT_S})
        self.subscribed = False
        self.dropped = 0  # emits not published because Redis was away (what clients fetch with sync)

    def _publish(self, data):
        if outages.is_down(outages.REDIS):
            self.dropped += 1
            return None
        for attempt in (1, 2):  # a connection Redis dropped while idle fails once; a fresh one then works
            try:
                if not self.connected:
                    self._redis_connect()
                return self.redis.publish(self.channel, self.json.dumps(data))
            except Exception as exc:  # noqa: BLE001 - reported once per outage
                self.connected = False
                if attempt == 2:
                    self.dropped += 1
                    outages.failed(outages.REDIS, exc)
        return None

    def _redis_listen_with_retries(self):
        while True:
            try:
                self._redis_connect()
                self.pubsub.subscribe(self.channel)
            except Exception as exc:  # noqa: BLE001 - Redis itself does not answer: an outage, reported once
                self.subscribed = False
                outages.failed(outages.REDIS, exc)
                time.sleep(outages.PROBE_INTERVAL_S)  # green under eventlet's monkey patching
                continue
            self.subscribed = True
            try:
                yield from self.pubsub.listen()
            except Exception:  # noqa: BLE001 - the subscription dropped: subscribe again at once (an outage shows there)
                self.subscribed = False
