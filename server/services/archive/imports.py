"""Import a JSON archive as a new board: new code, new secrets, new ids; one transaction or nothing.

What comes over: the board's title, language and date, participants (each gets a new personal
rejoin code, returned once to the importer), projects, moderation (hidden cards, removed people),
vote rounds with their revealed rankings, tribe maps with nodes, links, share plans and e-mail
drafts, and the agenda. The imported board starts a new run of show: its phases are not run yet
(the archive keeps how the first session ran). Who voted for what is never in an archive.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ...domain import email_drafts as draft_rules
from ...domain import participants as participant_rules
from ...domain import phases as phase_rules
from ...domain import projects as project_rules
from ...domain import tribe_maps as map_rules
from ...domain.codes import REJOIN_CODE_LENGTH, new_code, new_secret
from ...export.archive_schema import Archive, ArchiveMap, parse
from ...persistence.db import Database
from ...persistence.map_models import EmailDraft, MapLink, MapNode, PlanItem, TribeMap
from ...persistence.models import Board, Participant, Project
from ...persistence.show_models import HiddenItem, RemovedParticipant, ShowPhase, ShowState
from ...persistence.vote_models import NoDeviceAttendee, VoteRound
from ..boards import _unused_code
from ..secrets_store import hash_secret
from ..serialize import board_dict


@dataclass(frozen=True)
class ImportedBoard:
    """The new board, its secrets and the participants' new rejoin codes (shown once to the importer)."""

    board: dict
    facilitator_secret: str
    projector_secret: str
    participants: list[dict]


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.removesuffix("Z")).replace(tzinfo=None) if value else None


def _participants(session: Session, board_id: int, archive: Archive) -> tuple[dict[int, int], list[dict]]:
    ids: dict[int, int] = {}
    codes: list[dict] = []
    for person in archive.participants:
        # People with a device get a fresh rejoin code; attendees without one and removed people none.
        code = new_code(REJOIN_CODE_LENGTH) if not (person.no_device or person.removed) else None
        row = Participant(board_id=board_id, name=participant_rules.clean_display_name(person.name), rejoin_hash=hash_secret(code) if code else None)
        session.add(row)
        session.flush()
        ids[person.id] = row.id
        if person.no_device:
            session.add(NoDeviceAttendee(participant_id=row.id, board_id=board_id))
        if person.removed:
            session.add(RemovedParticipant(board_id=board_id, participant_id=row.id))
        codes.append({"id": row.id, "name": row.name, "rejoin_code": code})
    return ids, codes


def _projects(session: Session, board_id: int, archive: Archive, people: dict[int, int]) -> dict[int, int]:
    ids: dict[int, int] = {}
    for project in archive.projects:
        fields = project_rules.validate_fields(project.model_dump()).as_dict()
        row = Project(board_id=board_id, author_id=people.get(project.author_id) if project.author_id else None, **fields)
        session.add(row)
        session.flush()
        ids[project.id] = row.id
        if project.hidden:
            session.add(HiddenItem(board_id=board_id, kind="project", item_id=row.id))
    return ids


def _rounds(session: Session, board_id: int, archive: Archive, projects: dict[int, int]) -> None:
    for r in archive.vote_rounds:
        ranking = None
        if r.ranking is not None:
            ranking = [{"project_id": projects[e.project_id], "title": e.title, "dots": e.dots, "rank": e.rank} for e in r.ranking]
        session.add(VoteRound(
            board_id=board_id, number=r.number, state=r.state, budget=r.budget, cap=r.cap,
            candidate_ids=[projects[pid] for pid in r.candidates] if r.candidates is not None else None,
            result=ranking, opened_at=_moment(r.opened_at), closed_at=_moment(r.closed_at),
            revealed_at=_moment(r.revealed_at),
        ))


def _person(people: dict[int, int], old: int | None) -> int | None:
    return people.get(old) if old is not None else None


def _map(session: Session, board_id: int, source: ArchiveMap, projects: dict[int, int], people: dict[int, int]) -> None:
    tribe_map = TribeMap(board_id=board_id, project_id=projects[source.project_id],
                         average_pledge=source.settings.average_pledge, conversion_pct=source.settings.conversion_pct)
    session.add(tribe_map)
    session.flush()
    nodes: dict[int, int] = {}
    for n in source.nodes:
        row = MapNode(map_id=tribe_map.id, label=map_rules.clean_label(n.label), kind=n.kind, ring=n.ring, reach=n.reach, x=n.x, y=n.y,
                      added_by=_person(people, n.added_by))
        session.add(row)
        session.flush()
        nodes[n.id] = row.id
    for link in source.links:
        session.add(MapLink(map_id=tribe_map.id, from_node_id=nodes[link.from_node_id], to_node_id=nodes[link.to_node_id],
                            added_by=_person(people, link.added_by)))
    for item in source.plan_items:
        clean = map_rules.validate_plan_item(item.model_dump())
        session.add(PlanItem(map_id=tribe_map.id, node_id=nodes[item.node_id] if item.node_id is not None else None,
                             ring=item.ring, what=clean.what, phase=clean.when, channel=clean.where, message=clean.how,
                             added_by=_person(people, item.added_by)))
    for draft in source.email_drafts:
        clean_draft = draft_rules.validate_draft(draft.ring, draft.subject, draft.body)
        session.add(EmailDraft(map_id=tribe_map.id, ring=draft.ring, subject=clean_draft["subject"], body=clean_draft["body"],
                               updated_by=_person(people, draft.updated_by)))
    session.flush()


def _agenda(session: Session, board_id: int, archive: Archive) -> None:
    if not archive.phases:
        return
    for position, phase in enumerate(sorted(archive.phases, key=lambda p: p.position)):
        session.add(ShowPhase(board_id=board_id, position=position, kind=phase.kind, title=phase.title,
                              duration_s=phase.duration_s, gates={g: bool(phase.gates.get(g, False)) for g in phase_rules.GATES}))
    session.add(ShowState(board_id=board_id, status=phase_rules.IDLE, current_phase_id=None, timer_duration_ms=0,
                          locked=False, gate_overrides={}))


def import_archive(db: Database, raw: bytes | str) -> ImportedBoard:
    """Create a new board from a JSON archive; a malformed or hostile one is refused and nothing is written."""
    archive = parse(raw)
    facilitator_secret, projector_secret = new_secret(), new_secret()
    with db.write() as session:
        board = Board(code=_unused_code(session), title=archive.board.title.strip(), language=archive.board.language,
                      starts_at=archive.board.starts_at, facilitator_hash=hash_secret(facilitator_secret),
                      projector_hash=hash_secret(projector_secret), last_seq=0)
        session.add(board)
        session.flush()
        people, codes = _participants(session, board.id, archive)
        projects = _projects(session, board.id, archive, people)
        _rounds(session, board.id, archive, projects)
        for tribe_map in archive.tribe_maps:
            _map(session, board.id, tribe_map, projects, people)
        _agenda(session, board.id, archive)
        session.flush()
        data = board_dict(board)
    return ImportedBoard(data, facilitator_secret, projector_secret, codes)
