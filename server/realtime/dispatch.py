"""One pipeline for every client message that gets an ack.

`command`: validate, rate-limit, authorise, call the service, broadcast, ack with the `seq`.
`request`: the same checks for a read-only request (`vote_mine`, `clock`, ...), answered in the ack,
never logged, never broadcast.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

from flask import current_app
from flask import request as socket_request
from pydantic import BaseModel, ValidationError

from .. import metrics
from ..domain.actors import Actor
from ..domain.errors import DomainError
from ..services.commands import CommandResult, serving_command
from ..protection import outages, rate_limits
from . import connections, drain, fanout
from .hub import broadcast_event, send_ephemeral, send_event, socketio
from ..protection.payloads import validation_error

log = logging.getLogger(__name__)

# name -> payload model; the list of client commands lives in events.py and is checked against this.
REGISTERED: dict[str, type[BaseModel]] = {}
# name -> payload model of the read-only requests registered with `request` (events.REQUESTS lists them all).
REQUESTS: dict[str, type[BaseModel]] = {}

Handler = Callable[[Actor, BaseModel], CommandResult]
RequestHandler = Callable[[connections.Connection, BaseModel], dict]
TOO_MANY_ARGUMENTS = "send exactly one JSON object"
SERVER_ERROR = {"command": "the server could not apply this change; try again",
                "request": "the server could not answer this request; try again"}


def error_ack(code: str, message: str, **params: object) -> dict:
    """An error acknowledgement."""
    return {"ok": False, "error": {"code": code, "message": message, "params": params}}


def current_connection() -> connections.Connection:
    """The authenticated connection of the socket being served."""
    conn = connections.get(socket_request.sid)
    if conn is None:
        raise DomainError("unauthorised", "not connected to a board")
    return conn


def settings():
    """The process settings (from the app)."""
    return current_app.extensions["snowball"].settings


def database():
    """The process database (from the app)."""
    return current_app.extensions["snowball"].db


def _serve(name: str, kind: str, args: tuple, model: type[BaseModel], fn: Callable,
           limit: Callable[[str], None] = rate_limits.check_command) -> tuple[bool, object, object]:
    """Check and run one acked message: (True, connection, fn's result), or (False, None, the error ack).

    The rules every command and request share: the socket must be authenticated, the connection's
    rate limit counts the message, exactly one argument (a JSON object, or null/nothing for `{}`)
    parsed by `model`; a `DomainError` is answered with its code, anything unexpected with a generic
    `server_error` (and a traceback in the log): the server keeps serving and never stays silent.
    """
    # A client may send any number of arguments; only one object is a valid payload.
    data = args[0] if args else None
    # Draining (SIGTERM): held unanswered until the socket closes; the client resends it (same op_id).
    with drain.serving(socketio.sleep), metrics.timed(metrics.ACK_SECONDS, kind=kind):
        try:
            conn = current_connection()
            limit(socket_request.sid)
            if len(args) > 1:
                raise DomainError("invalid_payload", TOO_MANY_ARGUMENTS, field="payload")
            payload = model.model_validate(data if data is not None else {})
            result = fn(conn, payload)
            if outages.is_down(outages.DATABASE):
                outages.recovered(outages.DATABASE)  # this message reached the database: it is back
        except ValidationError as exc:
            return _refused(name, {"ok": False, "error": validation_error(exc, model)})
        except DomainError as exc:
            return _refused(name, {"ok": False, "error": exc.as_dict()})
        except Exception as exc:  # the server keeps serving; the client sees a clear, generic error
            dependency = outages.dependency_of(exc)
            if dependency is not None:  # the database (or Redis) away: one log line per outage, retry later
                outages.failed(dependency, exc)
                return _refused(name, {"ok": False, "error": outages.unavailable_error(dependency).as_dict()})
            log.exception("%s %s failed", kind, name)
            metrics.COMMANDS.labels(name=name, result="error").inc()
            return False, None, error_ack("server_error", SERVER_ERROR[kind])
    metrics.COMMANDS.labels(name=name, result="duplicate" if getattr(result, "duplicate", False) else "ok").inc()
    return True, conn, result


def _refused(name: str, ack: dict) -> tuple[bool, None, dict]:
    """Count (and, for rate limits, log) a refused message; pass its error ack on."""
    code = ack["error"]["code"]
    metrics.COMMANDS.labels(name=name, result="refused").inc()
    metrics.REJECTIONS.labels(code=code).inc()
    if code == "rate_limited":
        log.info("%s refused: rate_limited", name)
    else:
        log.debug("%s refused: %s", name, code)
    return False, None, ack


def broadcast_committed(board_id: int, frame: dict, origin: str | None) -> None:
    """Queue a committed event for the board's fan-out, in commit order; its sender gets it after the ack.

    Called by `services.commands` right after each commit (under eventlet and gevent, inside the
    combined write loop; in threading mode the committing thread sends at once). The write loop only
    appends: one flusher task (`flush_pending`) sends
    everything committed since its last turn, in seq order, once the loop has handed the process
    back. So the write loop holds the write gate for its transactions only, and on eventlet the
    events committed in one hub cycle leave as one write per socket (`fanout.coalesced`): at 1,000
    sockets, k events cost 1,000 system calls, not 1,000 × k. One flusher at a time, each taking all
    that waits, so two flushes never swap events. The sender's own copy goes after its ack
    (`command` below), so its screen swaps the pending item for the real one without showing both.
    `origin` is the sender's socket id, carried with the command (`serving_command`); None for an HTTP join.
    """
    _with_next_flush(lambda: broadcast_event(board_id, frame, skip_sid=origin), f"seq {frame.get('seq')}")


def relay_with_next_flush(rooms: list[str], name: str, data: dict, skip_sid: str | None = None) -> None:
    """Send ephemeral traffic (a drag frame) with the next flush: a viewer gets it in the same write as the events."""
    _with_next_flush(lambda: send_ephemeral(rooms, name, data, skip_sid=skip_sid), name)


def _with_next_flush(send: Callable[[], None], what: str) -> None:
    with _pending_lock:
        _pending.append((send, what))
        start = not _flush_scheduled[0]
        _flush_scheduled[0] = True
    if not start:
        return
    if socketio.server is not None and socketio.server.eio.async_mode in GREEN_MODES:
        socketio.start_background_task(flush_pending)
    else:  # threading (development, in-process tests): no write loop to leave, send from the committing thread
        flush_pending()


_pending: list[tuple[Callable[[], None], str]] = []  # committed events (and relays), not yet sent, in order
_pending_lock = threading.Lock()  # green under eventlet and gevent; a real lock in threading mode
_flush_lock = threading.Lock()    # one flusher at a time: flushes never swap
_flush_scheduled = [False]
GREEN_MODES = ("eventlet", "gevent")


def flush_pending() -> None:
    """Send every committed event (and drag relay) waiting, in order: one write per socket for all of them on eventlet.

    The flusher task runs it; a draining server calls it too, so the last commits leave before the sockets close.
    """
    with _flush_lock:
        with _pending_lock:
            batch = list(_pending)
            _pending.clear()
            _flush_scheduled[0] = False
        if not batch:
            return
        with metrics.timed(metrics.FANOUT_SECONDS), fanout.coalesced():
            for send, what in batch:
                try:
                    send()
                except Exception:  # noqa: BLE001 - committed is committed: clients fetch a lost broadcast on the next gap
                    log.exception("broadcast of %s failed", what)


def _send_to_sender(sid: str, frame: dict) -> None:
    try:
        send_event(sid, frame)
    except Exception:  # noqa: BLE001 - the sender fetches it on its next gap or sync
        log.exception("event seq %s to its sender failed", frame.get("seq"))


def _run_command(name: str, fn: Handler, conn: connections.Connection, payload: BaseModel) -> CommandResult:
    op_id = getattr(payload, "op_id", None)
    if op_id is None:
        return fn(conn.actor, payload)
    # What this op_id stands for (the same op_id later with another command is `op_id_conflict`) and
    # who sent it: the commit listener leaves that socket out, it gets its copy after the ack.
    with serving_command(name, payload.model_dump(mode="json"), origin=conn.sid):
        return fn(conn.actor, payload)


def _register(name: str, model: type[BaseModel], fn: Callable, handle: Callable, registry: dict) -> Callable:
    """Serve event `name` with `handle` (named and documented after `fn`), and list it in `registry`."""
    handle.__name__ = f"on_{name}"
    handle.__doc__ = fn.__doc__
    registry[name] = model
    socketio.on_event(name, handle)
    return fn


def command(name: str, model: type[BaseModel]) -> Callable[[Handler], Handler]:
    """Register `fn(actor, payload) -> CommandResult` as the handler of client command `name`."""

    def register(fn: Handler) -> Handler:
        def handle(*args):
            ok, conn, result = _serve(name, "command", args, model, lambda conn, payload: _run_command(name, fn, conn, payload))
            if not ok:
                return result
            if not result.duplicate:
                # The board had it at commit (broadcast_committed); the sender's copy follows its ack.
                socketio.start_background_task(_send_to_sender, conn.sid, result.event)
            ack = {"ok": True, "seq": result.seq, "duplicate": result.duplicate}
            if result.result is not None:
                ack["result"] = result.result
            return ack

        return _register(name, model, fn, handle, REGISTERED)

    return register


def request(name: str, model: type[BaseModel],
            limit: Callable[[str], None] = rate_limits.check_command) -> Callable[[RequestHandler], RequestHandler]:
    """Register `fn(connection, payload) -> dict` as the handler of read-only request `name`.

    The same checks as a command (one argument, rate limit, validation, error acks); the dict `fn`
    returns is the ack's body: the client gets `{"ok": true, **body}`. Nothing is logged or broadcast.
    `limit(sid)` counts the request against the connection's budget (`rate_limits.check_sync` for sync).
    """

    def register(fn: RequestHandler) -> RequestHandler:
        def handle(*args):
            ok, _conn, body = _serve(name, "request", args, model, fn, limit)
            return {"ok": True, **body} if ok else body

        return _register(name, model, fn, handle, REQUESTS)

    return register
