"""Tribe-map rows to the plain dicts sent to clients, logged in events and read by exports."""
from __future__ import annotations

from ...domain import tribe_maps as map_rules
from ...persistence.map_models import EmailDraft, MapLink, MapNode, PlanItem, TribeMap
from ...domain.clock import iso


def default_settings() -> dict:
    """The momentum meter's assumptions before anyone changes them."""
    return {"average_pledge": map_rules.DEFAULT_AVERAGE_PLEDGE, "conversion_pct": map_rules.DEFAULT_CONVERSION_PCT}


def settings_dict(tribe_map: TribeMap) -> dict:
    """The map's editable assumptions."""
    return {"average_pledge": tribe_map.average_pledge, "conversion_pct": tribe_map.conversion_pct}


def node_dict(node: MapNode) -> dict:
    """A node as every screen draws it."""
    return {
        "id": node.id, "label": node.label, "kind": node.kind, "ring": node.ring, "reach": node.reach,
        "x": node.x, "y": node.y, "added_by": node.added_by,
    }


def link_dict(link: MapLink) -> dict:
    """"from can bring to"."""
    return {"id": link.id, "from_node_id": link.from_node_id, "to_node_id": link.to_node_id, "added_by": link.added_by}


def plan_item_dict(item: PlanItem) -> dict:
    """A share-plan item with the seed's five questions (whom is node_id or ring)."""
    return {
        "id": item.id, "what": item.what, "node_id": item.node_id, "ring": item.ring,
        "when": item.phase, "where": item.channel, "how": item.message, "added_by": item.added_by,
    }


def draft_dict(draft: EmailDraft) -> dict:
    """A saved e-mail draft for one ring."""
    return {"ring": draft.ring, "subject": draft.subject, "body": draft.body,
            "updated_by": draft.updated_by, "updated_at": iso(draft.updated_at)}
