"""Tribe map rules: rings, positions, nodes, links, share-plan items, who may change what, limits."""
from __future__ import annotations

import math
from dataclasses import dataclass

from . import limits
from .actors import Actor, require_writer
from .errors import DomainError

# The snowball, from the first backers outwards (PRODUCT.md, "Tribe map").
RINGS = ("inner", "network", "crowd")
KINDS = ("person", "community", "organisation", "media")
# Campaign phases, in the order the share plan's timeline reads.
PHASES = ("before_launch", "launch_day", "first_week", "mid_campaign", "final_push", "after")

# Positions are relative to the map: x, y in [-1, 1], the project at (0, 0). The radius decides the
# ring, so a map looks the same on a laptop and on a projector, and a move across rings changes it.
CENTRE_RADIUS = 0.2          # the project's own disc: nodes stay outside it
OUTER_RADIUS = 0.96          # keep the node's circle inside the drawing
RING_BANDS = {
    "inner": (CENTRE_RADIUS, 0.45),
    "network": (0.45, 0.72),
    "crowd": (0.72, OUTER_RADIUS),
}
BAND_MARGIN = 0.03           # a node placed "in a ring" sits clearly inside the band, not on its edge
POSITION_DECIMALS = 4

# Explicit limits (the error names the one hit).
NODES_PER_MAP = 150
LINKS_PER_MAP = 300
PLAN_ITEMS_PER_MAP = 120
NODE_LABEL_MAX = 60
REACH_MAX = 10_000_000
PLAN_WHAT_MAX = 200
PLAN_WHERE_MAX = 80
PLAN_HOW_MAX = 1000
AVERAGE_PLEDGE_MAX = 100_000
CONVERSION_PCT_MIN = 1
CONVERSION_PCT_MAX = 100
DEFAULT_AVERAGE_PLEDGE = 30
DEFAULT_CONVERSION_PCT = 20


@dataclass(frozen=True)
class Position:
    """A node's place on the map, relative to the centre, in map units."""

    x: float
    y: float

    @property
    def radius(self) -> float:
        return math.hypot(self.x, self.y)

    @property
    def angle(self) -> float:
        return math.atan2(self.y, self.x)


def _rounded(radius: float, angle: float) -> Position:
    return Position(round(radius * math.cos(angle), POSITION_DECIMALS), round(radius * math.sin(angle), POSITION_DECIMALS))


def ring_of(position: Position) -> str:
    """The ring a position falls in (the centre counts as inner, beyond the edge as crowd)."""
    radius = position.radius
    if radius < RING_BANDS["inner"][1]:
        return "inner"
    if radius < RING_BANDS["network"][1]:
        return "network"
    return "crowd"


def clamp_to_map(x: float, y: float) -> Position:
    """Keep a dropped position on the map: outside the project's disc, inside the outer edge."""
    position = Position(x, y)
    radius = position.radius
    # A drop exactly on the centre has no angle: put it straight up.
    angle = position.angle if radius > 1e-9 else math.pi / 2
    return _rounded(min(max(radius, CENTRE_RADIUS), OUTER_RADIUS), angle)


def place_in_ring(position: Position, ring: str) -> Position:
    """The same direction as `position`, its radius brought inside `ring`'s band."""
    low, high = RING_BANDS[check_ring(ring)]
    radius = position.radius
    angle = position.angle if radius > 1e-9 else math.pi / 2
    return _rounded(min(max(radius, low + BAND_MARGIN), high - BAND_MARGIN), angle)


def default_position(ring: str, index_in_ring: int) -> Position:
    """Where a node added without a position goes: spread around its ring by the golden angle."""
    low, high = RING_BANDS[check_ring(ring)]
    golden = math.pi * (3 - math.sqrt(5))
    # Start at the top and alternate slightly between two radii so neighbours don't overlap.
    angle = -math.pi / 2 + index_in_ring * golden
    radius = (low + high) / 2 + (0.15 if index_in_ring % 2 else -0.15) * (high - low)
    return _rounded(radius, angle)


def check_ring(ring: str) -> str:
    """One of the three rings."""
    if ring not in RINGS:
        raise DomainError("invalid_choice", "unknown ring", field="ring", choices=list(RINGS))
    return ring


def check_kind(kind: str) -> str:
    """One of the node kinds."""
    if kind not in KINDS:
        raise DomainError("invalid_choice", "unknown kind", field="kind", choices=list(KINDS))
    return kind


def check_phase(phase: str) -> str:
    """One of the campaign phases of the share plan."""
    if phase not in PHASES:
        raise DomainError("invalid_choice", "unknown campaign phase", field="when", choices=list(PHASES))
    return phase


def check_reach(reach: int) -> int:
    """An estimated number of people, 0 to REACH_MAX."""
    if isinstance(reach, bool) or not isinstance(reach, int) or not 0 <= reach <= REACH_MAX:
        raise DomainError("out_of_range", f"reach must be between 0 and {REACH_MAX}", field="reach", minimum=0, maximum=REACH_MAX)
    return reach


def clean_label(raw: str) -> str:
    """A node's label: required, one line, at most NODE_LABEL_MAX characters."""
    return limits.check_text("label", " ".join((raw or "").split()), NODE_LABEL_MAX, required=True)


@dataclass(frozen=True)
class NodeFields:
    """A node's content once checked (its position is handled separately)."""

    label: str
    kind: str
    reach: int


def validate_node(raw: dict) -> NodeFields:
    """Clean and check a node's label, kind and reach, or raise the first DomainError."""
    return NodeFields(
        label=clean_label(raw.get("label", "")),
        kind=check_kind(raw.get("kind", "person")),
        reach=check_reach(raw.get("reach", 0)),
    )


def initial_position(ring: str | None, x: float | None, y: float | None, index_in_ring: int) -> tuple[Position, str]:
    """Where a new node goes and its ring: a given ring wins, a given position keeps its direction."""
    if x is None or y is None:
        ring = check_ring(ring or "inner")
        return default_position(ring, index_in_ring), ring
    position = clamp_to_map(x, y)
    if ring is None:
        return position, ring_of(position)
    return place_in_ring(position, ring), check_ring(ring)


@dataclass(frozen=True)
class PlanFields:
    """A share-plan item once checked: what, to whom (a node or a ring), when, where, how."""

    what: str
    node_id: int | None
    ring: str | None
    when: str
    where: str
    how: str


def validate_plan_item(raw: dict) -> PlanFields:
    """Clean and check a share-plan item; exactly one of node_id and ring says to whom."""
    node_id, ring = raw.get("node_id"), raw.get("ring")
    if (node_id is None) == (ring is None):
        raise DomainError("invalid_target", "a plan item is for one node or one ring", field="whom")
    return PlanFields(
        what=limits.check_text("what", raw.get("what", ""), PLAN_WHAT_MAX, required=True),
        node_id=node_id,
        ring=check_ring(ring) if ring is not None else None,
        when=check_phase(raw.get("when", "")),
        where=limits.check_text("where", raw.get("where", ""), PLAN_WHERE_MAX),
        how=limits.check_text("how", raw.get("how", ""), PLAN_HOW_MAX),
    )


def phase_order(item: dict) -> tuple[int, int]:
    """Sort key of the share plan's timeline: campaign phase, then the order items were added."""
    return PHASES.index(item["when"]), item["id"]


def validate_settings(average_pledge: int, conversion_pct: int) -> tuple[int, int]:
    """The momentum meter's assumptions: an average pledge and a conversion rate in percent."""
    if isinstance(average_pledge, bool) or not 1 <= average_pledge <= AVERAGE_PLEDGE_MAX:
        raise DomainError("out_of_range", f"the average pledge must be between 1 and {AVERAGE_PLEDGE_MAX}",
                          field="average_pledge", minimum=1, maximum=AVERAGE_PLEDGE_MAX)
    if isinstance(conversion_pct, bool) or not CONVERSION_PCT_MIN <= conversion_pct <= CONVERSION_PCT_MAX:
        raise DomainError("out_of_range", f"the conversion must be between {CONVERSION_PCT_MIN} and {CONVERSION_PCT_MAX} %",
                          field="conversion_pct", minimum=CONVERSION_PCT_MIN, maximum=CONVERSION_PCT_MAX)
    return average_pledge, conversion_pct


# --- limits -------------------------------------------------------------------------------------

def check_node_count(current: int) -> None:
    """A map holds at most NODES_PER_MAP nodes."""
    limits.check_count("nodes_per_map", current, NODES_PER_MAP)


def check_link_count(current: int) -> None:
    """A map holds at most LINKS_PER_MAP links."""
    limits.check_count("links_per_map", current, LINKS_PER_MAP)


def check_plan_count(current: int) -> None:
    """A map's share plan holds at most PLAN_ITEMS_PER_MAP items."""
    limits.check_count("plan_items_per_map", current, PLAN_ITEMS_PER_MAP)


def check_link(from_id: int, to_id: int, existing_pairs: set[tuple[int, int]]) -> None:
    """"A can bring B": two different nodes, and not twice the same link."""
    if from_id == to_id:
        raise DomainError("self_link", "a node cannot bring itself", node_id=from_id)
    if (from_id, to_id) in existing_pairs:
        raise DomainError("duplicate_link", "these two nodes are already linked", from_node_id=from_id, to_node_id=to_id)


# --- permissions --------------------------------------------------------------------------------

def check_can_add(actor: Actor) -> None:
    """Anyone on the board adds to any map (co-building); the projector is read-only."""
    require_writer(actor)


def check_can_change(actor: Actor, project_author_id: int | None, added_by: int | None) -> None:
    """Edit, move or remove: the project's author anything on their map, others what they added, the facilitator all."""
    require_writer(actor)
    if actor.is_facilitator:
        return
    if actor.is_participant and actor.participant_id is not None and actor.participant_id in (project_author_id, added_by):
        return
    raise DomainError("not_allowed", "only the project's author, the person who added this, or the facilitator can change it")


def check_can_edit_owner_things(actor: Actor, project_author_id: int | None) -> None:
    """The map's settings and e-mail drafts belong to the project's author (and the facilitator moderating)."""
    require_writer(actor)
    if actor.is_facilitator:
        return
    if actor.is_participant and actor.participant_id is not None and actor.participant_id == project_author_id:
        return
    raise DomainError("not_author", "only the project's author (or the facilitator) can change this")
