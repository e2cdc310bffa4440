"""Scale-out's Socket.IO message queue on Redis, with outages handled (python-socketio's RedisManager underneath).

Publishing: python-socketio's `emit` hands the message to this process's sockets at once, then calls
`_publish`, which in RedisManager waits for Redis's reply. Under eventlet that wait is a whole hub
cycle per emit: the commit listener used to broadcast inside the combined write loop, with the write
gate held, and commits completed about one per hub cycle; the committed-events flusher
(realtime/dispatch.py) would likewise send one event per hub cycle. Here `_publish` only appends
to an ordered outbox; one publisher task sends whatever is queued (one PUBLISH, or one redis-py
pipeline without a transaction), in emit order, then waits for more. The other processes get
the same messages in the same order, a few milliseconds later at most.

Receiving: every emit, this process's own and the others' from Redis, reaches this process's sockets
through `_handle_emit`; a board's sequenced events go through `BoardOrder` (board_order.py), so its
clients here get them in seq order although another process committed some of them.

Outages: python-socketio (5.18) logs two errors for every emit it cannot publish, and its listener
retries with a doubling delay up to 60 s: after a long outage a process could stay deaf to the others
for a minute after Redis came back. Here an emit made while Redis is away is dropped without a log
line (clients repair the gap from the database with `sync` when they reconnect), counted in
`dropped`, the first failure is reported once to `outages`, and the listener subscribes again at once
when its subscription drops (a Redis that does not answer is an outage: then it tries every second)
and says when it is subscribed.
"""
from __future__ import annotations

import threading
import time
from collections import deque

import socketio

from ..protection import outages
from .board_order import HOLD_S, BoardOrder
from .hub import BOARD_ROOM

CONNECT_TIMEOUT_S = 2
BATCH_MAX = 500        # messages per pipeline: one round trip, a bounded write
OUTBOX_MAX = 20_000    # a Redis that stopped answering (no error yet) must not grow the outbox without end
# What python-socketio's listener drops when the host_id is its own: every method it publishes but a callback.
OWN_METHODS = ("emit", "disconnect", "enter_room", "leave_room", "close_room")


class ResilientRedisManager(socketio.RedisManager):
    """RedisManager that publishes through an ordered outbox, reports outages to `outages`, resubscribes every second."""

    def __init__(self, url: str, channel: str) -> None:
        super().__init__(url, channel=channel, redis_options={"socket_connect_timeout": CONNECT_TIMEOUT_S})
        self.subscribed = False
        self.dropped = 0    # emits not published because Redis was away (what clients fetch with sync)
        self.published = 0  # emits Redis accepted
        self.batches = 0    # pipelines sent (published / batches: emits per round trip)
        self._outbox: deque = deque()
        self._sending = 0   # messages taken off the outbox and not yet settled (published or dropped)
        self._changed = threading.Condition()  # green under eventlet's and gevent's monkey patching
        self._publisher = None
        self._client = None  # the publisher's own Redis client (the listener replaces `self.redis` when it resubscribes)
        self._own_prefixes = None  # how `_encode` begins this process's own messages
        self.order = BoardOrder(self._after_hold)  # a board's events to this process's sockets in seq order

    def _after_hold(self, run) -> None:
        def later():
            self.server.sleep(HOLD_S)
            run()

        self.server.start_background_task(later)

    def _handle_emit(self, message):
        """Hand one emit to this process's sockets (its own, or another process's from Redis); a board event in seq order."""
        room, data = message.get("room"), message.get("data")
        if (message.get("event") == "event" and isinstance(room, str) and room.startswith(BOARD_ROOM)
                and isinstance(data, list) and len(data) == 1 and isinstance(data[0], dict)
                and type(data[0].get("seq")) is int):
            self.order.deliver(room, data[0]["seq"], lambda: super(ResilientRedisManager, self)._handle_emit(message))
        else:
            super()._handle_emit(message)

    def _publish(self, data):
        """Queue one message for the publisher (called by python-socketio's emit, in emit order)."""
        if outages.is_down(outages.REDIS) or len(self._outbox) >= OUTBOX_MAX:
            self.dropped += 1
            return
        with self._changed:
            self._outbox.append(data)
            if self._publisher is None:
                self._publisher = self.server.start_background_task(self._publish_forever)
            self._changed.notify()

    def flushed(self, timeout: float) -> bool:
        """Wait until everything emitted so far is published or dropped; False if `timeout` passed first."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._outbox and not self._sending, timeout)

    def _publish_forever(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._outbox)
                batch = [self._outbox.popleft() for _ in range(min(len(self._outbox), BATCH_MAX))]
                self._sending = len(batch)
            try:
                self._send(batch)
            finally:
                with self._changed:
                    self._sending = 0
                    self._changed.notify_all()

    def _send(self, batch: list) -> None:
        """Publish `batch` in one pipeline, in order; on failure, try once more on a fresh connection, then drop it."""
        if outages.is_down(outages.REDIS):
            self.dropped += len(batch)
            return
        encoded = [self._encode(data) for data in batch]
        for attempt in (1, 2):  # a connection Redis dropped while idle fails once (nothing was published); a fresh one works
            try:
                if self._client is None:
                    self._client = self._new_client()
                if len(encoded) == 1:  # the usual case at a few commits per second: a pipeline costs more
                    self._client.publish(self.channel, encoded[0])
                else:
                    pipe = self._client.pipeline(transaction=False)
                    for message in encoded:
                        pipe.publish(self.channel, message)
                    pipe.execute()
                self.published += len(batch)
                self.batches += 1
                return
            except Exception as exc:  # noqa: BLE001 - reported once per outage
                self._client = None
                if attempt == 2:
                    self.dropped += len(batch)
                    outages.failed(outages.REDIS, exc)

    def _new_client(self):
        """A Redis client for the URL, built by python-socketio's own `RedisManager._redis_connect` (Sentinel URLs included).

        It runs on a second, never initialized RedisManager with this one's URL and options, so what a
        later python-socketio builds (URL schemes, options) is what the publisher gets; the listener's
        `self.redis` and `self.pubsub` stay untouched. Its unused pubsub object connects only when subscribed.
        """
        builder = socketio.RedisManager(self.redis_url, channel=self.channel, write_only=True,
                                        redis_options=dict(self.redis_options))  # a copy: Sentinel's branch updates it
        builder._redis_connect()
        return builder.redis

    def _listen(self):
        """python-socketio's stream of messages from Redis, without this process's own emits coming back.

        Redis sends a process what it published, and python-socketio decodes it only to drop it (its
        host_id is ours): half of every process's receiving work. A callback addressed to us is kept.
        """
        for message in super()._listen():
            if not self.is_own(message):
                yield message

    def _encode(self, data: dict) -> str:
        """The message as python-socketio's JSON, its host_id and method first: `is_own` reads only its first bytes."""
        if "host_id" in data and "method" in data:
            data = {"host_id": data["host_id"], "method": data["method"], **data}  # same keys, same values
        return self.json.dumps(data)

    def is_own(self, message) -> bool:
        """True for a message this process published itself (an emit, a disconnect...), not a callback addressed to it.

        Only what `_encode` wrote matches: this host_id, then a method other than a callback, at the start.
        Any other layout (another serializer, a JSON module that sorts keys) is kept, and python-socketio's
        listener decodes it and drops it itself if it is ours: never another process's message dropped.
        """
        if self._own_prefixes is None:  # `self.json` is the server's, known once bound
            self._own_prefixes = tuple(self.json.dumps({"host_id": self.host_id, "method": method})[:-1].encode()
                                       for method in OWN_METHODS)  # without the closing brace: more keys follow
        return isinstance(message, bytes) and message.startswith(self._own_prefixes)

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


def flush_outbox(socketio, timeout: float) -> bool:
    """Wait until this process's emits so far are published to Redis or dropped; False if `timeout` passed first.

    Without scale-out (no Redis message queue) there is nothing to publish: True at once.
    """
    manager = socketio.server.manager
    if not isinstance(manager, ResilientRedisManager):
        return True
    return manager.flushed(timeout)
