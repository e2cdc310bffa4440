"""Tribe map rules: rings from positions, placement, nodes, links, plan items, limits, permissions."""
from __future__ import annotations

import math

import pytest

from server.domain import tribe_maps as rules
from server.domain.actors import Actor, Role
from server.domain.errors import DomainError

AUTHOR = Actor(1, Role.PARTICIPANT, 7)
ADDER = Actor(1, Role.PARTICIPANT, 8)
OTHER = Actor(1, Role.PARTICIPANT, 9)
FACILITATOR = Actor(1, Role.FACILITATOR)
PROJECTOR = Actor(1, Role.PROJECTOR)


def raises(fn, *args, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as caught:
        fn(*args, **kwargs)
    return caught.value


# --- rings and positions --------------------------------------------------------------------------

@pytest.mark.parametrize("radius, ring", [
    (0.0, "inner"), (0.3, "inner"), (0.449, "inner"), (0.45, "network"), (0.6, "network"),
    (0.719, "network"), (0.72, "crowd"), (0.95, "crowd"), (1.4, "crowd"),
])
def test_ring_follows_the_radius(radius, ring):
    for angle in (0.0, 1.0, math.pi, -2.0):
        assert rules.ring_of(rules.Position(radius * math.cos(angle), radius * math.sin(angle))) == ring


def test_clamp_keeps_nodes_between_the_project_disc_and_the_edge():
    inside = rules.clamp_to_map(0.05, 0.0)
    assert inside == rules.Position(rules.CENTRE_RADIUS, 0.0)
    outside = rules.clamp_to_map(0.0, -1.5)
    assert outside == rules.Position(0.0, -rules.OUTER_RADIUS)
    # A drop on the very centre goes straight up, onto the inner ring.
    centre = rules.clamp_to_map(0.0, 0.0)
    assert centre == rules.Position(0.0, rules.CENTRE_RADIUS)
    assert rules.ring_of(centre) == "inner"
    # In range: unchanged but for rounding to map precision.
    assert rules.clamp_to_map(0.123456, -0.5) == rules.Position(0.1235, -0.5)


def test_a_move_across_rings_changes_the_ring():
    start = rules.clamp_to_map(0.3, 0.0)
    assert rules.ring_of(start) == "inner"
    dropped = rules.clamp_to_map(0.0, 0.85)
    assert rules.ring_of(dropped) == "crowd"


@pytest.mark.parametrize("ring", rules.RINGS)
def test_place_in_ring_keeps_the_direction(ring):
    position = rules.place_in_ring(rules.Position(0.0, -0.3), ring)
    assert rules.ring_of(position) == ring
    assert position.x == 0.0 and position.y < 0
    low, high = rules.RING_BANDS[ring]
    assert low < position.radius < high


def test_default_positions_spread_inside_their_ring():
    for ring in rules.RINGS:
        positions = [rules.default_position(ring, i) for i in range(12)]
        assert all(rules.ring_of(p) == ring for p in positions)
        assert len(set(positions)) == 12


def test_initial_position_a_given_ring_wins_over_the_position():
    position, ring = rules.initial_position("crowd", 0.3, 0.0, 0)
    assert ring == "crowd" and rules.ring_of(position) == "crowd" and position.y == 0.0
    position, ring = rules.initial_position(None, 0.0, 0.6, 0)
    assert ring == "network" and position == rules.Position(0.0, 0.6)
    position, ring = rules.initial_position(None, None, None, 3)
    assert ring == "inner" and rules.ring_of(position) == "inner"
    assert raises(rules.initial_position, "moon", None, None, 0).code == "invalid_choice"


# --- nodes ----------------------------------------------------------------------------------------

def test_node_fields_are_cleaned():
    node = rules.validate_node({"label": "  Les   amis du  vélo ", "kind": "community", "reach": 120})
    assert node == rules.NodeFields("Les amis du vélo", "community", 120)
    assert rules.validate_node({"label": "Maman"}) == rules.NodeFields("Maman", "person", 0)


@pytest.mark.parametrize("raw, code, field", [
    ({"label": "   "}, "required", "label"),
    ({"label": "x" * (rules.NODE_LABEL_MAX + 1)}, "too_long", "label"),
    ({"label": "A", "kind": "robot"}, "invalid_choice", "kind"),
    ({"label": "A", "reach": -1}, "out_of_range", "reach"),
    ({"label": "A", "reach": rules.REACH_MAX + 1}, "out_of_range", "reach"),
    ({"label": "A", "reach": True}, "out_of_range", "reach"),
])
def test_bad_node_fields_name_the_field(raw, code, field):
    error = raises(rules.validate_node, raw)
    assert (error.code, error.params["field"]) == (code, field)


# --- links ----------------------------------------------------------------------------------------

def test_links_refuse_self_and_duplicates():
    rules.check_link(1, 2, set())
    rules.check_link(2, 1, {(1, 2)})  # "B can bring A" is another path than "A can bring B"
    assert raises(rules.check_link, 3, 3, set()).code == "self_link"
    assert raises(rules.check_link, 1, 2, {(1, 2)}).code == "duplicate_link"


# --- share plan -----------------------------------------------------------------------------------

def test_plan_item_for_a_node_or_a_ring():
    item = rules.validate_plan_item({"what": " Teaser video ", "node_id": 4, "when": "before_launch", "where": "Instagram"})
    assert item == rules.PlanFields("Teaser video", 4, None, "before_launch", "Instagram", "")
    item = rules.validate_plan_item({"what": "Personal mail", "ring": "inner", "when": "launch_day", "how": "Dear…"})
    assert (item.node_id, item.ring, item.how) == (None, "inner", "Dear…")


@pytest.mark.parametrize("raw, code", [
    ({"what": "x", "when": "launch_day"}, "invalid_target"),
    ({"what": "x", "node_id": 1, "ring": "inner", "when": "launch_day"}, "invalid_target"),
    ({"what": "x", "ring": "inner", "when": "someday"}, "invalid_choice"),
    ({"what": "", "ring": "inner", "when": "after"}, "required"),
    ({"what": "x" * (rules.PLAN_WHAT_MAX + 1), "ring": "inner", "when": "after"}, "too_long"),
    ({"what": "x", "ring": "inner", "when": "after", "how": "m" * (rules.PLAN_HOW_MAX + 1)}, "too_long"),
    ({"what": "x", "ring": "inner", "when": "after", "where": "w" * (rules.PLAN_WHERE_MAX + 1)}, "too_long"),
])
def test_bad_plan_items_are_refused(raw, code):
    assert raises(rules.validate_plan_item, raw).code == code


def test_timeline_orders_by_campaign_phase_then_by_addition():
    items = [
        {"id": 5, "when": "after"}, {"id": 1, "when": "first_week"}, {"id": 9, "when": "before_launch"},
        {"id": 2, "when": "before_launch"}, {"id": 3, "when": "final_push"}, {"id": 4, "when": "launch_day"},
    ]
    ordered = [item["id"] for item in sorted(items, key=rules.phase_order)]
    assert ordered == [2, 9, 4, 1, 3, 5]


def test_settings_ranges():
    assert rules.validate_settings(25, 10) == (25, 10)
    assert raises(rules.validate_settings, 0, 10).params["field"] == "average_pledge"
    assert raises(rules.validate_settings, 25, 0).params["field"] == "conversion_pct"
    assert raises(rules.validate_settings, 25, 101).code == "out_of_range"


# --- limits ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("check, maximum, name", [
    (rules.check_node_count, rules.NODES_PER_MAP, "nodes_per_map"),
    (rules.check_link_count, rules.LINKS_PER_MAP, "links_per_map"),
    (rules.check_plan_count, rules.PLAN_ITEMS_PER_MAP, "plan_items_per_map"),
])
def test_limits_name_the_limit_hit(check, maximum, name):
    check(maximum - 1)
    error = raises(check, maximum)
    assert error.code == "limit_reached"
    assert error.params == {"limit": name, "maximum": maximum}
    assert name in error.message


# --- permissions ----------------------------------------------------------------------------------

def test_anyone_on_the_board_adds_but_the_projector():
    for actor in (AUTHOR, OTHER, FACILITATOR):
        rules.check_can_add(actor)
    assert raises(rules.check_can_add, PROJECTOR).code == "forbidden"


def test_who_changes_a_node_link_or_plan_item():
    author_id, added_by = 7, 8
    rules.check_can_change(AUTHOR, author_id, added_by)       # the project's author: anything on their map
    rules.check_can_change(ADDER, author_id, added_by)        # others: what they added
    rules.check_can_change(FACILITATOR, author_id, added_by)  # the facilitator moderates
    rules.check_can_change(FACILITATOR, author_id, None)
    assert raises(rules.check_can_change, OTHER, author_id, added_by).code == "not_allowed"
    assert raises(rules.check_can_change, PROJECTOR, author_id, added_by).code == "forbidden"
    # Something the facilitator added (added_by None) is not anyone's but the author's and facilitator's.
    assert raises(rules.check_can_change, OTHER, author_id, None).code == "not_allowed"
    rules.check_can_change(AUTHOR, author_id, None)


def test_settings_and_drafts_belong_to_the_author():
    rules.check_can_edit_owner_things(AUTHOR, 7)
    rules.check_can_edit_owner_things(FACILITATOR, 7)
    assert raises(rules.check_can_edit_owner_things, ADDER, 7).code == "not_author"
    assert raises(rules.check_can_edit_owner_things, OTHER, None).code == "not_author"
    assert raises(rules.check_can_edit_owner_things, PROJECTOR, 7).code == "forbidden"
