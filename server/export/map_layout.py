"""Where a tribe map's words go, so that none overlaps another, a node or the project, and none leaves the drawing.

Node labels are placed in order of reach (the widest audiences first) on the first free spot around
their node; ring names on a free spot of their ring, placed before the labels; the project's title is
wrapped inside its disc. A label with no free spot is left off the drawing (the list beside the map
names every node). The same rules, with the same numbers, are client/js/views/maps/map_layout.js: an
export draws the map the screen draws. Text widths are estimated on the generous side, so a real
font's glyphs stay inside the boxes that were checked.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

HALF = 520          # the drawing is the square [-HALF, HALF]² (SVG units)
EDGE = 6            # words keep this far from the drawing's edge
GAP = 6             # between a node's circle and its label
PAD = 3             # around each word box, so neighbours never touch
ASCENT, DESCENT = 0.92, 0.28   # of the font size, above and below the baseline (accents and descenders included)
FITS = (None, 150, 96)         # label widths tried in turn: whole (up to the length cap), then shortened
TITLE_WIDTH = 148   # a title line inside the project's disc (radius 90)
TITLE_LINES = 3
RING_MID = {"inner": 162.5, "network": 292.5, "crowd": 420.0}   # the middle of each band (SVG units)
CENTRE = 90.0       # the project's disc


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle in SVG units."""

    left: float
    top: float
    right: float
    bottom: float

    def hits(self, other: Box) -> bool:
        return self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom

    def hits_circle(self, cx: float, cy: float, r: float) -> bool:
        nx, ny = min(max(cx, self.left), self.right), min(max(cy, self.top), self.bottom)
        return (nx - cx) ** 2 + (ny - cy) ** 2 < r * r

    def inside(self) -> bool:
        limit = HALF - EDGE
        return -limit <= self.left and self.right <= limit and -limit <= self.top and self.bottom <= limit


@dataclass(frozen=True)
class Placed:
    """A piece of text placed: its shown text, its anchor point (middle, baseline), its box."""

    text: str
    x: float
    baseline: float
    box: Box


def char_width(ch: str) -> float:
    """A generous width of one character, in font sizes (DejaVu Sans and common UI fonts fit under it)."""
    code = ord(ch)
    if ch == " ":
        return 0.34
    if ch in "mwMW":
        return 1.0
    if code >= 0x1100:
        return 1.05  # CJK, emoji and other wide glyphs
    if "0" <= ch <= "9":
        return 0.66
    if ch != ch.lower():
        return 0.8
    if ch != ch.upper():
        return 0.64
    return 0.72


def text_width(text: str, size: float) -> float:
    """The estimated width of `text` at font size `size`."""
    return sum(char_width(ch) for ch in text) * size


def fit(text: str, size: float, max_width: float | None, max_chars: int) -> str:
    """`text` shortened with an ellipsis to at most `max_chars` characters and `max_width` units."""
    chars = list(text)
    shown = text if len(chars) <= max_chars else "".join(chars[: max_chars - 1]) + "…"
    while max_width is not None and text_width(shown, size) > max_width and len(chars) > 1:
        keep = len(list(shown)) - 2
        if keep < 1:
            return ""
        shown = "".join(chars[:keep]) + "…"
    return shown


def _box(cx: float, top: float, width: float, size: float) -> Box:
    height = (ASCENT + DESCENT) * size
    return Box(cx - width / 2 - PAD, top - PAD, cx + width / 2 + PAD, top + height + PAD)


def _spots(x: float, y: float, r: float, width: float, size: float) -> list[tuple[float, float]]:
    """Candidate (centre x, top) of a label around a node: below, above, right, left, then the diagonals."""
    height = (ASCENT + DESCENT) * size
    d = r * 0.72 + GAP
    # Under or over a node near the edge, the label slides inwards (still under the node) rather than leave.
    room = HALF - EDGE - PAD - width / 2
    slid = min(max(x, -room), room) if room > 0 else x
    return [
        (slid, y + r + GAP), (slid, y - r - GAP - height),
        (x + r + GAP + width / 2, y - height / 2), (x - r - GAP - width / 2, y - height / 2),
        (x + d + width / 2, y + d), (x - d - width / 2, y + d),
        (x + d + width / 2, y - d - height), (x - d - width / 2, y - d - height),
    ]


class _Space:
    """What is already taken on the drawing: circles and boxes."""

    def __init__(self, circles: list[tuple[float, float, float]]):
        self.circles = circles
        self.boxes: list[Box] = []

    def free(self, box: Box) -> bool:
        return (box.inside() and not any(box.hits(other) for other in self.boxes)
                and not any(box.hits_circle(cx, cy, r + 2) for cx, cy, r in self.circles))

    def crowding(self, box: Box) -> int:
        return sum(box.hits_circle(cx, cy, r + 2) for cx, cy, r in self.circles) + sum(box.hits(o) for o in self.boxes)


def ring_labels(names: dict[str, str], size: float, circles: list[tuple[float, float, float]]) -> dict[str, Placed]:
    """Each ring's name on the freest spot of its band: straight up if free, else the nearest free angle."""
    space = _Space(circles)
    placed: dict[str, Placed] = {}
    angles = [-90.0] + [a for step in range(15, 181, 15) for a in (-90.0 + step, -90.0 - step)]
    for ring in ("inner", "network", "crowd"):
        text = names[ring]
        width = text_width(text, size)
        best: tuple[int, Box, float, float] | None = None
        for angle in angles:
            cx = RING_MID[ring] * math.cos(math.radians(angle))
            top = RING_MID[ring] * math.sin(math.radians(angle)) - (ASCENT + DESCENT) * size / 2
            box = _box(cx, top, width, size)
            if not box.inside() or box.hits_circle(0.0, 0.0, CENTRE + 2):
                continue
            # On a crowded map a ring's name may have to cover a node: then the one covering fewest.
            score = space.crowding(box)
            if best is None or score < best[0]:
                best = (score, box, cx, top)
            if score == 0:
                break
        if best is None:
            continue
        _, box, cx, top = best
        space.boxes.append(box)
        placed[ring] = Placed(text, cx, top + ASCENT * size, box)
    return placed


def node_labels(nodes: list[dict], size: float, max_chars: int, taken: list[Box]) -> dict:
    """Each node's label on the first free spot around it, widest reach first; a node with no free spot gets none.

    `nodes` are dicts with id, x, y (SVG units), r, label, reach; `taken` are boxes already used (ring names).
    """
    circles = [(n["x"], n["y"], n["r"]) for n in nodes] + [(0.0, 0.0, CENTRE)]
    space = _Space(circles)
    space.boxes.extend(taken)
    placed: dict = {}
    for node in sorted(nodes, key=lambda n: (-n["reach"], n["order"])):
        for max_width in FITS:
            text = fit(node["label"], size, max_width, max_chars)
            if not text:
                break
            width = text_width(text, size)
            spot = next((s for s in _spots(node["x"], node["y"], node["r"], width, size)
                         if space.free(_box(s[0], s[1], width, size))), None)
            if spot:
                box = _box(spot[0], spot[1], width, size)
                space.boxes.append(box)
                placed[node["id"]] = Placed(text, spot[0], spot[1] + ASCENT * size, box)
                break
    return placed


def title_lines(title: str, size: float) -> tuple[float, list[str]]:
    """The project's title wrapped inside its disc: the largest of three sizes that holds it whole, else shortened."""
    for scale in (1.0, 0.8, 0.66):
        lines = _wrap(title, size * scale)
        if len(lines) <= TITLE_LINES:
            return size * scale, lines
    small = size * 0.66
    lines = _wrap(title, small)[:TITLE_LINES]
    lines[-1] = fit(lines[-1] + "…", small, TITLE_WIDTH, 10**6) if not lines[-1].endswith("…") else lines[-1]
    return small, lines


def _wrap(text: str, size: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size) <= TITLE_WIDTH:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        # A word wider than the disc is cut where it must (an unbroken string still wraps).
        for ch in word:
            if text_width(line + ch, size) > TITLE_WIDTH and line:
                lines.append(line)
                line = ""
            line += ch
    if line:
        lines.append(line)
    return lines or [""]
