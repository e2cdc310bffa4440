"""A tribe map as inline SVG, drawn like on screen (client/js/views/maps/map_svg.js + client/css/map.css).

Three rings in their colours around the project, nodes sized by reach with the kind in the
outline, links as arrows. Positions are map units in [-1, 1] with the project at (0, 0)
(`domain/tribe_maps.py`), so the picture is the one every screen shows. Every piece of user
text is XML-escaped; presentation attributes only (no CSS classes needed), so it prints alone.
"""
from __future__ import annotations

import math

from markupsafe import Markup, escape

from ..domain.tribe_maps import CENTRE_RADIUS, RING_BANDS
from . import map_layout

# The rings keep one colour each everywhere (client/css/tokens.css: --ring-inner, --ring-network, --ring-crowd).
RING_COLOURS = {"inner": "#d1495b", "network": "#edae49", "crowd": "#00798c"}
TEXT, MUTED, ACCENT, SURFACE, BG = "#2b2622", "#5f574f", "#b4501e", "#ffffff", "#fbf8f3"
SCALE = 500  # map units -> SVG units, as on screen
LABEL_MAX = 22
LABEL_SIZE, RING_SIZE, TITLE_SIZE = 26, 22, 24   # font sizes, SVG units (the screen's, client/js/views/maps/map_svg.js)
ARROW = 21  # the arrow head's length, SVG units
# A node's outline says its kind (the screen's .kind-* rules).
KIND_STROKE = {
    "person": f'stroke="{SURFACE}" stroke-width="3"',
    "community": f'stroke="{TEXT}" stroke-width="3" stroke-dasharray="6 3"',
    "organisation": f'stroke="{TEXT}" stroke-width="5"',
    "media": f'stroke="{TEXT}" stroke-width="4" stroke-dasharray="2 3"',
}


def node_radius(reach: int) -> float:
    """A node's circle radius (SVG units) from its reach: big audiences show bigger, never huge."""
    return 14 + 7 * math.log10(max(0, reach) + 1)


def _f(value: float) -> str:
    return f"{value:.1f}"


def _rings() -> list[str]:
    parts = []
    for ring in ("crowd", "network", "inner"):
        colour = RING_COLOURS[ring]
        parts.append(f'<circle class="map-ring ring-{ring}" cx="0" cy="0" r="{_f(RING_BANDS[ring][1] * SCALE)}" fill="{colour}" '
                     f'fill-opacity="0.13" stroke="{colour}" stroke-width="2" stroke-opacity="0.55"/>')
    return parts


def _plate(box: map_layout.Box) -> str:
    # A plate behind each word, not a stroked halo: PDF renderers (WeasyPrint) ignore paint-order and
    # would paint the halo over the letters, leaving them light on the pale rings.
    return (f'<rect x="{_f(box.left)}" y="{_f(box.top)}" width="{_f(box.right - box.left)}" '
            f'height="{_f(box.bottom - box.top)}" rx="6" fill="{BG}" fill-opacity="0.92"/>')


def _ring_name(ring: str, word: map_layout.Placed) -> str:
    return (f'<g class="map-ring-label" data-ring="{ring}">{_plate(word.box)}<text x="{_f(word.x)}" y="{_f(word.baseline)}" '
            f'text-anchor="middle" font-size="{RING_SIZE}" font-weight="700" fill="{MUTED}">{escape(word.text)}</text></g>')


def _title(project_title: str) -> str:
    size, lines = map_layout.title_lines(project_title, TITLE_SIZE)
    step = size * 1.15
    first = -step * (len(lines) - 1) / 2 + size * 0.35
    spans = "".join(f'<tspan x="0" y="{_f(first + i * step)}">{escape(line)}</tspan>' for i, line in enumerate(lines))
    return (f'<text class="map-project-title" text-anchor="middle" font-size="{_f(size)}" font-weight="700" fill="{TEXT}" '
            f'style="unicode-bidi: plaintext">{spans}</text>')


def _link(a: dict, b: dict) -> str | None:
    x1, y1, x2, y2 = a["x"] * SCALE, a["y"] * SCALE, b["x"] * SCALE, b["y"] * SCALE
    length = math.hypot(x2 - x1, y2 - y1) or 1
    # Stop the arrow at the circles' edges so its head touches the node it points at.
    start, end = node_radius(a["reach"]) / length, (node_radius(b["reach"]) + 3) / length
    if start + end >= 1:
        return None
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    sx, sy, ex, ey = x1 + (x2 - x1) * start, y1 + (y2 - y1) * start, x2 - (x2 - x1) * end, y2 - (y2 - y1) * end
    # The screen's arrow head (a marker 7 stroke-widths long), drawn as a plain triangle: PDF renderers
    # draw a marker per link far more slowly than one more path.
    back_x, back_y = ex - ux * ARROW, ey - uy * ARROW
    left = (back_x - uy * ARROW / 2, back_y + ux * ARROW / 2)
    right = (back_x + uy * ARROW / 2, back_y - ux * ARROW / 2)
    return (f'<line class="map-link" x1="{_f(sx)}" y1="{_f(sy)}" x2="{_f(back_x)}" y2="{_f(back_y)}" stroke="{MUTED}" '
            f'stroke-width="3"/><path class="map-arrow-head" d="M{_f(ex)} {_f(ey)}L{_f(left[0])} {_f(left[1])}'
            f'L{_f(right[0])} {_f(right[1])}z" fill="{MUTED}"/>')


def _node(node: dict) -> str:
    radius = node_radius(node["reach"])
    colour = RING_COLOURS.get(node["ring"], MUTED)
    stroke = KIND_STROKE.get(node["kind"], KIND_STROKE["person"])
    return (f'<g class="map-node" data-ring="{escape(node["ring"])}" data-node-id="{int(node["id"])}" '
            f'transform="translate({_f(node["x"] * SCALE)} {_f(node["y"] * SCALE)})">'
            f'<title>{escape(node["label"])}</title><circle cx="0" cy="0" r="{_f(radius)}" fill="{colour}" {stroke}/></g>')


def _label(node_id: int, word: map_layout.Placed) -> str:
    return (f'<g class="map-node-label" data-node-id="{int(node_id)}">{_plate(word.box)}<text x="{_f(word.x)}" '
            f'y="{_f(word.baseline)}" text-anchor="middle" font-size="{LABEL_SIZE}" fill="{TEXT}" '
            f'style="unicode-bidi: plaintext">{escape(word.text)}</text></g>')


def layout(tribe_map: dict, ring_names: dict[str, str]) -> tuple[dict[str, map_layout.Placed], dict]:
    """Where the ring names and the node labels go: map_layout's rules at the export's font sizes."""
    nodes = [{"id": n["id"], "x": n["x"] * SCALE, "y": n["y"] * SCALE, "r": node_radius(n["reach"]), "label": n["label"],
              "reach": n["reach"], "order": n["id"]} for n in tribe_map["nodes"]]
    rings = map_layout.ring_labels({ring: name.upper() for ring, name in ring_names.items()}, RING_SIZE,
                                   [(n["x"], n["y"], n["r"]) for n in nodes])
    labels = map_layout.node_labels(nodes, LABEL_SIZE, LABEL_MAX, [word.box for word in rings.values()])
    return rings, labels


def render(tribe_map: dict, project_title: str, caption: str, ring_names: dict[str, str]) -> Markup:
    """One map as an `<svg>` element, safe to inline in HTML (every text escaped)."""
    pid = int(tribe_map["project_id"])
    parts = [
        f'<svg class="tribe-map map-svg" xmlns="http://www.w3.org/2000/svg" viewBox="-520 -520 1040 1040" role="img" '
        f'aria-labelledby="map-title-{pid}" data-project-id="{pid}" font-family="DejaVu Sans, Liberation Sans, sans-serif">',
        f'<title id="map-title-{pid}">{escape(caption)}</title>',
        *_rings(),
        f'<circle class="map-project" cx="0" cy="0" r="{_f(CENTRE_RADIUS * SCALE * 0.9)}" fill="{SURFACE}" stroke="{ACCENT}" stroke-width="4"/>',
        _title(project_title),
    ]
    nodes = {n["id"]: n for n in tribe_map["nodes"]}
    for link in sorted(tribe_map["links"], key=lambda item: item["id"]):
        a, b = nodes.get(link["from_node_id"]), nodes.get(link["to_node_id"])
        line = _link(a, b) if a and b else None
        if line:
            parts.append(line)
    ordered = sorted(tribe_map["nodes"], key=lambda item: item["id"])
    parts += [_node(n) for n in ordered]
    # The words last, over the links and circles they were placed clear of.
    rings, labels = layout(tribe_map, ring_names)
    parts += [_ring_name(ring, word) for ring, word in rings.items()]
    parts += [_label(n["id"], labels[n["id"]]) for n in ordered if n["id"] in labels]
    parts.append("</svg>")
    return Markup("".join(parts))
