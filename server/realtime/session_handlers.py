"""Connect, disconnect, resync, and the catch-all that refuses unknown events."""
from __future__ import annotations

import logging

from flask import request
from flask_socketio import ConnectionRefusedError, join_room

from .. import metrics
from ..domain.errors import DomainError
from ..domain.clock import iso, utcnow
from ..services import identity, sync
from ..protection import outages, rate_limits
from . import connections, dispatch, map_presence, reaper
from .dispatch import database, error_ack, settings
from .hub import board_room, socketio
from .payloads import SyncRequest

log = logging.getLogger(__name__)


@socketio.on("connect")
def on_connect(auth=None):
    """Authenticate with {board, token}; join the board's room; announce presence."""
    if not isinstance(auth, dict) or not isinstance(auth.get("board"), str) or not isinstance(auth.get("token"), str):
        raise ConnectionRefusedError("connect with {board, token}", {"code": "unauthorised", "message": "connect with {board, token}"})
    address = rate_limits.client_address(request.environ)
    try:
        if outages.is_down(outages.REDIS):  # scale-out without Redis: no broadcast would reach this socket
            raise outages.unavailable_error(outages.REDIS)
        rate_limits.check_address("connects", address)
        with rate_limits.code_lookup(address):  # a wrong board code spends the address's guess budget
            actor, code = identity.authenticate(database(), auth["board"][:32], auth["token"][:128])
    except DomainError as exc:
        metrics.REJECTIONS.labels(code=exc.code).inc()
        typed = auth["board"][:16]  # what the client sent: into the log only if it looks like a code
        log.info("connect refused: %s", exc.code, extra={"board": typed if typed.isalnum() else "?"})
        # (message, data): the client reads `err.data.code`; one argument alone would arrive as its str().
        raise ConnectionRefusedError(exc.message, exc.as_dict()) from None
    except Exception as exc:
        dependency = outages.dependency_of(exc)
        if dependency is None:
            raise
        outages.failed(dependency, exc)
        error = outages.unavailable_error(dependency)
        raise ConnectionRefusedError(error.message, error.as_dict()) from None
    # Presence within the ping timeout however a socket dies (checked 4 times per ping timeout).
    reaper.start_reaper(socketio, settings().ping_timeout_s / 4)
    conn = connections.Connection(request.sid, actor, code, address)
    came_online = connections.add(conn)
    if outages.is_down(outages.REDIS):  # Redis went away during this connect: come back once it is back
        connections.remove(conn.sid)
        error = outages.unavailable_error(outages.REDIS)
        raise ConnectionRefusedError(error.message, error.as_dict())
    log.info("connected as %s", actor.role.value, extra={"board": code})
    join_room(board_room(actor.board_id))
    join_room(map_presence.undeclared_room(actor.board_id))  # every drag until it sends map_presence
    if came_online:
        connections.announce(actor.board_id, actor.participant_id, True)


@socketio.on("disconnect")
def on_disconnect(reason=None):
    """Forget the socket; announce, later and apart, when its participant has no socket left.

    Never raises and never sends from here: a broadcast made inside a disconnect reaches other sockets
    whose ping timed out, engineio closes each of them on the spot and runs *their* disconnect inside
    this one, and so on: 200 dropped laptops nested 200 disconnects deep (RecursionError; the sockets
    after it stayed "online"). The announcement runs in its own task, after this handler returned.
    """
    try:
        conn = connections.remove(request.sid)
        if conn is not None:
            log.info("disconnected (%s)", reason, extra={"board": conn.board_code})
        if conn is not None and conn.actor.participant_id is not None:
            socketio.start_background_task(connections.announce_if_offline, conn.actor.board_id, conn.actor.participant_id)
    except Exception as exc:  # noqa: BLE001 - the reaper (reaper.py) settles what is left
        log.warning("disconnect of %s not fully handled: %s: %s", request.sid, exc.__class__.__name__, exc)


@dispatch.request("sync", SyncRequest, limit=rate_limits.check_sync)
def on_sync(conn: connections.Connection, payload: SyncRequest) -> dict:
    """Catch up from the client's last seq: the missing events, or a snapshot; plus who is online."""
    reply = sync.catch_up(database(), conn.actor, payload.since, settings().replay_limit)
    # server_now: clients count the shared timer down on server time (offset = server_now - their clock).
    reply.update(online=connections.online_ids(conn.actor.board_id), server_now=iso(utcnow()))
    return reply


@socketio.on("*")
def on_unknown(event, *args):
    """Any event nobody handles gets a clear error ack."""
    try:
        rate_limits.check_command(request.sid)  # a flood of made-up events is a flood like any other
    except DomainError as exc:
        return {"ok": False, "error": exc.as_dict()}
    return error_ack("unknown_event", f"unknown event: {str(event)[:40]}", event=str(event)[:40])


@socketio.on_error_default
def on_handler_error(exc):
    """Safety net: a handler that fails still answers (a refused connection on connect), never silence."""
    if (getattr(request, "event", None) or {}).get("message") == "connect":
        log.exception("connect failed")
        return False
    log.exception("socket event failed")
    return error_ack("server_error", "the server could not handle this message; try again")
