"""Who is connected on this process: sid -> actor, per-board presence counts, and presence announcements.

In scale-out mode (REDIS_URL) the counts also go to Redis (`presence.py`), and `is_online` /
`online_ids` answer for the whole deployment, not just this process.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass

from ..domain.actors import Actor
from . import presence
from .hub import broadcast_ephemeral

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Connection:
    """One authenticated socket."""

    sid: str
    actor: Actor
    board_code: str
    address: str


_by_sid: dict[str, Connection] = {}
_online: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))


def add(conn: Connection) -> bool:
    """Register a socket; True when its participant just came online."""
    _by_sid[conn.sid] = conn
    pid = conn.actor.participant_id
    if pid is None:
        return False
    _online[conn.actor.board_id][pid] += 1
    shared = presence.store()
    if shared is not None:
        shared.add(conn.actor.board_id, pid)
        return shared.count(conn.actor.board_id, pid) == 1
    return _online[conn.actor.board_id][pid] == 1


def remove(sid: str) -> Connection | None:
    """Forget a socket; returns it, with `went_offline` semantics left to `is_online`."""
    conn = _by_sid.pop(sid, None)
    if conn is not None and conn.actor.participant_id is not None:
        counts = _online[conn.actor.board_id]
        counts[conn.actor.participant_id] -= 1
        if counts[conn.actor.participant_id] <= 0:
            del counts[conn.actor.participant_id]
        shared = presence.store()
        if shared is not None:
            shared.remove(conn.actor.board_id, conn.actor.participant_id)
    return conn


def get(sid: str) -> Connection | None:
    """The connection behind a socket id, if it authenticated."""
    return _by_sid.get(sid)


def is_online(board_id: int, participant_id: int) -> bool:
    """True while the participant has at least one socket open here (on any process in scale-out)."""
    shared = presence.store()
    if shared is not None:
        return shared.count(board_id, participant_id) > 0
    return _online[board_id].get(participant_id, 0) > 0


def online_ids(board_id: int) -> list[int]:
    """Participants with at least one open socket on this process (on any process in scale-out)."""
    shared = presence.store()
    if shared is not None:
        return shared.online_ids(board_id)
    return sorted(_online[board_id])


def sids() -> list[str]:
    """The socket ids of every authenticated socket on this process."""
    return list(_by_sid)


def count() -> int:
    """How many authenticated sockets this process holds."""
    return len(_by_sid)


def board_count() -> int:
    """How many boards have at least one authenticated socket on this process."""
    return len({conn.actor.board_id for conn in list(_by_sid.values())})


def announce(board_id: int, participant_id: int, online: bool) -> None:
    """Tell the board a participant came online or went offline; re-read and correct a lost race."""
    broadcast_ephemeral(board_id, "presence", {"participant_id": participant_id, "online": online})
    if presence.store() is not None and is_online(board_id, participant_id) != online:
        broadcast_ephemeral(board_id, "presence", {"participant_id": participant_id, "online": not online})


def announce_if_offline(board_id: int, participant_id: int) -> None:
    """After a socket closed: tell the board the participant went offline, unless another socket of theirs is open.

    Runs in its own task (never inside a disconnect handler, see session_handlers.on_disconnect) and never raises.
    """
    try:
        if not is_online(board_id, participant_id):
            announce(board_id, participant_id, False)
    except Exception as exc:  # noqa: BLE001 - a presence hint lost; every sync reply carries the full list
        log.warning("presence of participant %s not announced: %s: %s", participant_id, exc.__class__.__name__, exc)
