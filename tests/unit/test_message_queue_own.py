"""A process drops its own messages coming back from Redis (realtime/message_queue.py `is_own`), and only those.

Messages here are what python-socketio's PubSubManager hands to `_publish`, encoded as the publisher
sends them (`_encode`) or in another layout; no Redis is needed to tell them apart.
"""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
import socketio

from server.realtime.message_queue import ResilientRedisManager


class SortedJSON:
    """A JSON module that sorts keys (as Flask's provider does): another serialized layout."""

    @staticmethod
    def dumps(*args, **kwargs):
        return json.dumps(*args, sort_keys=True, **kwargs)

    loads = staticmethod(json.loads)


def process() -> tuple[ResilientRedisManager, list[dict]]:
    """A bound manager that keeps what it would publish (its `_publish` replaced), and that list."""
    manager = ResilientRedisManager("redis://localhost:6379/0", "own-test")
    socketio.Server(client_manager=manager, async_mode="threading")
    published: list[dict] = []
    manager._publish = published.append
    return manager, published


@pytest.fixture
def here():
    return process()


@pytest.fixture
def there():
    return process()


def wire(manager: ResilientRedisManager, message: dict) -> bytes:
    """The bytes Redis delivers for a message `manager` published."""
    return manager._encode(message).encode()


def test_own_emits_and_room_changes_are_dropped_other_hosts_kept(here, there):
    (here_q, here_out), (there_q, there_out) = here, there
    here_q.emit("event", {"seq": 1}, room="board:1")
    here_q.close_room("board:1")
    here_q.disconnect("sid-elsewhere")
    there_q.emit("event", {"seq": 2}, room="board:1")
    mine, theirs = [wire(here_q, m) for m in here_out], [wire(there_q, m) for m in there_out]
    assert [here_q.is_own(m) for m in mine] == [True, True, True]
    assert [there_q.is_own(m) for m in mine] == [False, False, False]
    assert [here_q.is_own(m) for m in theirs] == [False]
    assert json.loads(mine[0]) == here_out[0]  # the same message, only its keys reordered


def test_a_callback_addressed_to_this_process_is_kept(here, there):
    (here_q, _), (there_q, there_out) = here, there
    there_q._return_callback(here_q.host_id, "sid-here", "/", 7, "ok")  # a client over there acked our emit
    (callback,) = there_out
    assert callback["method"] == "callback" and callback["host_id"] == here_q.host_id
    assert not here_q.is_own(wire(there_q, callback))
    assert not here_q.is_own(json.dumps(callback).encode())  # as a stock python-socketio process writes it
    assert not here_q.is_own(SortedJSON.dumps(callback).encode())  # keys sorted: "args" first


def test_another_layout_never_drops_another_hosts_message(here, there):
    (here_q, _), (there_q, there_out) = here, there
    there_q.emit("event", {"host_id": here_q.host_id, "method": "emit"}, room="board:1")  # our id inside their data
    (emit,) = there_out
    for layout in (json.dumps, SortedJSON.dumps, lambda m: json.dumps(m, separators=(",", ":")), there_q._encode):
        assert not here_q.is_own(layout(emit).encode())


def test_own_messages_in_another_layout_are_left_to_python_socketio(here):
    here_q, here_out = here
    here_q.emit("event", {"seq": 1}, room="board:1")
    (emit,) = here_out
    assert not here_q.is_own(json.dumps(emit).encode())  # kept: python-socketio's listener drops it by its host_id
    assert not here_q.is_own(here_q._encode(emit))  # str, not what redis-py delivers: kept too


def test_a_sorting_json_module_keeps_everything_and_loses_nothing(monkeypatch):
    # Server(json=...) sets python-socketio's JSON module for the whole process: patched here, undone after.
    monkeypatch.setattr(socketio.packet.Packet, "json", SortedJSON)
    here_q, here_out = process()
    here_q.emit("event", {"seq": 1}, room="board:1")
    (emit,) = here_out
    encoded = wire(here_q, emit)
    assert not here_q.is_own(encoded) and json.loads(encoded) == emit  # sorted keys: no prefix to trust


def test_the_listener_yields_only_what_is_not_own(here, there, monkeypatch):
    (here_q, here_out), (there_q, there_out) = here, there
    here_q.emit("event", {"seq": 1}, room="board:1")
    there_q.emit("event", {"seq": 2}, room="board:1")
    there_q._return_callback(here_q.host_id, "sid-here", "/", 7, "ok")
    messages = [wire(here_q, here_out[0]), *(wire(there_q, m) for m in there_out)]
    channel = here_q.channel.encode()
    monkeypatch.setattr(here_q, "_redis_listen_with_retries",
                        lambda: iter([{"channel": channel, "type": "message", "data": m} for m in messages]))
    here_q.pubsub = SimpleNamespace(unsubscribe=lambda channel: None)  # upstream's `_listen` unsubscribes at the end
    assert list(here_q._listen()) == messages[1:]
