"""One pipeline for every command: validate, rate-limit, authorise, call the service, broadcast, ack."""
from __future__ import annotations

import logging
from typing import Callable

from flask import current_app, request
from pydantic import BaseModel, ValidationError

from ..domain.actors import Actor
from ..domain.errors import DomainError
from ..services.commands import CommandResult
from . import connections, rate_limits
from .hub import broadcast_event, socketio
from .payloads import validation_error

log = logging.getLogger(__name__)

# name -> payload model; the list of client commands lives in events.py and is checked against this.
REGISTERED: dict[str, type[BaseModel]] = {}

Handler = Callable[[Actor, BaseModel], CommandResult]


def error_ack(code: str, message: str, **params: object) -> dict:
    """An error acknowledgement."""
    return {"ok": False, "error": {"code": code, "message": message, "params": params}}


def current_connection() -> connections.Connection:
    """The authenticated connection of the socket being served."""
    conn = connections.get(request.sid)
    if conn is None:
        raise DomainError("unauthorised", "not connected to a board")
    return conn


def settings():
    """The process settings (from the app)."""
    return current_app.extensions["snowball"].settings


def database():
    """The process database (from the app)."""
    return current_app.extensions["snowball"].db


def command(name: str, model: type[BaseModel]) -> Callable[[Handler], Handler]:
    """Register `fn(actor, payload) -> CommandResult` as the handler of client command `name`."""

    def register(fn: Handler) -> Handler:
        def handle(*args):
            # A client may send any number of arguments; only one object is a valid payload.
            data = args[0] if args else None
            try:
                conn = current_connection()
                rate_limits.check_command(request.sid)
                if len(args) > 1:
                    raise DomainError("invalid_payload", "send exactly one JSON object", field="payload")
                payload = model.model_validate(data if data is not None else {})
                result = fn(conn.actor, payload)
            except ValidationError as exc:
                return {"ok": False, "error": validation_error(exc)}
            except DomainError as exc:
                return {"ok": False, "error": exc.as_dict()}
            except Exception:  # the server keeps serving; the client sees a clear, generic error
                log.exception("command %s failed", name)
                return error_ack("server_error", "the server could not apply this change; try again")
            if not result.duplicate:
                # After this handler returns: the sender's ack is queued on its socket before the
                # event, so its screen swaps the pending item for the real one without a double.
                socketio.start_background_task(broadcast_event, conn.actor.board_id, result.event)
            ack = {"ok": True, "seq": result.seq, "duplicate": result.duplicate}
            if result.result is not None:
                ack["result"] = result.result
            return ack

        handle.__name__ = f"on_{name}"
        handle.__doc__ = fn.__doc__
        REGISTERED[name] = model
        socketio.on_event(name, handle)
        return fn

    return register
