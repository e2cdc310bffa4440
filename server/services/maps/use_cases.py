"""Tribe maps: nodes, moves, links, share plan, momentum settings, e-mail drafts (one use case each)."""
from __future__ import annotations

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import Session

from ...domain import email_drafts as draft_rules
from ...domain import moderation as moderation_rules
from ...domain import tribe_maps as map_rules
from ...domain.actors import Actor, require_writer
from ...domain.clock import utcnow
from ...domain.errors import DomainError
from ...persistence.db import Database
from ...persistence.map_models import EmailDraft, MapLink, MapNode, PlanItem, TribeMap
from ...persistence.models import Board, Project
from ..commands import CommandResult, execute
from ..gating import require_open
from ..lookups import PROJECT_AND_HIDDEN, board_project, project_of_board
from ..moderation_state import is_hidden
from ..serialize import project_dict
from .serialize import draft_dict, link_dict, node_dict, plan_item_dict, settings_dict

MAPPING = "mapping"


# --- loading --------------------------------------------------------------------------------------

def _project(session: Session, actor: Actor, project_id: int) -> Project:
    return project_of_board(session, actor.board_id, project_id)


def _find_map(session: Session, project_id: int) -> TribeMap | None:
    return session.execute(select(TribeMap).where(TribeMap.project_id == project_id)).scalar_one_or_none()


def _load_query(with_node: bool):
    """The project, "hidden?", its map (outer join) and, `with_node`, the node on that map: bindparams board_id,
    project_id (and node_id)."""
    query = PROJECT_AND_HIDDEN.add_columns(TribeMap).outerjoin(TribeMap, TribeMap.project_id == Project.id)
    if with_node:
        query = query.add_columns(MapNode).outerjoin(MapNode, (MapNode.map_id == TribeMap.id) & (MapNode.id == bindparam("node_id")))
    return query


# Built once: every map command runs one; building it cost about as much CPU as running it.
_LOAD, _LOAD_WITH_NODE = _load_query(False), _load_query(True)


def _load(session: Session, actor: Actor, project_id: int, node_id: int | None
          ) -> tuple[Project, bool, TribeMap | None, MapNode | None]:
    """The project (or `project_not_found`), whether it is hidden, its map if it has one, and with
    `node_id` that node if it is on this map: one query."""
    params = {"board_id": actor.board_id, "project_id": project_id}
    if node_id is None:
        row = session.execute(_LOAD, params).first()
    else:
        row = session.execute(_LOAD_WITH_NODE, {**params, "node_id": node_id}).first()
    return board_project(row, actor.board_id, project_id), bool(row[1]), row[2], row[3] if node_id is not None else None


def _new_map(session: Session, project: Project) -> TribeMap:
    """The project's map, created on its first change (the board row lock makes this race-free)."""
    tribe_map = TribeMap(board_id=project.board_id, project_id=project.id,
                         average_pledge=map_rules.DEFAULT_AVERAGE_PLEDGE, conversion_pct=map_rules.DEFAULT_CONVERSION_PCT)
    session.add(tribe_map)
    session.flush()
    return tribe_map


def _node(session: Session, tribe_map: TribeMap, node_id: int) -> MapNode:
    node = session.get(MapNode, node_id)
    if node is None or node.map_id != tribe_map.id:
        raise _node_not_found(node_id)
    return node


def _node_not_found(node_id: int) -> DomainError:
    return DomainError("node_not_found", "this person or group is no longer on the map", node_id=node_id)


def _count(session: Session, model, map_id: int) -> int:
    return session.execute(select(func.count()).select_from(model).where(model.map_id == map_id)).scalar_one()


def _node_counts(session: Session, map_id: int, ring: str | None) -> tuple[int, int]:
    """How many nodes the map holds, and how many of them are in `ring` (a known ring, or None), in one query."""
    in_ring = func.count(case((MapNode.ring == ring, 1)))
    return tuple(session.execute(select(func.count(), in_ring).where(MapNode.map_id == map_id)).one())


def _changing(session: Session, actor: Actor, project_id: int, gated: bool = True) -> tuple[Project, TribeMap]:
    """Checks shared by every map change: a writer, an existing project, the mapping gate open."""
    project, tribe_map, _ = _checked(session, actor, project_id, gated, None)
    return project, tribe_map


def _changing_node(session: Session, actor: Actor, project_id: int, node_id: int) -> tuple[Project, TribeMap, MapNode]:
    """`_changing` for a change of one node, read in the same query as the project; or `node_not_found`."""
    project, tribe_map, node = _checked(session, actor, project_id, True, node_id)
    if node is None:
        raise _node_not_found(node_id)
    return project, tribe_map, node


def _checked(session: Session, actor: Actor, project_id: int, gated: bool, node_id: int | None
             ) -> tuple[Project, TribeMap, MapNode | None]:
    require_writer(actor)
    project, hidden, tribe_map, node = _load(session, actor, project_id, node_id)
    if gated:
        require_open(session, actor.board_id, MAPPING, actor)
    # Map events go to the whole board: a hidden card's map stays as it was until it is shown again.
    moderation_rules.check_not_hidden(hidden)
    return project, tribe_map if tribe_map is not None else _new_map(session, project), node


# --- nodes ----------------------------------------------------------------------------------------

def add_node(db: Database, actor: Actor, op_id: str, project_id: int, fields: dict) -> CommandResult:
    """Anyone on the board adds a person or group to a project's map."""

    def apply(session: Session) -> tuple[str, dict]:
        map_rules.check_can_add(actor)
        _project_row, tribe_map = _changing(session, actor, project_id)
        clean = map_rules.validate_node(fields)
        ring = fields.get("ring")
        known_ring = ring if ring in map_rules.RINGS else None
        count, in_ring = _node_counts(session, tribe_map.id, known_ring)
        map_rules.check_node_count(count)
        in_ring = in_ring if known_ring is not None else 0
        position, ring = map_rules.initial_position(ring, fields.get("x"), fields.get("y"), in_ring)
        node = MapNode(map_id=tribe_map.id, label=clean.label, kind=clean.kind, reach=clean.reach, ring=ring,
                       x=position.x, y=position.y, added_by=actor.participant_id)
        session.add(node)
        session.flush()
        return "map_node_added", {"project_id": project_id, "node": node_dict(node)}

    return execute(db, actor.board_id, actor, op_id, apply)


def move_node(db: Database, actor: Actor, op_id: str, project_id: int, node_id: int, x: float, y: float) -> CommandResult:
    """The committed drop of a drag: the new position decides the ring; the last committed move wins."""

    def apply(session: Session) -> tuple[str, dict]:
        project, tribe_map, node = _changing_node(session, actor, project_id, node_id)
        map_rules.check_can_change(actor, project.author_id, node.added_by)
        position = map_rules.clamp_to_map(x, y)
        node.x, node.y, node.ring = position.x, position.y, map_rules.ring_of(position)
        node.updated_at = utcnow()
        session.flush()
        return "map_node_moved", {"project_id": project_id, "node": node_dict(node)}

    return execute(db, actor.board_id, actor, op_id, apply)


def edit_node(db: Database, actor: Actor, op_id: str, project_id: int, node_id: int, fields: dict) -> CommandResult:
    """Change a node's label, kind, reach or ring (a new ring keeps its direction on the map)."""

    def apply(session: Session) -> tuple[str, dict]:
        project, tribe_map, node = _changing_node(session, actor, project_id, node_id)
        map_rules.check_can_change(actor, project.author_id, node.added_by)
        clean = map_rules.validate_node({"label": node.label, "kind": node.kind, "reach": node.reach, **fields})
        node.label, node.kind, node.reach = clean.label, clean.kind, clean.reach
        ring = fields.get("ring")
        if ring is not None and ring != node.ring:
            position = map_rules.place_in_ring(map_rules.Position(node.x, node.y), ring)
            node.x, node.y, node.ring = position.x, position.y, ring
        node.updated_at = utcnow()
        session.flush()
        return "map_node_edited", {"project_id": project_id, "node": node_dict(node)}

    return execute(db, actor.board_id, actor, op_id, apply)


def remove_node(db: Database, actor: Actor, op_id: str, project_id: int, node_id: int) -> CommandResult:
    """Remove a node with its links; plan items meant for it stay, re-attached to its ring."""

    def apply(session: Session) -> tuple[str, dict]:
        project, tribe_map, node = _changing_node(session, actor, project_id, node_id)
        map_rules.check_can_change(actor, project.author_id, node.added_by)
        links = session.execute(select(MapLink).where(MapLink.map_id == tribe_map.id,
                                                      (MapLink.from_node_id == node_id) | (MapLink.to_node_id == node_id))
                                ).scalars().all()
        link_ids = sorted(link.id for link in links)
        items = session.execute(select(PlanItem).where(PlanItem.node_id == node_id).order_by(PlanItem.id)).scalars().all()
        for item in items:
            # What someone typed into the plan is never lost with the node: it stays, for the ring.
            item.node_id, item.ring, item.updated_at = None, node.ring, utcnow()
        for link in links:
            session.delete(link)
        session.flush()
        session.delete(node)
        session.flush()
        return "map_node_removed", {"project_id": project_id, "node_id": node_id, "link_ids": link_ids,
                                    "plan_items": [plan_item_dict(item) for item in items]}

    return execute(db, actor.board_id, actor, op_id, apply)


# --- links ----------------------------------------------------------------------------------------

def add_link(db: Database, actor: Actor, op_id: str, project_id: int, from_node_id: int, to_node_id: int) -> CommandResult:
    """"A can bring B": both nodes must still be on the map (checked under the board's write lock)."""

    def apply(session: Session) -> tuple[str, dict]:
        map_rules.check_can_add(actor)
        _project_row, tribe_map = _changing(session, actor, project_id)
        _node(session, tribe_map, from_node_id)
        _node(session, tribe_map, to_node_id)
        rows = session.execute(select(MapLink.from_node_id, MapLink.to_node_id).where(MapLink.map_id == tribe_map.id))
        pairs = {(a, b) for a, b in rows}
        map_rules.check_link(from_node_id, to_node_id, pairs)
        map_rules.check_link_count(len(pairs))
        link = MapLink(map_id=tribe_map.id, from_node_id=from_node_id, to_node_id=to_node_id, added_by=actor.participant_id)
        session.add(link)
        session.flush()
        return "map_link_added", {"project_id": project_id, "link": link_dict(link)}

    return execute(db, actor.board_id, actor, op_id, apply)


def remove_link(db: Database, actor: Actor, op_id: str, project_id: int, link_id: int) -> CommandResult:
    """Remove a link (its adder, the project's author or the facilitator)."""

    def apply(session: Session) -> tuple[str, dict]:
        project, tribe_map = _changing(session, actor, project_id)
        link = session.get(MapLink, link_id)
        if link is None or link.map_id != tribe_map.id:
            raise DomainError("link_not_found", "this link is no longer on the map", link_id=link_id)
        map_rules.check_can_change(actor, project.author_id, link.added_by)
        session.delete(link)
        return "map_link_removed", {"project_id": project_id, "link_id": link_id}

    return execute(db, actor.board_id, actor, op_id, apply)


# --- share plan -----------------------------------------------------------------------------------

def _plan_fields(session: Session, tribe_map: TribeMap, raw: dict) -> map_rules.PlanFields:
    clean = map_rules.validate_plan_item(raw)
    if clean.node_id is not None:
        _node(session, tribe_map, clean.node_id)
    return clean


def add_plan_item(db: Database, actor: Actor, op_id: str, project_id: int, fields: dict) -> CommandResult:
    """Add a share-plan item for a node or a ring."""

    def apply(session: Session) -> tuple[str, dict]:
        map_rules.check_can_add(actor)
        _project_row, tribe_map = _changing(session, actor, project_id)
        clean = _plan_fields(session, tribe_map, fields)
        map_rules.check_plan_count(_count(session, PlanItem, tribe_map.id))
        item = PlanItem(map_id=tribe_map.id, node_id=clean.node_id, ring=clean.ring, what=clean.what, phase=clean.when,
                        channel=clean.where, message=clean.how, added_by=actor.participant_id)
        session.add(item)
        session.flush()
        return "plan_item_added", {"project_id": project_id, "item": plan_item_dict(item)}

    return execute(db, actor.board_id, actor, op_id, apply)


def _plan_item(session: Session, tribe_map: TribeMap, item_id: int) -> PlanItem:
    item = session.get(PlanItem, item_id)
    if item is None or item.map_id != tribe_map.id:
        raise DomainError("plan_item_not_found", "this plan item no longer exists", item_id=item_id)
    return item


def edit_plan_item(db: Database, actor: Actor, op_id: str, project_id: int, item_id: int, fields: dict) -> CommandResult:
    """Edit a plan item; sending node_id or ring re-targets it (one of the two, not both)."""

    def apply(session: Session) -> tuple[str, dict]:
        project, tribe_map = _changing(session, actor, project_id)
        item = _plan_item(session, tribe_map, item_id)
        map_rules.check_can_change(actor, project.author_id, item.added_by)
        merged = {**plan_item_dict(item), **fields}
        if "node_id" in fields and "ring" not in fields:
            merged["ring"] = None
        elif "ring" in fields and "node_id" not in fields:
            merged["node_id"] = None
        clean = _plan_fields(session, tribe_map, merged)
        item.what, item.node_id, item.ring = clean.what, clean.node_id, clean.ring
        item.phase, item.channel, item.message, item.updated_at = clean.when, clean.where, clean.how, utcnow()
        session.flush()
        return "plan_item_edited", {"project_id": project_id, "item": plan_item_dict(item)}

    return execute(db, actor.board_id, actor, op_id, apply)


def remove_plan_item(db: Database, actor: Actor, op_id: str, project_id: int, item_id: int) -> CommandResult:
    """Remove a plan item."""

    def apply(session: Session) -> tuple[str, dict]:
        project, tribe_map = _changing(session, actor, project_id)
        item = _plan_item(session, tribe_map, item_id)
        map_rules.check_can_change(actor, project.author_id, item.added_by)
        session.delete(item)
        return "plan_item_removed", {"project_id": project_id, "item_id": item_id}

    return execute(db, actor.board_id, actor, op_id, apply)


# --- the author's things: momentum assumptions and e-mail drafts ----------------------------------

def edit_settings(db: Database, actor: Actor, op_id: str, project_id: int, fields: dict) -> CommandResult:
    """The project's author tunes the momentum meter's assumptions (average pledge, conversion)."""

    def apply(session: Session) -> tuple[str, dict]:
        # Not gated by phase: the author's own preparation, like the e-mail drafts.
        project, tribe_map = _changing(session, actor, project_id, gated=False)
        map_rules.check_can_edit_owner_things(actor, project.author_id)
        merged = {**settings_dict(tribe_map), **fields}
        tribe_map.average_pledge, tribe_map.conversion_pct = map_rules.validate_settings(merged["average_pledge"], merged["conversion_pct"])
        session.flush()
        return "map_settings_edited", {"project_id": project_id, "settings": settings_dict(tribe_map)}

    return execute(db, actor.board_id, actor, op_id, apply)


def save_email_draft(db: Database, actor: Actor, op_id: str, project_id: int, ring: str, subject: str, body: str) -> CommandResult:
    """The project's author keeps their edited e-mail draft for one ring."""

    def apply(session: Session) -> tuple[str, dict]:
        project, tribe_map = _changing(session, actor, project_id, gated=False)
        map_rules.check_can_edit_owner_things(actor, project.author_id)
        clean = draft_rules.validate_draft(ring, subject, body)
        draft = session.execute(select(EmailDraft).where(EmailDraft.map_id == tribe_map.id, EmailDraft.ring == clean["ring"])
                                ).scalar_one_or_none()
        if draft is None:
            draft = EmailDraft(map_id=tribe_map.id, ring=clean["ring"], body="")
            session.add(draft)
        draft.subject, draft.body, draft.updated_by, draft.updated_at = clean["subject"], clean["body"], actor.participant_id, utcnow()
        session.flush()
        return "email_draft_saved", {"project_id": project_id, "draft": draft_dict(draft)}

    return execute(db, actor.board_id, actor, op_id, apply)


def email_preview(db: Database, actor: Actor, project_id: int, ring: str) -> dict:
    """The template's draft for one ring, from the project's words and plan today (nothing stored)."""
    with db.read() as session:
        project = _project(session, actor, project_id)
        if is_hidden(session, actor.board_id, project_id) and not moderation_rules.sees_hidden(actor, project.author_id):
            # The draft is built from the story: it is the card's content.
            raise DomainError("project_hidden", "the facilitator hid this card", project_id=project_id)
        board = session.get(Board, actor.board_id)
        tribe_map = _find_map(session, project_id)
        nodes, items = [], []
        if tribe_map is not None:
            nodes = [node_dict(n) for n in session.execute(select(MapNode).where(MapNode.map_id == tribe_map.id)).scalars()]
            items = [plan_item_dict(i) for i in session.execute(select(PlanItem).where(PlanItem.map_id == tribe_map.id)).scalars()]
        return draft_rules.compose(board.language, ring, project_dict(project), items, nodes)
