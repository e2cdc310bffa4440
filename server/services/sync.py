"""Resync after a (re)connect or a gap: replay the missed events, or send a snapshot."""
from __future__ import annotations

from ..domain.actors import Actor
from ..persistence import event_log
from ..persistence.db import Database
from ..persistence.models import Board
from . import snapshot as snapshots


def catch_up(db: Database, actor: Actor, since: int | None, replay_limit: int) -> dict:
    """Events after `since` when few are missing, else a snapshot; `{"seq", "events"}` or `{"seq", "snapshot"}`."""
    with db.read() as session:
        board = session.get(Board, actor.board_id)
        head = board.last_seq
        if since is not None and 0 <= since <= head and head - since <= replay_limit:
            events = [event_log.frame(e) for e in event_log.events_after(session, board.id, since)]
            return {"seq": head, "events": events}
        return {"seq": head, "snapshot": snapshots.build(session, board, actor)}
