"""A tribe map as inline SVG, drawn like on screen: three coloured rings, the project in the middle.

Positions are map units in [-1, 1] with the project at (0, 0) (`domain/tribe_maps.py`), so the
picture is the one every screen shows. Every piece of user text is XML-escaped.
"""
from __future__ import annotations

import math

from markupsafe import Markup, escape

from ..domain.tribe_maps import CENTRE_RADIUS, OUTER_RADIUS, RING_BANDS

# The rings keep one colour each everywhere (client/css/tokens.css: --ring-inner, --ring-network, --ring-crowd).
RING_COLOURS = {"inner": "#d1495b", "network": "#edae49", "crowd": "#00798c"}
NODE_RADIUS = 3.2  # SVG units
SCALE = 100  # map unit -> SVG unit
LABEL_MAX = 28  # characters drawn under a node; the lists next to the map carry the full label


def _u(value: float) -> str:
    """A coordinate in SVG units, short and stable."""
    return f"{value * SCALE:.1f}".rstrip("0").rstrip(".") or "0"


def tint(colour: str, strength: float = 0.16) -> str:
    """`colour` mixed with white: an opaque pale band, so stacked discs never blend into mud."""
    channels = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - c) * strength):02x}" for c in channels)


def _link_ends(a: dict, b: dict) -> tuple[float, float, float, float] | None:
    """A link's line in SVG units, cut at both nodes' edges so the arrow head shows."""
    x1, y1, x2, y2 = a["x"] * SCALE, a["y"] * SCALE, b["x"] * SCALE, b["y"] * SCALE
    length = math.hypot(x2 - x1, y2 - y1)
    if length <= 2 * NODE_RADIUS + 1:
        return None
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    start, end = NODE_RADIUS + 0.4, NODE_RADIUS + 0.8
    return x1 + ux * start, y1 + uy * start, x2 - ux * end, y2 - uy * end


def _short(label: str) -> str:
    return label if len(label) <= LABEL_MAX else label[: LABEL_MAX - 1] + "…"


def _centre_title(title: str) -> list[str]:
    """The project's title on up to two short lines inside the centre disc."""
    words, lines, current = title.split(), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > 14:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
        if len(lines) == 2:
            break
    if current and len(lines) < 2:
        lines.append(current)
    if len(lines) == 2 and len(" ".join(lines)) < len(title.strip()):
        lines[1] = lines[1][:13] + "…"
    return [line[:15] for line in lines] or [""]


def render(tribe_map: dict, project_title: str, caption: str) -> Markup:
    """One map as an `<svg>` element (safe to inline in HTML): rings, links as arrows, nodes and labels."""
    uid = f"m{int(tribe_map['project_id'])}"
    parts = [
        f'<svg class="tribe-map" xmlns="http://www.w3.org/2000/svg" viewBox="-105 -105 210 210" role="img" '
        f'aria-labelledby="{uid}-t" data-project-id="{int(tribe_map["project_id"])}">',
        f'<title id="{uid}-t">{escape(caption)}</title>',
        f'<defs><marker id="{uid}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" '
        f'orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#5f574f"/></marker></defs>',
    ]
    # Bands from the outside in, so each disc covers the inner part of the previous one.
    for ring in ("crowd", "network", "inner"):
        outer = OUTER_RADIUS if ring == "crowd" else RING_BANDS[ring][1]
        parts.append(f'<circle class="ring ring-{ring}" r="{_u(outer)}" fill="{tint(RING_COLOURS[ring])}" '
                     f'stroke="{RING_COLOURS[ring]}" stroke-width="0.8"/>')
    parts.append(f'<circle class="centre" r="{_u(CENTRE_RADIUS)}" fill="#ffffff" stroke="#2b2622" stroke-width="0.8"/>')
    lines = _centre_title(project_title)
    first_y = -2.2 * (len(lines) - 1) + 1.5
    for i, line in enumerate(lines):
        parts.append(f'<text class="centre-title" x="0" y="{first_y + 4.4 * i:.1f}" text-anchor="middle" font-size="4" '
                     f'font-weight="bold" fill="#2b2622">{escape(line)}</text>')
    nodes = {n["id"]: n for n in tribe_map["nodes"]}
    for link in tribe_map["links"]:
        a, b = nodes.get(link["from_node_id"]), nodes.get(link["to_node_id"])
        if a is None or b is None:
            continue
        ends = _link_ends(a, b)
        if ends is None:
            continue
        x1, y1, x2, y2 = (f"{v:.1f}" for v in ends)
        parts.append(f'<line class="link" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" '
                     f'stroke="#5f574f" stroke-width="0.6" marker-end="url(#{uid}-arrow)"/>')
    for node in tribe_map["nodes"]:
        colour = RING_COLOURS.get(node["ring"], "#5f574f")
        x, y = _u(node["x"]), _u(node["y"])
        parts.append(f'<g class="node node-{escape(node["kind"])}" data-ring="{escape(node["ring"])}">'
                     f'<circle cx="{x}" cy="{y}" r="{NODE_RADIUS}" fill="{colour}" stroke="#ffffff" stroke-width="0.6"/>'
                     f'<text x="{x}" y="{_u(node["y"] + 0.07)}" text-anchor="middle" font-size="3.6" fill="#2b2622" stroke="#ffffff" stroke-width="0.9" paint-order="stroke" '
                     f'style="unicode-bidi: plaintext">{escape(_short(node["label"]))}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))
