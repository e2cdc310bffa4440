"""Every subsystem of a process, set up in one place and in order: the composition root's one module.

Nothing else imports a sibling layer to dodge a loop: the transports (http, realtime) do not know
each other, the layers below know neither, and what they must tell each other (the commit listener,
the metrics' and logs' view of the sockets) is registered here.
"""
from __future__ import annotations

from flask import Flask

from . import logs, metrics
from .config import Settings
from .http import api, downloads, errors, ops, pages, qr
from .protection import headers, outages, rate_limits
from .realtime import backpressure, connections, dispatch, events, fanout, frame_guard, gevent_ws, hub, presence, removals
from .realtime import map_handlers, project_handlers, session_handlers, show_handlers, vote_handlers, wire_guard
from .realtime import ws_policy
from .realtime.message_queue import ResilientRedisManager
from .services import commands, snapshot
from .services.maps.snapshot_part import tribe_maps_part
from .services.show.snapshot_part import show_part
from .services.votes.views import vote_snapshot

HTTP_BLUEPRINTS = (pages.bp, api.bp, qr.bp, downloads.bp, ops.bp)  # pages, API, the join QR code, exports, /healthz
# Each module registers its socket events with `dispatch.command` / `dispatch.request` / `socketio.on`
# as it loads: importing it is its registration, so every one is named here.
HANDLER_MODULES = (session_handlers, project_handlers, vote_handlers, map_handlers, show_handlers)
# Every part of a snapshot, by the name `services.snapshot.DECLARED_PARTS` declares.
SNAPSHOT_PARTS = {"votes": vote_snapshot, "tribe_maps": tribe_maps_part, "show": show_part}


class RegistrationError(RuntimeError):
    """A capability is half registered: the process refuses to start rather than serve without it."""


def register_snapshot_parts() -> None:
    """Register every capability's part of the snapshot (a test that builds snapshots without an app calls this)."""
    for name, part in SNAPSHOT_PARTS.items():
        snapshot.register_part(name, part)


def check_registrations() -> None:
    """Every protocol name has its handler and every declared snapshot part its function, or RegistrationError."""
    problems = []
    for kind, listed, served in (("command", events.COMMANDS, dispatch.REGISTERED),
                                 ("request", events.REQUESTS, dispatch.REQUESTS)):
        problems += [f"{kind} {name!r} has no handler" for name in listed if name not in served]
        problems += [f"{kind} {name!r} is not listed in realtime/events.py" for name in served if name not in listed]
    problems += [f"snapshot part {name!r} is not registered" for name in snapshot.missing_parts()]
    if problems:
        raise RegistrationError("; ".join(problems))


def register_capabilities() -> None:
    """Register the snapshot parts (HANDLER_MODULES registered their events when imported above), then check all."""
    register_snapshot_parts()
    check_registrations()


def wire(app: Flask, settings: Settings) -> None:
    """Set up HTTP, the protection both transports share, the Socket.IO hub and what they report."""
    for blueprint in HTTP_BLUEPRINTS:
        app.register_blueprint(blueprint)
    headers.install(app)
    # Per-address rate limits and the wrong-code budget of the public endpoints (429 + Retry-After).
    rate_limits.configure(settings.redis_url, settings.trusted_proxies, settings.rate_limit_exempt,
                          settings.failed_lookup_limits, settings.sync_limits)
    rate_limits.install_http(app)
    errors.install(app)  # JSON for every unhandled error; 503 `unavailable` while Redis or the database is away
    register_capabilities()  # handlers and snapshot parts, checked against the protocol's lists
    _bind_socketio(app, settings)
    # Every committed event, HTTP joins included, fanned out in commit order, its sender left out.
    commands.on_commit(dispatch.broadcast_committed)
    metrics.read_live_state_from(connections=connections.count, boards=connections.board_count,
                                 outbox_drops=backpressure.dropped_count)
    logs.read_socket_board_from(_board_of_socket)


def _bind_socketio(app: Flask, settings: Settings) -> None:
    """Bind Socket.IO to the app: async mode, message queue for scale-out, payload limit, frame guards."""
    socketio = hub.socketio
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
    fanout.install(socketio.server.eio)  # eventlet: a frame built once per packet, written at once to idle sockets
    # Last, so it wraps whatever WebSocket app is in place: a connection that stops reading is dropped.
    backpressure.install(socketio.server.eio)
    # A frame that is not an Engine.IO packet closes its WebSocket (1002) instead of a 500 written into it.
    frame_guard.install(socketio.server.eio)
    # A packet python-socketio cannot read gets an error ack instead of silence.
    wire_guard.install(socketio.server)
    # Long-polling answers bypass Flask's after_request: they get their headers here.
    app.wsgi_app = headers.socket_headers(frame_guard.polling_guard(app.wsgi_app, socketio.server.eio))
    presence.configure(settings, socketio)
    removals.configure(settings)  # scale-out: a removed participant's sockets close on every process
    if queue is not None:
        _watch_redis(settings.redis_url, queue)


def _watch_redis(url: str, queue: ResilientRedisManager) -> None:
    """Scale-out: when Redis goes away, close every socket here (clients reconnect, and are told to wait,
    until it is back: no broadcast could reach them meanwhile); when it is back, rewrite this process's presence."""
    socketio = hub.socketio
    outages.watch_redis(url, socketio, ready=lambda: queue.subscribed)
    outages.on_down(outages.REDIS, lambda: socketio.start_background_task(hub.close_every_socket))
    outages.on_back(outages.REDIS, lambda: presence.store() is not None and presence.store().restore())


def _board_of_socket(sid: str) -> str | None:
    """The board code of an authenticated socket (for log lines)."""
    conn = connections.get(sid)
    return conn.board_code if conn else None
