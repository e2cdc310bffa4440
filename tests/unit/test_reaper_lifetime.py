"""The presence reaper (realtime/reaper.py) lives as long as its server is the bound one, and each bound server gets one."""
from __future__ import annotations

import threading
from types import SimpleNamespace

import pytest
import socketio

from server.realtime import reaper

INTERVAL_S = 0.01
TIMEOUT_S = 10


@pytest.fixture
def rounds(monkeypatch):
    """Counts the reaper's rounds; `rounds.reached(n)` waits until n rounds ran."""
    done = {"count": 0}
    changed = threading.Condition()

    def counting_reap(_socketio) -> int:
        with changed:
            done["count"] += 1
            changed.notify_all()
        return 0

    def reached(count: int) -> bool:
        with changed:
            return changed.wait_for(lambda: done["count"] >= count, TIMEOUT_S)

    monkeypatch.setattr(reaper, "reap", counting_reap)
    return SimpleNamespace(reached=reached)


@pytest.fixture
def thread_errors(monkeypatch):
    """Exceptions that ended a thread during the test."""
    errors = []
    monkeypatch.setattr(threading, "excepthook", lambda args: errors.append(args.exc_value))
    return errors


def test_the_reaper_stops_without_an_error_once_its_server_is_unbound(rounds, thread_errors):
    bound = SimpleNamespace(server=socketio.Server(async_mode="threading"))  # what Flask-SocketIO's `socketio` holds
    task = reaper.start_reaper(bound, INTERVAL_S)
    assert task is not None and rounds.reached(2)
    bound.server = None  # a test unbinding the process-wide Socket.IO object, as tests/integration/test_extending.py does
    task.join(TIMEOUT_S)
    assert not task.is_alive()
    assert thread_errors == []


def test_one_reaper_per_bound_server_and_a_new_one_for_the_next_app(rounds, thread_errors):
    first = socketio.Server(async_mode="threading")
    bound = SimpleNamespace(server=first)
    task = reaper.start_reaper(bound, INTERVAL_S)
    assert task is not None
    assert reaper.start_reaper(bound, INTERVAL_S) is None  # every connect asks; one reaper runs
    bound.server = socketio.Server(async_mode="threading")  # the next app in this process binds its own server
    task.join(TIMEOUT_S)
    assert not task.is_alive()  # the first app's reaper ended with its server
    second = reaper.start_reaper(bound, INTERVAL_S)
    assert second is not None and second.is_alive()
    bound.server = first  # bound again (a monkeypatch undone): its reaper had stopped, so it starts again
    second.join(TIMEOUT_S)
    again = reaper.start_reaper(bound, INTERVAL_S)
    assert again is not None
    bound.server = None
    again.join(TIMEOUT_S)
    assert not again.is_alive() and thread_errors == []
