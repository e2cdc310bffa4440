"""Resync after a (re)connect or a gap: replay the missed events, or send a snapshot."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import nullcontext

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import moderation as moderation_rules
from ..domain.actors import Actor
from ..persistence import event_log, write_gate
from ..persistence.db import Database
from ..persistence.models import Board, Project
from . import snapshot_cache
from .moderation_state import hidden_ids


def _projects_named(value: object) -> Iterator[int]:
    """Every project id an event's data names, at any depth (a card, a map's change, a ranking's row)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "project_id" and isinstance(inner, int):
                yield inner
            elif key == "project" and isinstance(inner, dict) and isinstance(inner.get("id"), int):
                yield inner["id"]
            yield from _projects_named(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _projects_named(inner)


def _unseen_hidden(session: Session, board_id: int, actor: Actor) -> set[int]:
    """Cards hidden now that this actor must not see (everyone's but their own, for a participant)."""
    hidden = hidden_ids(session, board_id)
    if not hidden or actor.is_facilitator:
        return set()
    authors = dict(session.execute(select(Project.id, Project.author_id).where(Project.id.in_(hidden))).all())
    return {pid for pid in hidden if not moderation_rules.sees_hidden(actor, authors.get(pid))}


def _replay_shows_hidden(events: list[dict], unseen: set[int]) -> bool:
    """True when a missed event carries something of a card this actor may no longer see."""
    for event in events:
        data = event["data"]
        if event["type"] == "project_hidden":  # names the card only to take it away
            data = {k: v for k, v in data.items() if k != "project_id"}
        if unseen.intersection(_projects_named(data)):
            return True
    return False


def catch_up(db: Database, actor: Actor, since: int | None, replay_limit: int) -> dict:
    """Events after `since` when few are missing, else a snapshot; `{"seq", "events"}` or `{"seq", "snapshot"}`.

    A replay that would show someone a card the facilitator has hidden since (its posting, edits,
    map changes, a ranking naming it) is a snapshot instead, which leaves the card out.
    """
    # A newcomer (no seq yet) waits on this one short read: its queries do not yield to the loop in between.
    with (write_gate.reads_without_yield() if since is None else nullcontext()), db.read() as session:
        board = session.get(Board, actor.board_id)
        head = board.last_seq
        if since is not None and 0 <= since <= head and head - since <= replay_limit:
            events = [event_log.frame(e) for e in event_log.events_after(session, board.id, since)]
            unseen = _unseen_hidden(session, board.id, actor)
            if not (unseen and _replay_shows_hidden(events, unseen)):
                return {"seq": head, "events": events}
        # a burst of joiners at one seq shares one build (snapshot_cache)
        return {"seq": head, "snapshot": snapshot_cache.snapshot(session, board, actor)}
