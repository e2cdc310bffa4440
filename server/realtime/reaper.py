"""Presence within the ping timeout however a socket dies: close and forget dead sockets, several times per ping timeout.

engineio closes a socket that missed its pong only when its service task comes round to it (it walks
every socket once per ping timeout) or when something is sent to it, and a socket whose connection
ended without engineio's close (a handler that raised) is never forgotten at all. The reaper runs
four times per ping timeout (started by the first connect, for as long as its server is the bound one) and settles both.
"""
from __future__ import annotations

import logging
import threading
import time
import weakref

from . import connections
from .connections import announce_if_offline

log = logging.getLogger(__name__)


def dead_sids(socketio) -> list[str]:
    """Authenticated sockets whose Engine.IO connection is gone, closing, or past its ping timeout.

    engineio closes a socket that missed its pong only when its service task comes round to it (it
    walks every socket once per ping timeout) or when something is sent to it: up to ping interval +
    2 × ping timeout. Past the ping timeout it counts here as dead, and `reap` closes it.
    """
    server = socketio.server
    timeout = server.eio.ping_timeout
    now = time.time()
    dead = []
    for sid in connections.sids():
        eio_sid = server.manager.eio_sid_from_sid(sid, "/")
        socket = server.eio.sockets.get(eio_sid) if eio_sid is not None else None
        # Still in its connect handler (python-socketio's "pre-connected"), a socket is alive: under load
        # that handler waits on the database and Redis for a while, and reaping it there refused a live client.
        attached = server.manager.is_connected(sid, "/") or server.manager.is_pre_connected(sid, "/")
        if (socket is None or socket.closed or socket.closing or not attached
                or (socket.last_ping and now - socket.last_ping > timeout)):
            dead.append(sid)
    return dead


def reap(socketio) -> int:
    """Close and forget the dead sockets `dead_sids` finds, announce who went offline; how many were forgotten."""
    server = socketio.server
    forgotten = 0
    for sid in dead_sids(socketio):
        eio_sid = server.manager.eio_sid_from_sid(sid, "/")
        socket = server.eio.sockets.get(eio_sid) if eio_sid is not None else None
        if socket is not None and not socket.closed and not socket.closing:
            socket.close(wait=False, abort=True, reason=server.eio.reason.PING_TIMEOUT)  # runs its disconnect
        conn = connections.remove(sid)
        if conn is not None:
            forgotten += 1
            if conn.actor.participant_id is not None:
                announce_if_offline(conn.actor.board_id, conn.actor.participant_id)
    return forgotten


_lock = threading.Lock()
_reaping: weakref.WeakSet = weakref.WeakSet()  # the python-socketio servers that have a reaper running


def start_reaper(socketio, interval_s: float):
    """Once per bound server: every `interval_s`, settle the presence of sockets that died (see `dead_sids`).

    The reaper belongs to the python-socketio server `socketio` is bound to now and stops once it is
    bound to another one or to none (tests build many apps in one process); the task, or None if one runs.
    """
    server = socketio.server
    with _lock:
        if server in _reaping:
            return None
        _reaping.add(server)
    return server.start_background_task(_reap_forever, socketio, server, interval_s)


def _reap_forever(socketio, server, interval_s: float) -> None:
    try:
        while True:
            server.sleep(interval_s)
            if socketio.server is not server:  # its app's server was replaced or unbound: stop with it
                return
            try:
                forgotten = reap(socketio)
                if forgotten:
                    log.warning("presence: forgot %d socket(s) whose connection died without a disconnect", forgotten)
            except Exception as exc:  # noqa: BLE001 - try again at the next round
                log.warning("presence reaper round failed: %s: %s", exc.__class__.__name__, exc)
    finally:
        with _lock:
            _reaping.discard(server)  # bound again later (a test's monkeypatch undone): the next connect restarts it
