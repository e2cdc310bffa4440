"""A tribe map as inline SVG, drawn like on screen (client/js/views/map_svg.js + client/css/map.css).

Three rings in their colours around the project, nodes sized by reach with the kind in the
outline, links as arrows. Positions are map units in [-1, 1] with the project at (0, 0)
(`domain/tribe_maps.py`), so the picture is the one every screen shows. Every piece of user
text is XML-escaped; presentation attributes only (no CSS classes needed), so it prints alone.
"""
from __future__ import annotations

import math

from markupsafe import Markup, escape

from ..domain.tribe_maps import CENTRE_RADIUS, RING_BANDS

# The rings keep one colour each everywhere (client/css/tokens.css: --ring-inner, --ring-network, --ring-crowd).
RING_COLOURS = {"inner": "#d1495b", "network": "#edae49", "crowd": "#00798c"}
TEXT, MUTED, ACCENT, SURFACE, BG = "#2b2622", "#5f574f", "#b4501e", "#ffffff", "#fbf8f3"
SCALE = 500  # map units -> SVG units, as on screen
LABEL_MAX = 22
TITLE_MAX = 18
ARROW = 21  # the arrow head's length, SVG units
# Labels drawn on the map: beyond this many nodes they cover each other (and each costs a PDF
# renderer several milliseconds), so only the widest-reaching ones are named on the drawing;
# every node is named in the list printed beside it.
LABELLED_MAX = 60
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


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _f(value: float) -> str:
    return f"{value:.1f}"


def _rings(ring_names: dict[str, str]) -> list[str]:
    parts = []
    for ring in ("crowd", "network", "inner"):
        colour = RING_COLOURS[ring]
        parts.append(f'<circle class="map-ring ring-{ring}" cx="0" cy="0" r="{_f(RING_BANDS[ring][1] * SCALE)}" fill="{colour}" '
                     f'fill-opacity="0.13" stroke="{colour}" stroke-width="2" stroke-opacity="0.55"/>')
    lower = {"inner": CENTRE_RADIUS, "network": RING_BANDS["inner"][1], "crowd": RING_BANDS["network"][1]}
    for ring in ("inner", "network", "crowd"):
        y = -((lower[ring] + RING_BANDS[ring][1]) / 2) * SCALE
        parts.append(f'<text class="map-ring-label" x="0" y="{_f(y)}" text-anchor="middle" dominant-baseline="middle" '
                     f'font-size="22" font-weight="700" fill="{MUTED}" letter-spacing="0.9">{escape(ring_names[ring].upper())}</text>')
    return parts


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


def _node(node: dict, labelled: bool) -> str:
    radius = node_radius(node["reach"])
    colour = RING_COLOURS.get(node["ring"], MUTED)
    stroke = KIND_STROKE.get(node["kind"], KIND_STROKE["person"])
    label = ""
    if labelled:
        label = (f'<text x="0" y="{_f(radius + 22)}" text-anchor="middle" font-size="26" fill="{TEXT}" stroke="{BG}" '
                 f'stroke-width="5" stroke-linejoin="round" paint-order="stroke" style="unicode-bidi: plaintext">'
                 f'{escape(_short(node["label"], LABEL_MAX))}</text>')
    return (f'<g class="map-node" data-ring="{escape(node["ring"])}" transform="translate({_f(node["x"] * SCALE)} {_f(node["y"] * SCALE)})">'
            f'<title>{escape(node["label"])}</title><circle cx="0" cy="0" r="{_f(radius)}" fill="{colour}" {stroke}/>{label}</g>')


def labelled_ids(nodes: list[dict]) -> set[int]:
    """The nodes named on the drawing: all of them, or the LABELLED_MAX widest-reaching (then the oldest)."""
    ranked = sorted(nodes, key=lambda n: (-n["reach"], n["id"]))
    return {n["id"] for n in ranked[:LABELLED_MAX]}


def render(tribe_map: dict, project_title: str, caption: str, ring_names: dict[str, str]) -> Markup:
    """One map as an `<svg>` element, safe to inline in HTML (every text escaped)."""
    pid = int(tribe_map["project_id"])
    parts = [
        f'<svg class="tribe-map map-svg" xmlns="http://www.w3.org/2000/svg" viewBox="-520 -520 1040 1040" role="img" '
        f'aria-labelledby="map-title-{pid}" data-project-id="{pid}" font-family="DejaVu Sans, Liberation Sans, sans-serif">',
        f'<title id="map-title-{pid}">{escape(caption)}</title>',
        *_rings(ring_names),
        f'<circle class="map-project" cx="0" cy="0" r="{_f(CENTRE_RADIUS * SCALE * 0.9)}" fill="{SURFACE}" stroke="{ACCENT}" stroke-width="4"/>',
        f'<text class="map-project-title" x="0" y="0" text-anchor="middle" dominant-baseline="middle" font-size="24" '
        f'font-weight="700" fill="{TEXT}" style="unicode-bidi: plaintext">{escape(_short(project_title, TITLE_MAX))}</text>',
    ]
    nodes = {n["id"]: n for n in tribe_map["nodes"]}
    for link in sorted(tribe_map["links"], key=lambda item: item["id"]):
        a, b = nodes.get(link["from_node_id"]), nodes.get(link["to_node_id"])
        line = _link(a, b) if a and b else None
        if line:
            parts.append(line)
    named = labelled_ids(tribe_map["nodes"])
    parts += [_node(n, n["id"] in named) for n in sorted(tribe_map["nodes"], key=lambda item: item["id"])]
    parts.append("</svg>")
    return Markup("".join(parts))
