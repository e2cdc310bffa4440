"""The process's Socket.IO server and the one way messages leave it: every emit goes through here.

What the server is bound to (async mode, message queue, guards, listeners) is set up once, by the
composition root (server/wiring.py), not here.
"""
from __future__ import annotations

from flask_socketio import SocketIO

socketio = SocketIO()
BOARD_ROOM = "board:"  # + the board id


def board_room(board_id: int) -> str:
    """Every connection on a board joins this room."""
    return f"{BOARD_ROOM}{board_id}"


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


def send_ephemeral(rooms: list[str], name: str, data: dict, skip_sid: str | None = None) -> None:
    """Send unsequenced, unstored traffic to some rooms only (the viewers of one map)."""
    socketio.emit(name, data, to=rooms, skip_sid=skip_sid)


def local_sids(board_id: int) -> list[str]:
    """The sockets of this process in the board's room."""
    return [sid for sid, _ in list(socketio.server.manager.get_participants("/", board_room(board_id)))]


def send_event_then_close_here(sid: str, frame: dict) -> None:
    """Send one event to a socket of this process, then close it (straight, not through Redis: the event arrives first)."""
    socketio.server.emit("event", frame, to=sid, namespace="/", ignore_queue=True)
    socketio.server.disconnect(sid, namespace="/", ignore_queue=True)
