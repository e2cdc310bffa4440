"""Checks, computed in the page, that a screen shows everything whole: no text cut by an edge it was not
clamped at (an ellipsis or a line clamp is a clamp), no two texts over each other, no map label over a node
or outside the drawing. Used by the projector and tribe-map browser tests."""
from __future__ import annotations

# For every visible text node under `root`: its line boxes, clipped by each ancestor that clips (overflow not
# visible). Clipped by a box that says it shortens (line clamp, text-overflow: ellipsis) is fine; clipped by
# anything else (the stage's edge, the footer, the drawing's edge) is a cut. Then every pair of the visible
# boxes of different text nodes must not overlap. SVG texts are measured by their element's box.
LAYOUT_JS = """
([selector, fixedScreen]) => {
  const root = document.querySelector(selector);
  const problems = [];
  const boxes = [];
  const intersect = (a, b) => ({left: Math.max(a.left, b.left), top: Math.max(a.top, b.top), right: Math.min(a.right, b.right), bottom: Math.min(a.bottom, b.bottom)});
  const area = (r) => Math.max(0, r.right - r.left) * Math.max(0, r.bottom - r.top);
  const within = (a, b) => a.left >= b.left - 1 && a.top >= b.top - 1 && a.right <= b.right + 1 && a.bottom <= b.bottom + 1;
  const describe = (el, text) => `${el.tagName.toLowerCase()}.${(el.getAttribute('class') || '').split(' ')[0]} "${text.slice(0, 30)}"`;
  if (root.scrollWidth > root.clientWidth + 1) problems.push(`the screen is ${root.scrollWidth}px wide for ${root.clientWidth}`);
  const viewport = {left: 0, top: 0, right: innerWidth, bottom: innerHeight};
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let index = 0;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    if (!text) continue;
    const el = node.parentElement;
    if (getComputedStyle(el).visibility === 'hidden' || !el.getClientRects().length) continue;
    let rects;
    if (el instanceof SVGElement) rects = [el.getBoundingClientRect()];
    else { const range = document.createRange(); range.selectNodeContents(node); rects = [...range.getClientRects()]; }
    rects = rects.filter((r) => r.width > 0.5 && r.height > 0.5);
    index += 1;
    for (const line of rects) {
      let shown = {left: line.left, top: line.top, right: line.right, bottom: line.bottom};
      let cut = null;
      for (let e = el; e && e !== document.documentElement; e = e.parentElement) {
        const s = getComputedStyle(e);
        const clips = s.overflowX !== 'visible' || s.overflowY !== 'visible';
        if (!clips) continue;
        const b = e.getBoundingClientRect();
        const clip = {left: b.left, top: b.top, right: b.right, bottom: b.bottom};
        const shortens = (s.webkitLineClamp && s.webkitLineClamp !== 'none') || s.textOverflow === 'ellipsis';
        if (!within(shown, clip) && !shortens && area(intersect(shown, clip)) > 0) cut = describe(el, text) + ` cut by ${describe(e, '')}`;
        shown = intersect(shown, clip);
        if (area(shown) <= 0) break;
      }
      if (area(shown) <= 0) continue; // a clamped line beyond the ellipsis: not shown, not cut
      if (cut) problems.push(cut);
      if (fixedScreen && !within(shown, viewport)) problems.push(describe(el, text) + ' leaves the screen');
      boxes.push({index, shown, what: describe(el, text)});
    }
  }
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.index === b.index) continue;
      const o = intersect(a.shown, b.shown);
      if (o.right - o.left > 2 && o.bottom - o.top > 4) problems.push(`${a.what} overlaps ${b.what} at ${Math.round(o.left)},${Math.round(o.top)} ${Math.round(o.right - o.left)}×${Math.round(o.bottom - o.top)}`);
    }
  }
  // Map labels: never over a node's circle (their own or another's).
  for (const svg of root.querySelectorAll('svg.map-svg')) {
    const circles = [...svg.querySelectorAll('.map-node-circle')].map((c) => c.getBoundingClientRect())
      .map((r) => ({x: (r.left + r.right) / 2, y: (r.top + r.bottom) / 2, r: r.width / 2}));
    for (const label of svg.querySelectorAll('.map-node-label text')) {
      const r = label.getBoundingClientRect();
      for (const c of circles) {
        const nx = Math.min(Math.max(c.x, r.left), r.right), ny = Math.min(Math.max(c.y, r.top), r.bottom);
        if (Math.hypot(nx - c.x, ny - c.y) < c.r - 1) { problems.push(`label "${label.textContent}" over a node`); break; }
      }
    }
  }
  return {problems: [...new Set(problems)].slice(0, 20), texts: index};
}
"""


def check_whole(page, where: str, selector: str = '[data-testid="projector"]', fixed_screen: bool = True) -> int:
    """Nothing cut, nothing overlapping on `selector` (and, on a screen nobody scrolls, nothing outside the
    window); returns how many texts were checked."""
    result = page.evaluate(LAYOUT_JS, [selector, fixed_screen])
    assert result["problems"] == [], f"{where}: {result['problems']}"
    assert result["texts"] > 0, f"{where}: no text found"
    return result["texts"]
