"""Socket handlers of tribe maps: the logged commands, the e-mail preview, live drags and map presence."""
from __future__ import annotations

from flask import request
from pydantic import ValidationError

from ..domain import tribe_maps as map_rules
from ..domain.actors import Actor, Role
from ..domain.errors import DomainError
from ..services.maps import use_cases as tribe_maps
from ..services.commands import CommandResult, actor_label
from ..protection import rate_limits
from . import dispatch, hub, map_presence
from .connections import Connection
from .dispatch import command, current_connection, database
from .hub import socketio
from .map_payloads import (
    EmailDraftSave, EmailPreviewRequest, LinkAdd, LinkRemove, MapPresenceFrame, MapSettingsEdit, NodeAdd,
    NodeDragFrame, NodeEdit, NodeMove, NodeRemove, PlanItemAdd, PlanItemEdit, PlanItemRemove, set_fields,
)


@command("map_node_add", NodeAdd)
def map_node_add(actor: Actor, p: NodeAdd) -> CommandResult:
    """Add a person or group to a project's map (a ring, or a position whose radius gives the ring)."""
    fields = {"label": p.label, "kind": p.kind, "reach": p.reach, "ring": p.ring, "x": p.x, "y": p.y}
    return tribe_maps.add_node(database(), actor, p.op_id, p.project_id, fields)


@command("map_node_move", NodeMove)
def map_node_move(actor: Actor, p: NodeMove) -> CommandResult:
    """Commit a node's new position (the drop of a drag, or a keyboard move)."""
    return tribe_maps.move_node(database(), actor, p.op_id, p.project_id, p.node_id, p.x, p.y)


@command("map_node_edit", NodeEdit)
def map_node_edit(actor: Actor, p: NodeEdit) -> CommandResult:
    """Change a node's label, kind, reach or ring (only the fields sent)."""
    return tribe_maps.edit_node(database(), actor, p.op_id, p.project_id, p.node_id, set_fields(p, "label", "kind", "ring", "reach"))


@command("map_node_remove", NodeRemove)
def map_node_remove(actor: Actor, p: NodeRemove) -> CommandResult:
    """Remove a node and its links."""
    return tribe_maps.remove_node(database(), actor, p.op_id, p.project_id, p.node_id)


@command("map_link_add", LinkAdd)
def map_link_add(actor: Actor, p: LinkAdd) -> CommandResult:
    """Link two nodes: "from can bring to"."""
    return tribe_maps.add_link(database(), actor, p.op_id, p.project_id, p.from_node_id, p.to_node_id)


@command("map_link_remove", LinkRemove)
def map_link_remove(actor: Actor, p: LinkRemove) -> CommandResult:
    """Remove a link."""
    return tribe_maps.remove_link(database(), actor, p.op_id, p.project_id, p.link_id)


@command("plan_item_add", PlanItemAdd)
def plan_item_add(actor: Actor, p: PlanItemAdd) -> CommandResult:
    """Add a share-plan item for a node or a ring."""
    fields = {"what": p.what, "node_id": p.node_id, "ring": p.ring, "when": p.when, "where": p.where, "how": p.how}
    return tribe_maps.add_plan_item(database(), actor, p.op_id, p.project_id, fields)


@command("plan_item_edit", PlanItemEdit)
def plan_item_edit(actor: Actor, p: PlanItemEdit) -> CommandResult:
    """Edit a share-plan item (only the fields sent; node_id or ring re-targets it)."""
    fields = set_fields(p, "what", "node_id", "ring", "when", "where", "how")
    return tribe_maps.edit_plan_item(database(), actor, p.op_id, p.project_id, p.item_id, fields)


@command("plan_item_remove", PlanItemRemove)
def plan_item_remove(actor: Actor, p: PlanItemRemove) -> CommandResult:
    """Remove a share-plan item."""
    return tribe_maps.remove_plan_item(database(), actor, p.op_id, p.project_id, p.item_id)


@command("map_settings_edit", MapSettingsEdit)
def map_settings_edit(actor: Actor, p: MapSettingsEdit) -> CommandResult:
    """Change the momentum meter's assumptions (the project's author)."""
    return tribe_maps.edit_settings(database(), actor, p.op_id, p.project_id, set_fields(p, "average_pledge", "conversion_pct"))


@command("email_draft_save", EmailDraftSave)
def email_draft_save(actor: Actor, p: EmailDraftSave) -> CommandResult:
    """Keep the author's edited e-mail draft for one ring."""
    return tribe_maps.save_email_draft(database(), actor, p.op_id, p.project_id, p.ring, p.subject, p.body)


@dispatch.request("map_email_preview", EmailPreviewRequest)
def map_email_preview(conn: Connection, payload: EmailPreviewRequest) -> dict:
    """The template's e-mail draft for one ring of a map, built now (not logged, not broadcast)."""
    return {"draft": tribe_maps.email_preview(database(), conn.actor, payload.project_id, payload.ring)}


def _ephemeral(model, args):
    """The connection and parsed frame, or None: ephemeral frames are dropped, never answered."""
    try:
        conn = current_connection()
    except DomainError:
        return None
    if len(args) != 1 or not rate_limits.allow_ephemeral(request.sid):
        return None
    try:
        return conn, model.model_validate(args[0])
    except ValidationError:
        return None


def _who(actor: Actor) -> dict:
    return {"viewer": actor_label(actor), "participant_id": actor.participant_id, "role": actor.role.value}


@socketio.on("map_node_drag")
def on_map_node_drag(*args):
    """Relay a node's position while it is dragged to everyone else (throttled, never stored)."""
    parsed = _ephemeral(NodeDragFrame, args)
    if parsed is None:
        return
    conn, frame = parsed
    if conn.actor.role is Role.PROJECTOR:
        return
    position = map_rules.clamp_to_map(frame.x, frame.y)
    # Only to the sockets looking at this map (and those that never said which map they look at):
    # at 20 frames/s, relaying to a whole 1,000-person board would cost as much as every command.
    rooms = [map_presence.map_room(conn.actor.board_id, frame.project_id), map_presence.undeclared_room(conn.actor.board_id)]
    # With the next flush of committed events: a viewer gets both in one write (realtime/fanout.coalesced).
    dispatch.relay_with_next_flush(rooms, "map_node_drag", {
        "project_id": frame.project_id, "node_id": frame.node_id, "x": position.x, "y": position.y,
        "ring": map_rules.ring_of(position), "done": frame.done, **_who(conn.actor),
    }, skip_sid=request.sid)


@socketio.on("map_presence")
def on_map_presence(*args):
    """Tell the people on the map this person opened (and on the one they left) who is looking (ephemeral).

    Only those two maps' viewers hear it: a screen shows the viewers of its own map, and a newcomer
    learns who is already there from their replies. Board-wide, every heartbeat of a 1,000-person
    board would be a thousand frames.
    """
    parsed = _ephemeral(MapPresenceFrame, args)
    if parsed is None:
        return
    conn, frame = parsed
    rooms = map_presence.set_viewing(request.sid, conn.actor.board_id, frame.project_id)
    if rooms:
        hub.send_ephemeral(rooms, "map_presence", {"project_id": frame.project_id, "reply": frame.reply, **_who(conn.actor)},
                           skip_sid=request.sid)
