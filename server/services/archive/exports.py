"""The export snapshot: everything a board holds, read in one transaction, as plain dicts.

The snapshot is the JSON archive (schema in `docs/protocol.md`, "Exports") and the input of every
renderer in `server/export/`. Hidden cards and removed participants are left out unless the
facilitator asks for them; who voted for what is never exported (the ballot is secret), only the
rankings revealed to the room.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...domain.actors import Actor, require_facilitator
from ...domain.errors import DomainError
from ...domain.votes import ranking_seen
from ...export.json_archive import KIND, SCHEMA_VERSION
from ...persistence.db import Database
from ...persistence.map_models import EmailDraft, MapLink, MapNode, PlanItem, TribeMap
from ...persistence.models import Board, Participant, Project
from ...domain.clock import iso, utcnow
from ...persistence.show_models import ShowPhase
from ..boards import find_board
from ..maps.serialize import draft_dict, link_dict, node_dict, plan_item_dict, settings_dict
from ..moderation_state import hidden_ids, removed_ids
from ..serialize import board_dict, participant_dict, project_dict
from ..votes.views import attendee_ids, rounds_of


def _participants(session: Session, board: Board, removed: set[int], include_hidden: bool) -> list[dict]:
    attendees = set(attendee_ids(session, board.id))
    rows = session.execute(select(Participant).where(Participant.board_id == board.id).order_by(Participant.id)).scalars()
    out = []
    for row in rows:
        if row.id in removed and not include_hidden:
            continue
        out.append({**participant_dict(row), "no_device": row.id in attendees, "removed": row.id in removed})
    return out


def _projects(session: Session, board: Board, hidden: set[int], people: set[int], include_hidden: bool,
              viewer_id: int | None) -> list[dict]:
    rows = session.execute(select(Project).where(Project.board_id == board.id).order_by(Project.id)).scalars()
    out = []
    for row in rows:
        # A hidden card stays visible to its author (the moderation rule), so it stays in their booklet.
        if row.id in hidden and not include_hidden and row.author_id != viewer_id:
            continue
        data = {**project_dict(row), "hidden": row.id in hidden}
        if data["author_id"] not in people:
            data["author_id"] = None
        out.append(data)
    return out


def _rounds(session: Session, board: Board, visible: set[int], hidden: set[int]) -> list[dict]:
    out = []
    for vote_round in rounds_of(session, board.id):
        revealed = vote_round.state == "revealed" and vote_round.result is not None
        candidates = vote_round.candidate_ids
        out.append({
            "number": vote_round.number,
            "state": vote_round.state,
            "budget": vote_round.budget,
            "cap": vote_round.cap,
            "candidates": [pid for pid in candidates if pid in visible] if candidates is not None else None,
            # The ranking as revealed (titles frozen then); never a tally before the reveal.
            # Cards left out of the export (deleted, removed) or hidden leave the ranking and the rest rank
            # again, as the room sees it; a hidden card kept in an export (its author's booklet, the
            # facilitator's whole export) has no rank there, as on its author's screen.
            "ranking": ranking_seen(vote_round.result, ({e["project_id"] for e in vote_round.result} - visible) | hidden)
                       if revealed else None,
            "opened_at": iso(vote_round.opened_at),
            "closed_at": iso(vote_round.closed_at),
            "revealed_at": iso(vote_round.revealed_at),
        })
    return out


def _grouped(session: Session, model, map_ids: list[int], order) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    if map_ids:
        for row in session.execute(select(model).where(model.map_id.in_(map_ids)).order_by(order)).scalars():
            grouped[row.map_id].append(row)
    return grouped


def _person(value: int | None, people: set[int]) -> int | None:
    return value if value in people else None


def _maps(session: Session, board: Board, visible: set[int], people: set[int]) -> list[dict]:
    maps = [m for m in session.execute(select(TribeMap).where(TribeMap.board_id == board.id).order_by(TribeMap.project_id))
            .scalars() if m.project_id in visible]
    ids = [m.id for m in maps]
    nodes = _grouped(session, MapNode, ids, MapNode.id)
    links = _grouped(session, MapLink, ids, MapLink.id)
    items = _grouped(session, PlanItem, ids, PlanItem.id)
    drafts = _grouped(session, EmailDraft, ids, EmailDraft.ring)
    out = []
    for m in maps:
        out.append({
            "project_id": m.project_id,
            "settings": settings_dict(m),
            "nodes": [{**node_dict(n), "added_by": _person(n.added_by, people)} for n in nodes[m.id]],
            "links": [{**link_dict(link), "added_by": _person(link.added_by, people)} for link in links[m.id]],
            "plan_items": [{**plan_item_dict(i), "added_by": _person(i.added_by, people)} for i in items[m.id]],
            "email_drafts": [{**draft_dict(d), "updated_by": _person(d.updated_by, people)} for d in drafts[m.id]],
        })
    return out


def _phases(session: Session, board: Board) -> list[dict]:
    rows = session.execute(select(ShowPhase).where(ShowPhase.board_id == board.id).order_by(ShowPhase.position)).scalars()
    return [{"position": p.position, "kind": p.kind, "title": p.title, "duration_s": p.duration_s, "gates": dict(p.gates),
             "started_at": iso(p.started_at), "ended_at": iso(p.ended_at)} for p in rows]


def build(session: Session, board: Board, *, include_hidden: bool = False, viewer_id: int | None = None,
          booklet: bool = False, now: datetime | None = None) -> dict:
    """The export snapshot of `board`, read in the caller's one transaction.

    `viewer_id`: the participant a booklet is for (their own hidden cards stay in it); with
    `booklet`, only their projects and maps are read (the rest of the board is not in a booklet).
    `now`: the export time written in the snapshot (a fixed clock for golden tests).
    """
    hidden = hidden_ids(session, board.id)
    removed = removed_ids(session, board.id)
    participants = _participants(session, board, removed, include_hidden)
    people = {p["id"] for p in participants}
    projects = _projects(session, board, hidden, people, include_hidden, viewer_id)
    visible = {p["id"] for p in projects}
    # A booklet holds its person's cards and maps only; rankings keep every visible project (a rank
    # says "of how many").
    shown = [p for p in projects if p["author_id"] == viewer_id] if booklet else projects
    return {
        **_envelope(board, include_hidden, now),
        "phases": _phases(session, board),
        "participants": participants,
        "projects": shown,
        "vote_rounds": _rounds(session, board, visible, hidden),
        "tribe_maps": _maps(session, board, {p["id"] for p in shown}, people),
    }


def _envelope(board: Board, include_hidden: bool, now: datetime | None) -> dict:
    return {"schema_version": SCHEMA_VERSION, "kind": KIND, "exported_at": iso(now or utcnow()),
            "include_hidden": include_hidden, "board": board_dict(board)}


def board_snapshot(db: Database, board_code: str, *, include_hidden: bool = False, viewer_id: int | None = None,
                   booklet: bool = False, now: datetime | None = None) -> dict:
    """The export snapshot of the board with this code (the command line's entry: no actor needed)."""
    with db.read() as session:
        board = find_board(session, board_code)
        return build(session, board, include_hidden=include_hidden, viewer_id=viewer_id, booklet=booklet, now=now)


def summary_snapshot(db: Database, actor: Actor, *, include_hidden: bool = False, now: datetime | None = None) -> dict:
    """The facilitator's whole-board snapshot (summary, CSV, archive)."""
    require_facilitator(actor)
    with db.read() as session:
        return build(session, session.get(Board, actor.board_id), include_hidden=include_hidden, now=now)


def booklet_participant(actor: Actor, participant_id: int | None) -> int:
    """Whose booklet this actor may download: a participant only their own, the facilitator anyone's."""
    if actor.is_facilitator:
        if participant_id is None:
            raise DomainError("participant_required", "choose whose booklet to download", field="participant_id")
        return participant_id
    if not actor.is_participant or actor.participant_id is None:
        raise DomainError("forbidden", "the projector view exports nothing")
    if participant_id is not None and participant_id != actor.participant_id:
        raise DomainError("forbidden", "you can only download your own booklet")
    return actor.participant_id


def booklet_snapshot(db: Database, actor: Actor, participant_id: int | None = None, *, now: datetime | None = None) -> tuple[dict, int]:
    """The snapshot a booklet is drawn from, and whose booklet it is (permission checked here)."""
    whose = booklet_participant(actor, participant_id)
    with db.read() as session:
        person = session.get(Participant, whose)
        if person is None or person.board_id != actor.board_id:
            raise DomainError("participant_not_found", "this person is not on this board", participant_id=whose)
        snapshot = build(session, session.get(Board, actor.board_id), viewer_id=whose, booklet=True, now=now,
                         include_hidden=whose in removed_ids(session, actor.board_id))
    return snapshot, whose
