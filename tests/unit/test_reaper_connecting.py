"""The presence reaper (realtime/reaper.py) leaves a socket alone while its connect handler runs."""
from __future__ import annotations

from types import SimpleNamespace

import socketio

from server.domain.actors import Actor, Role
from server.realtime import connections, presence
from server.realtime.reaper import dead_sids


def test_a_socket_still_in_its_connect_handler_is_not_dead():
    assert presence.store() is None  # counts in memory only
    server = socketio.Server(async_mode="threading")
    engine_socket = SimpleNamespace(closed=False, closing=False, last_ping=None)
    server.eio.sockets["eio-1"] = engine_socket
    sid = server.manager.pre_connect("eio-1", "/")  # what python-socketio does before calling `connect`
    connections.add(connections.Connection(sid, Actor(board_id=1, role=Role.PARTICIPANT, participant_id=5), "CODE", "addr"))
    try:
        assert dead_sids(SimpleNamespace(server=server)) == []
        server.manager.connect(sid, "/")  # the handler returned: connected
        assert dead_sids(SimpleNamespace(server=server)) == []
        engine_socket.closed = True
        assert dead_sids(SimpleNamespace(server=server)) == [sid]
    finally:
        connections.remove(sid)
