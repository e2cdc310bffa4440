"""Who is looking at which tribe map, on this process (ephemeral: never stored, clients expire stale entries)."""
from __future__ import annotations

from . import connections

# sid -> (board_id, project_id): the last map each socket said it is looking at.
_viewing: dict[str, tuple[int, int]] = {}


def map_room(board_id: int, project_id: int) -> str:
    """The sockets that said they look at this map: live drags of its nodes go here."""
    return f"map:{board_id}:{project_id}"


def undeclared_room(board_id: int) -> str:
    """The board's sockets that never sent map_presence: they still get every drag (as before rooms)."""
    return f"board:{board_id}:undeclared"


def set_viewing(sid: str, board_id: int, project_id: int | None) -> list[str]:
    """Record (or clear, with None) the map a socket is looking at; move it to that map's room.

    Returns the rooms that should hear about the change: the map it left and the map it opened.
    """
    from flask_socketio import join_room, leave_room

    previous = _viewing.get(sid)
    concerned = [map_room(*previous)] if previous is not None and previous[1] != project_id else []
    if project_id is not None:
        concerned.append(map_room(board_id, project_id))
    try:
        if previous is not None and previous[1] != project_id:
            leave_room(map_room(*previous), sid=sid, namespace="/")
        leave_room(undeclared_room(board_id), sid=sid, namespace="/")
        if project_id is not None:
            join_room(map_room(board_id, project_id), sid=sid, namespace="/")
    except KeyError:
        # The socket disconnected while its frame was being handled: nothing to record.
        _viewing.pop(sid, None)
        return []
    if project_id is None:
        _viewing.pop(sid, None)
    else:
        _viewing[sid] = (board_id, project_id)
    return concerned


def on_map(board_id: int) -> dict[int, int]:
    """participant_id -> project_id of the map they look at, for sockets still connected here."""
    result: dict[int, int] = {}
    for sid, (board, project_id) in list(_viewing.items()):
        conn = connections.get(sid)
        if conn is None:
            # Disconnected since: forget it lazily (the disconnect handler belongs to the session module).
            _viewing.pop(sid, None)
        elif board == board_id and conn.actor.participant_id is not None:
            result[conn.actor.participant_id] = project_id
    return result
