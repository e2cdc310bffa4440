"""The drain's one question to the message queue (realtime/message_queue.py `flush_outbox`), with and without scale-out."""
from __future__ import annotations

import threading
from types import SimpleNamespace

import socketio

from server.realtime.message_queue import ResilientRedisManager, flush_outbox

TIMEOUT_S = 10


def test_without_scale_out_there_is_nothing_to_flush():
    assert flush_outbox(SimpleNamespace(server=socketio.Server(async_mode="threading")), 0) is True


def test_with_scale_out_it_waits_for_the_publisher_and_says_when_it_did_not_finish(monkeypatch):
    manager = ResilientRedisManager("redis://localhost:6379/0", "flush-test")
    bound = SimpleNamespace(server=socketio.Server(client_manager=manager, async_mode="threading"))
    release, sent = threading.Event(), []

    def slow_send(batch: list) -> None:  # Redis answering only once released
        release.wait(TIMEOUT_S)
        sent.extend(batch)

    monkeypatch.setattr(manager, "_send", slow_send)
    manager.emit("event", {"seq": 1}, room="board:1")
    assert flush_outbox(bound, 0.05) is False  # still being sent
    release.set()
    assert flush_outbox(bound, TIMEOUT_S) is True
    assert [message["data"] for message in sent] == [[{"seq": 1}]]
