// Where a tribe map's words go, so that none overlaps another, a node or the project, and none leaves the
// drawing. Node labels are placed widest reach first on the first free spot around their node; ring names on
// a free spot of their band, before the labels; the project's title wrapped inside its disc. A label with no
// free spot is left off the drawing (the list beside the map names every node). The same rules and numbers
// as server/export/map_layout.py, so the exports draw what the screens draw. Pure: no DOM.

const HALF = 520;          // the drawing is the square [-HALF, HALF]² (SVG units)
const EDGE = 6;            // words keep this far from the drawing's edge
const GAP = 6;             // between a node's circle and its label
const PAD = 3;             // around each word box, so neighbours never touch
export const ASCENT = 0.92;  // of the font size above the baseline (accents included)
const DESCENT = 0.28;
const FITS = [null, 150, 96];   // label widths tried in turn: whole (up to the length cap), then shortened
const TITLE_WIDTH = 148;
const TITLE_LINES = 3;
const RING_MID = { inner: 162.5, network: 292.5, crowd: 420 };
export const CENTRE = 90;

function hits(a, b) {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

function hitsCircle(box, cx, cy, r) {
  const nx = Math.min(Math.max(cx, box.left), box.right);
  const ny = Math.min(Math.max(cy, box.top), box.bottom);
  return (nx - cx) ** 2 + (ny - cy) ** 2 < r * r;
}

/** The drawing's half-width and half-height: square on every screen, wider on the projector (more room beside). */
export const SQUARE = { x: HALF, y: HALF };

function inside(box, bounds) {
  const [w, h] = [bounds.x - EDGE, bounds.y - EDGE];
  return -w <= box.left && box.right <= w && -h <= box.top && box.bottom <= h;
}

/** A generous width of one character, in font sizes (DejaVu Sans and common UI fonts fit under it). */
function charWidth(ch) {
  const code = ch.codePointAt(0);
  if (ch === " ") return 0.34;
  if ("mwMW".includes(ch)) return 1.0;
  if (code >= 0x1100) return 1.05; // CJK, emoji and other wide glyphs
  if (ch >= "0" && ch <= "9") return 0.66;
  if (ch !== ch.toLowerCase()) return 0.8;
  if (ch !== ch.toUpperCase()) return 0.64;
  return 0.72;
}

/** The estimated width of `text` at font size `size`. */
export function textWidth(text, size) {
  let total = 0;
  for (const ch of text) total += charWidth(ch);
  return total * size;
}

/** `text` shortened with an ellipsis to at most `maxChars` characters and `maxWidth` units. */
export function fit(text, size, maxWidth, maxChars) {
  const chars = Array.from(text);
  let shown = chars.length <= maxChars ? text : `${chars.slice(0, maxChars - 1).join("")}…`;
  while (maxWidth !== null && textWidth(shown, size) > maxWidth && chars.length > 1) {
    const keep = Array.from(shown).length - 2;
    if (keep < 1) return "";
    shown = `${chars.slice(0, keep).join("")}…`;
  }
  return shown;
}

function box(cx, top, width, size) {
  const height = (ASCENT + DESCENT) * size;
  return { left: cx - width / 2 - PAD, top: top - PAD, right: cx + width / 2 + PAD, bottom: top + height + PAD };
}

/** Candidate (centre x, top) of a label around a node: below, above, right, left, then the diagonals. */
function spots(x, y, r, width, size, bounds) {
  const height = (ASCENT + DESCENT) * size;
  const d = r * 0.72 + GAP;
  // Under or over a node near the edge, the label slides inwards (still under the node) rather than leave.
  const room = bounds.x - EDGE - PAD - width / 2;
  const slid = room > 0 ? Math.min(Math.max(x, -room), room) : x;
  return [
    [slid, y + r + GAP], [slid, y - r - GAP - height],
    [x + r + GAP + width / 2, y - height / 2], [x - r - GAP - width / 2, y - height / 2],
    [x + d + width / 2, y + d], [x - d - width / 2, y + d],
    [x + d + width / 2, y - d - height], [x - d - width / 2, y - d - height],
  ];
}

const CELL = 64; // a grid over the drawing, so a candidate box is checked against its neighbours only

/** What is already taken on the drawing: circles and boxes, also filed by grid cell (same answers, found faster). */
function space(circles, bounds, boxes = []) {
  const cells = new Map();
  const all = [];
  const key = (i, j) => (i + 64) * 256 + (j + 64);
  const hit = (b, item) => (item.box ? hits(b, item.box) : hitsCircle(b, item.cx, item.cy, item.r));
  const file = (item, b) => {
    all.push(item);
    for (let i = Math.floor(b.left / CELL); i <= Math.floor(b.right / CELL); i++) {
      for (let j = Math.floor(b.top / CELL); j <= Math.floor(b.bottom / CELL); j++) {
        const k = key(i, j);
        const list = cells.get(k);
        if (list) list.push(item);
        else cells.set(k, [item]);
      }
    }
  };
  for (const [cx, cy, r] of circles) file({ cx, cy, r: r + 2 }, { left: cx - r - 2, top: cy - r - 2, right: cx + r + 2, bottom: cy + r + 2 });
  const taken = {
    add: (b) => file({ box: b }, b),
    free(b) {
      if (!inside(b, bounds)) return false;
      for (let i = Math.floor(b.left / CELL); i <= Math.floor(b.right / CELL); i++) {
        for (let j = Math.floor(b.top / CELL); j <= Math.floor(b.bottom / CELL); j++) {
          const list = cells.get(key(i, j));
          if (list && list.some((item) => hit(b, item))) return false;
        }
      }
      return true;
    },
    crowding: (b) => all.filter((item) => hit(b, item)).length,
  };
  for (const b of boxes) taken.add(b);
  return taken;
}

/** Each ring's name on the freest spot of its band: straight up if free, else the nearest free angle. */
export function ringLabels(names, size, circles, bounds = SQUARE) {
  const taken = space(circles, bounds);
  const placed = {};
  const angles = [-90];
  for (let step = 15; step <= 180; step += 15) angles.push(-90 + step, -90 - step);
  for (const ring of ["inner", "network", "crowd"]) {
    const text = names[ring];
    const width = textWidth(text, size);
    let best = null;
    for (const angle of angles) {
      const cx = RING_MID[ring] * Math.cos((angle * Math.PI) / 180);
      const top = RING_MID[ring] * Math.sin((angle * Math.PI) / 180) - ((ASCENT + DESCENT) * size) / 2;
      const b = box(cx, top, width, size);
      if (!inside(b, bounds) || hitsCircle(b, 0, 0, CENTRE + 2)) continue;
      // On a crowded map a ring's name may have to cover a node: then the one covering fewest.
      const score = taken.crowding(b);
      if (!best || score < best.score) best = { score, b, cx, top };
      if (score === 0) break;
    }
    if (!best) continue;
    taken.add(best.b);
    placed[ring] = { text, x: best.cx, baseline: best.top + ASCENT * size, box: best.b };
  }
  return placed;
}

/**
 * Each node's label on the first free spot around it, widest reach first; a node with no free spot gets none.
 * `nodes`: [{id, x, y (SVG units), r, label, reach}] in id order; `taken`: boxes already used (ring names).
 */
export function nodeLabels(nodes, size, maxChars, taken, bounds = SQUARE) {
  const circles = nodes.map((n) => [n.x, n.y, n.r]).concat([[0, 0, CENTRE]]);
  const room = space(circles, bounds, [...taken]);
  const placed = new Map();
  const order = nodes.map((n, index) => ({ n, index })).sort((a, b) => b.n.reach - a.n.reach || a.index - b.index);
  for (const { n } of order) {
    for (const maxWidth of FITS) {
      const text = fit(n.label, size, maxWidth, maxChars);
      if (!text) break;
      const width = textWidth(text, size);
      const spot = spots(n.x, n.y, n.r, width, size, bounds).find(([cx, top]) => room.free(box(cx, top, width, size)));
      if (spot) {
        const b = box(spot[0], spot[1], width, size);
        room.add(b);
        placed.set(n.id, { text, x: spot[0], baseline: spot[1] + ASCENT * size, box: b });
        break;
      }
    }
  }
  return placed;
}

function wrap(text, size) {
  const lines = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (textWidth(candidate, size) <= TITLE_WIDTH) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = "";
    // A word wider than the disc is cut where it must (an unbroken string still wraps).
    for (const ch of word) {
      if (textWidth(line + ch, size) > TITLE_WIDTH && line) {
        lines.push(line);
        line = "";
      }
      line += ch;
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [""];
}

/** The project's title wrapped inside its disc: the largest of three sizes that holds it whole, else shortened. */
export function titleLines(title, size) {
  for (const scale of [1, 0.8, 0.66]) {
    const lines = wrap(title, size * scale);
    if (lines.length <= TITLE_LINES) return { size: size * scale, lines };
  }
  const small = size * 0.66;
  const lines = wrap(title, small).slice(0, TITLE_LINES);
  const last = lines[lines.length - 1];
  if (!last.endsWith("…")) lines[lines.length - 1] = fit(`${last}…`, small, TITLE_WIDTH, 1e6);
  return { size: small, lines };
}
