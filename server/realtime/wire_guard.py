"""Socket.IO packets that cannot be read get an error ack, not silence (and not a traceback in the log).

python-socketio (5.18) decodes each message and then dispatches it. A message it cannot decode (JSON
nested deeper than the decoder's recursion limit, an integer of more than 4,300 digits, text that is
not JSON), an event that is not a non-empty list, or an unknown packet type raises inside the
Engine.IO message task: engineio logs the traceback and the client never hears back. Binary packets
(not part of Snowball's protocol) make the server wait for attachments that may never come.

Numbers and texts are checked while the JSON is read: every integer of a client packet must fit in
a signed 32-bit integer (the database's id and count columns; no field of the protocol needs more);
NaN, Infinity and floats that overflow to infinity are refused; no text may hold a NUL character or a
lone surrogate. Without this an id of 2**63 reached SQLite ("Python int too large to convert to
SQLite INTEGER") and a NUL reached PostgreSQL ("text fields cannot contain NUL"): `server_error`.

Here the message handler is wrapped: a packet that fails is answered, when it is an event with an ack
id on a connected namespace, with `{"ok": false, "error": {"code": "invalid_payload", ...}}` (or
`rate_limited` once the connection sends too many), and logged in one line at INFO. Binary packets
are refused the same way at once; an event whose name is not a text (python-socketio would fail
looking it up) or is a lifecycle name (`connect`, `disconnect`, which it would dispatch to its own
handlers) is answered `unknown_event` and never dispatched; and so is an event with more than one argument (every event of the
protocol carries one JSON object or nothing; a handler whose signature takes one argument would
otherwise fail with a TypeError and answer `server_error`). Frames over the transport limit (`max_http_buffer_size`) and text
frames that are not UTF-8 never get here: the WebSocket layer closes the connection, as RFC 6455 asks.
"""
from __future__ import annotations

import json
import logging
import math

import orjson
from socketio import packet as sio_packet

from ..domain.errors import DomainError
from ..protection import rate_limits
from ..protection.text_rules import INT_MAX, INT_MIN, text_problem

log = logging.getLogger(__name__)

MALFORMED = {"code": "invalid_payload", "message": "this message is not a valid Socket.IO event with one JSON object "
                                                  "(bad JSON, nested too deep, a number out of range, a NUL character "
                                                  "or a lone surrogate in a text, or binary)",
             "params": {"field": "payload"}}
TOO_MANY_ARGS = {"code": "invalid_payload", "message": "send exactly one JSON object", "params": {"field": "payload"}}
# Event names python-socketio dispatches to its own lifecycle handlers ("*" is the catch-all's key).
RESERVED_NAMES = frozenset({"connect", "disconnect", "connect_error", "*"})


def unknown_event(name: str) -> dict:
    """The error of an event nobody handles (the catch-all in session_handlers answers the same)."""
    return {"code": "unknown_event", "message": f"unknown event: {name[:40]}", "params": {"event": name[:40]}}


def _bounded_int(text: str) -> int:
    if len(text) > 11:
        raise ValueError("integer out of range")
    value = int(text)
    if not INT_MIN <= value <= INT_MAX:
        raise ValueError("integer out of range")
    return value


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


def _no_constant(name: str):
    raise ValueError(f"{name} is not JSON")


class BoundedJSON:
    """The JSON module of Socket.IO packets: orjson out, the standard one with numbers bounded in."""

    @staticmethod
    def dumps(obj, *args, **kwargs) -> str:
        # Every frame is encoded once per broadcast and every snapshot once per join: orjson writes a
        # full board's snapshot (~500 KB) in ~0.3 ms where json.dumps takes ~4.7 ms, and the event loop
        # serves nobody meanwhile. Compact, UTF-8 (no \u escapes), int dict keys as strings like json.
        return orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS).decode()

    @staticmethod
    def loads(text, *args, **kwargs):
        value = json.loads(text, parse_int=_bounded_int, parse_float=_finite_float, parse_constant=_no_constant)
        problem = text_problem(value)
        if problem:
            raise ValueError(problem)
        return value




def header(data) -> tuple[int | None, str, int | None]:
    """(packet type, namespace, ack id) read from the start of an encoded packet, without its JSON."""
    if not isinstance(data, str) or not data[:1].isdigit():
        return None, "/", None
    kind, rest = int(data[0]), data[1:]
    dash = rest.find("-")
    if 0 < dash <= 10 and rest[:dash].isdigit():
        rest = rest[dash + 1:]
    namespace = "/"
    if rest.startswith("/"):
        comma = rest.find(",")
        namespace, rest = (rest, "") if comma < 0 else (rest[:comma], rest[comma + 1:])
        namespace = namespace.split("?", 1)[0]
    digits = 0
    while digits < len(rest) and digits < 20 and rest[digits].isdigit():
        digits += 1
    ack_id = int(rest[:digits]) if 0 < digits < 20 else None
    return kind, namespace, ack_id


def install(sio_server) -> None:
    """Bound the numbers of incoming packets; answer unreadable packets and events with more than one argument."""
    sio_server.packet_class = type("BoundedPacket", (sio_server.packet_class,), {"json": BoundedJSON})
    original = sio_server._handle_eio_message

    def guarded(eio_sid, data):
        if isinstance(data, str) and data[:1] in ("5", "6"):  # BINARY_EVENT / BINARY_ACK
            return _answer(sio_server, eio_sid, data, "binary packet")
        if not isinstance(data, str) and eio_sid not in sio_server._binary_packet:
            log.info("dropped a binary frame from %s", eio_sid)
            return None
        try:
            return original(eio_sid, data)
        except Exception as exc:  # noqa: BLE001 - any packet python-socketio could not take
            return _answer(sio_server, eio_sid, data, f"{exc.__class__.__name__}: {str(exc)[:80]}")

    sio_server.eio.on("message", guarded)

    handle_event = sio_server._handle_event

    def one_object_at_most(eio_sid, namespace, ack_id, data):
        # Every event of the protocol carries one JSON object (or nothing); refusing the rest here
        # answers for every handler alike, whatever its signature.
        if not isinstance(data, list) or not data or len(data) > 2:
            return _refuse(sio_server, eio_sid, namespace or "/", ack_id, TOO_MANY_ARGS if isinstance(data, list) and data else MALFORMED)
        if not isinstance(data[0], str) or data[0] in RESERVED_NAMES:
            # python-socketio would run its own `connect`/`disconnect` handler for these (a client could
            # make the server forget its socket, or raise): refused like any event nobody handles.
            log.info("refused event name %.40r from %s", data[0], eio_sid)
            # A name that is not a text (a list, an object) would fail python-socketio's handler lookup.
            return _refuse(sio_server, eio_sid, namespace or "/", ack_id, unknown_event(str(data[0])))
        return handle_event(eio_sid, namespace, ack_id, data)

    sio_server._handle_event = one_object_at_most


def _answer(sio_server, eio_sid, data, why: str) -> None:
    kind, namespace, ack_id = header(data)
    log.info("malformed packet from %s (%s)", eio_sid, why)
    if kind in (sio_packet.EVENT, sio_packet.BINARY_EVENT):
        _refuse(sio_server, eio_sid, namespace, ack_id, {**MALFORMED, "params": {"field": "payload", "reason": why}})


def _refuse(sio_server, eio_sid, namespace: str, ack_id: int | None, error: dict) -> None:
    """Answer an event's ack with `error` (or `rate_limited`), when it asked for an ack on a connected namespace."""
    if ack_id is None:
        return
    sid = sio_server.manager.sid_from_eio_sid(eio_sid, namespace)
    if sid is None or not sio_server.manager.is_connected(sid, namespace):
        return
    try:
        rate_limits.check_command(sid)
    except DomainError as exc:
        error = exc.as_dict()
    sio_server._send_packet(eio_sid, sio_server.packet_class(
        sio_packet.ACK, namespace=namespace, data=[{"ok": False, "error": error}], id=ack_id))
