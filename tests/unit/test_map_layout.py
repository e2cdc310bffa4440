"""The exports' tribe-map words: no label over another, a node, a ring name or the project; none leaves the drawing."""
from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET

import pytest

from server.domain import tribe_maps as rules
from server.export import map_layout, map_svg

pytestmark = pytest.mark.unit
SVG = "{http://www.w3.org/2000/svg}"
NAMES = {"inner": "Inner circle", "network": "Network", "crowd": "Crowd"}


def _node(node_id: int, ring: str, index: int, label: str, reach: int = 50) -> dict:
    pos = rules.default_position(ring, index)
    return {"id": node_id, "label": label, "kind": "person", "ring": ring, "reach": reach, "x": pos.x, "y": pos.y}


def _drawn(tribe_map: dict) -> tuple[list[map_layout.Box], list[tuple[float, float, float]], list[str], ET.Element]:
    """The word plates, node circles (absolute) and label texts of the rendered SVG."""
    drawing = ET.fromstring(str(map_svg.render(tribe_map, "Fromagerie solidaire du quartier", "c", NAMES)))
    plates, texts = [], []
    for g in drawing.iter(f"{SVG}g"):
        if g.get("class") in ("map-node-label", "map-ring-label"):
            rect = g.find(f"{SVG}rect")
            left, top = float(rect.get("x")), float(rect.get("y"))
            plates.append(map_layout.Box(left, top, left + float(rect.get("width")), top + float(rect.get("height"))))
            texts.append(g.find(f"{SVG}text").text)
    circles = []
    for g in drawing.iter(f"{SVG}g"):
        if g.get("class") == "map-node":
            x, y = (float(v) for v in g.get("transform")[len("translate("):-1].split())
            circles.append((x, y, float(g.find(f"{SVG}circle").get("r"))))
    return plates, circles, texts, drawing


def _assert_clear(plates, circles, ring_names_may_cover_nodes=False):
    for a, b in itertools.combinations(plates, 2):
        assert not a.hits(b), (a, b)
    for index, box in enumerate(plates):
        assert box.inside(), box
        assert not box.hits_circle(0, 0, map_layout.CENTRE), box
        if ring_names_may_cover_nodes and index < 3:
            continue
        for cx, cy, r in circles:
            assert not box.hits_circle(cx, cy, r), (box, (cx, cy, r))


def test_people_at_the_same_angle_in_three_rings_and_one_at_the_edge_are_all_named_clear_of_each_other():
    # The first node of each ring sits straight up: the "Colleagues × Local bakery × Platform visitors".
    nodes = [_node(1, "inner", 0, "Colleagues"), _node(2, "network", 0, "Local bakery"),
             _node(3, "crowd", 0, "Platform visitors"),
             {"id": 4, "label": "Platform visitors", "kind": "media", "ring": "crowd", "reach": 9000, "x": 0.95, "y": 0.1}]
    plates, circles, texts, _ = _drawn({"project_id": 1, "nodes": nodes, "links": []})
    _assert_clear(plates, circles)
    assert sorted(texts) == sorted(["INNER CIRCLE", "NETWORK", "CROWD", "Colleagues", "Local bakery",
                                    "Platform visitors", "Platform visitors"])


def test_a_full_map_of_long_labels_never_overlaps_and_names_the_widest_reach_first():
    label = "Association des commerçants du quartier Saint-Michel et amis"[: rules.NODE_LABEL_MAX]
    nodes = [_node(i, ring, i // 3, f"{label}{i}", reach=10 ** (i % 6)) for i, ring in
             zip(range(rules.NODES_PER_MAP), itertools.cycle(rules.RINGS))]
    plates, circles, texts, _ = _drawn({"project_id": 1, "nodes": nodes, "links": []})
    # 150 nodes leave no free spot for a ring's name: it covers the fewest nodes; labels stay clear of it.
    _assert_clear(plates, circles, ring_names_may_cover_nodes=True)
    assert {"INNER CIRCLE", "NETWORK", "CROWD"} <= set(texts)
    named = len(texts) - 3
    assert named >= 10
    # Left off only when there is no room, and the widest audiences get the room first.
    _, labels = map_svg.layout({"nodes": nodes}, NAMES)
    widest = [n["id"] for n in nodes if n["reach"] == 10 ** 5]
    assert sum(node_id in labels for node_id in widest) >= len(widest) // 2


def test_the_project_title_wraps_inside_its_disc_whole_or_shortened_with_an_ellipsis():
    size, lines = map_layout.title_lines("Fromagerie solidaire du quartier", 24)
    assert " ".join(lines) == "Fromagerie solidaire du quartier"
    assert len(lines) <= map_layout.TITLE_LINES
    assert all(map_layout.text_width(line, size) <= map_layout.TITLE_WIDTH for line in lines)
    size, lines = map_layout.title_lines("W" * 80, 24)
    assert len(lines) == map_layout.TITLE_LINES and lines[-1].endswith("…")
    assert all(map_layout.text_width(line, size) <= map_layout.TITLE_WIDTH for line in lines)


def test_every_word_is_text_in_the_drawing_never_markup():
    nodes = [_node(1, "inner", 0, "</text><script>")]
    _, _, texts, drawing = _drawn({"project_id": 1, "nodes": nodes, "links": []})
    assert "</text><script>" in texts
    assert not [e for e in drawing.iter() if e.tag == f"{SVG}script"]
