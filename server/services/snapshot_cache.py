"""One snapshot build per board, seq and view, shared by a burst of joiners; each gets their own parts added.

A newcomer's first `sync` is a full snapshot: some fifteen reads, each of which (with PostgreSQL under
eventlet) hands the loop to everything else ready. Twenty people joining within a second used to make
twenty builds of the same board at the same seq. Here the first builds it; the ones asking for the same
(board, seq, view) meanwhile wait for that build, and the ones after it take the result.

What a snapshot holds for one actor beyond their view (`view_key`: role, and the hidden cards they
still see as an author) is `me` and their own dots (`vote.mine`): those are put in per joiner, with
the run of show's `server_now` read again (the countdown's clock). The
shared part is never changed after it is built (every joiner gets a fresh top level and `vote`).
The seq is the board's `last_seq` read in the caller's transaction: every change that a snapshot shows
is an event with a new seq, so an entry is never served after the next commit.
"""
from __future__ import annotations

import threading
import weakref
from collections import OrderedDict

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.actors import Actor
from ..persistence import write_gate
from ..domain.clock import iso, utcnow
from ..persistence.models import Board, Project
from . import snapshot as snapshots
from .moderation_state import hidden_ids
from .votes.views import voter_view

MAX_ENTRIES = 32  # views kept per database, all boards together (a board keeps only its latest seq's)


class _Cache:
    """The kept snapshots of one database (its engine), and the builds in progress."""

    def __init__(self) -> None:
        self.entries: OrderedDict[tuple, dict] = OrderedDict()
        self.building: dict[tuple, threading.Event] = {}


# engine -> its cache: two databases in one process (tests, imports) never share a board id's entries
_caches: "weakref.WeakKeyDictionary[object, _Cache]" = weakref.WeakKeyDictionary()
_stats = {"built": 0, "shared": 0}


def _cache_of(session: Session) -> _Cache:
    engine = session.get_bind().engine  # reads are bound to a pooled connection: key by its engine
    cache = _caches.get(engine)
    if cache is None:
        cache = _caches[engine] = _Cache()
    return cache


def view_key(session: Session, board: Board, actor: Actor) -> tuple:
    """What makes two actors' snapshots of this board at this seq the same, apart from `me` and own dots."""
    hidden = hidden_ids(session, board.id)
    if not hidden or actor.is_facilitator or not (actor.is_participant and actor.participant_id):
        seen: tuple = ()
    else:  # an author still sees their own hidden cards (and their maps, and their place in rankings)
        own = select(Project.id).where(Project.id.in_(hidden), Project.author_id == actor.participant_id)
        seen = tuple(sorted(session.execute(own).scalars()))
    return board.id, board.last_seq, actor.role.value, seen


def personal(session: Session, board: Board, actor: Actor, shared: dict) -> dict:
    """The shared snapshot with this actor's own parts (who they are, their dots) and the server's clock of now."""
    snap = dict(shared)
    snap["me"] = {"role": actor.role.value, "participant_id": actor.participant_id}
    if "show" in snap:  # clients set their countdown's clock offset from it: never an old reading
        snap["show"] = {**snap["show"], "server_now": iso(utcnow())}
    if "vote" in snap:
        mine = voter_view(session, board.id, actor.participant_id) if actor.is_participant and actor.participant_id else None
        snap["vote"] = {**snap["vote"], "mine": mine}
    return snap


def snapshot(session: Session, board: Board, actor: Actor) -> dict:
    """The actor's snapshot of `board` at its current seq, built once per view and seq (in the caller's transaction)."""
    cache = _cache_of(session)
    key = view_key(session, board, actor)
    shared = cache.entries.get(key)
    if shared is None:
        building = cache.building.get(key)
        if building is not None:  # someone builds this very view: wait for it instead of building it again
            building.wait(30)
            shared = cache.entries.get(key)
    if shared is None:
        return _build(cache, session, board, actor, key)
    _stats["shared"] += 1
    return personal(session, board, actor, shared)


def _build(cache: _Cache, session: Session, board: Board, actor: Actor, key: tuple) -> dict:
    """Build the actor's snapshot and keep it for the next joiners of the same view (older seqs of the board go)."""
    done = cache.building.setdefault(key, threading.Event())
    try:
        with write_gate.reads_without_yield():  # others wait for this build: no hub cycle between its reads
            snap = snapshots.build(session, board, actor)
        _stats["built"] += 1
        same_board = [k for k in cache.entries if k[0] == key[0]]
        if not any(k[1] > key[1] for k in same_board):  # a late build of an older seq is not kept
            for old in same_board:
                if old[1] < key[1]:
                    del cache.entries[old]
            cache.entries[key] = snap
            if len(cache.entries) > MAX_ENTRIES:
                cache.entries.popitem(last=False)
        return personal(session, board, actor, snap)  # the caller may change its copy; the kept one stays as built
    finally:
        if cache.building.get(key) is done:
            del cache.building[key]
        done.set()


def counts() -> dict:
    """Snapshots built and snapshots shared since start (for tests and benchmarks)."""
    return dict(_stats)
