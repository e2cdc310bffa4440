"""The process's Socket.IO server and the one way events leave it."""
from __future__ import annotations

from flask import Flask
from flask_socketio import SocketIO

from ..config import Settings
from . import backpressure
from . import frame_guard
from . import gevent_ws
from . import outages
from . import wire_guard
from . import ws_policy
from .message_queue import ResilientRedisManager

socketio = SocketIO()


def board_room(board_id: int) -> str:
    """Every connection on a board joins this room."""
    return f"board:{board_id}"


def init_hub(app: Flask, settings: Settings) -> SocketIO:
    """Bind Socket.IO to the app: async mode, message queue for scale-out, payload limit."""
    outages.reset()
    queue = ResilientRedisManager(settings.redis_url, settings.redis_channel) if settings.redis_url else None
    # several processes: one Redis channel, and no long-polling (no sticky sessions)
    scale_out = {"client_manager": queue, "transports": ["websocket"]} if queue is not None else {}
    socketio.init_app(
        app,
        async_mode=settings.async_mode,
        max_http_buffer_size=settings.max_payload_bytes,
        ping_interval=settings.ping_interval_s,
        ping_timeout=settings.ping_timeout_s,
        **scale_out,
    )
    ws_policy.install(socketio.server, settings.ws_compression, settings.ws_compression_threshold)
    # gevent: whole WebSocket frames even past the send buffer, and the same TCP_NODELAY and compression
    gevent_ws.install(socketio.server.eio, settings.ws_compression, settings.ws_compression_threshold)
    # Last, so it wraps whatever WebSocket app is in place: a connection that stops reading is dropped.
    backpressure.install(socketio.server.eio)
    # A frame that is not an Engine.IO packet closes its WebSocket (1002) instead of a 500 written into it.
    frame_guard.install(socketio.server.eio)
    # A packet python-socketio cannot read gets an error ack instead of silence.
    wire_guard.install(socketio.server)
    from ..http.security import socket_headers  # long-polling answers bypass Flask's after_request

    app.wsgi_app = socket_headers(frame_guard.polling_guard(app.wsgi_app, socketio.server.eio))
    from . import presence  # presence announces through this module: imported here, not at load

    presence.configure(settings, socketio)
    from . import removals

    removals.configure(settings)  # scale-out: a removed participant's sockets close on every process
    if queue is not None:
        _watch_redis(settings.redis_url, queue, presence)
    from ..services import commands
    from .dispatch import broadcast_committed

    commands.on_commit(broadcast_committed)  # every committed event, HTTP joins included, in commit order
    return socketio


def _watch_redis(url: str, queue: ResilientRedisManager, presence) -> None:
    """Scale-out: when Redis goes away, close every socket here (clients reconnect, and are told to wait,
    until it is back: no broadcast could reach them meanwhile); when it is back, rewrite this process's presence."""
    outages.watch_redis(url, socketio, ready=lambda: queue.subscribed)
    outages.on_down(outages.REDIS, lambda: socketio.start_background_task(close_every_socket))
    outages.on_back(outages.REDIS, lambda: presence.store() is not None and presence.store().restore())


def close_every_socket() -> int:
    """Close every Engine.IO connection of this process ("transport close": clients reconnect by themselves)."""
    closed = 0
    for sock in list(socketio.server.eio.sockets.values()):
        if not sock.closed and not sock.closing:
            sock.close(wait=False, abort=False)  # an Engine.IO CLOSE packet, then the WebSocket ends
            closed += 1
    return closed


def broadcast_event(board_id: int, frame: dict, skip_sid: str | None = None) -> None:
    """Send one sequenced event to everyone on the board (after its transaction committed)."""
    socketio.emit("event", frame, to=board_room(board_id), skip_sid=skip_sid)


def send_event(sid: str, frame: dict) -> None:
    """Send one sequenced event to one socket (a command's sender, after its ack)."""
    socketio.emit("event", frame, to=sid)


def broadcast_ephemeral(board_id: int, name: str, data: dict, skip_sid: str | None = None) -> None:
    """Send unsequenced, unstored traffic (presence, drags, typing) to the board."""
    socketio.emit(name, data, to=board_room(board_id), skip_sid=skip_sid)
