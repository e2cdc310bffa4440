"""What people typed, audited in a page: every piece of it isolated from the app's own words (bidi) and
none of it wider than the window. The page knows the typed values; the audit finds them in the DOM."""
from __future__ import annotations

RLO = "\u202e"

# A text node holds user text when what is left of it (trimmed, a trailing ellipsis dropped, direction
# controls ignored) is part of a typed value; the typed values use letters no app sentence has in a row.
# Isolated means: inside an element whose computed unicode-bidi is isolate / isolate-override / plaintext
# (<bdi>, dir=auto, or CSS), with no app word in the same isolate; or, where no element can be used (an
# <option>, the page title), between U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE.
AUDIT_JS = r"""
({values}) => {
  const controls = /[\u202a-\u202e\u2066-\u2069\u200e\u200f]/g;
  const typed = Object.values(values).map((v) => v.replace(controls, ''));
  const clean = (text) => text.replace(controls, '').trim().replace(/…$/, '').trim();
  const isUser = (text) => { const c = clean(text); return c !== '' && typed.some((v) => v.includes(c)); };
  const hasUser = (text) => text.includes('\u202e') || typed.some((v) => v.length && text.replace(controls, '').includes(v.slice(0, 12)));
  const outsideIsolates = (text) => text.replace(/\u2068[^\u2069]*\u2069/g, ' ');
  const isolating = (el) => ['isolate', 'isolate-override', 'plaintext'].includes(getComputedStyle(el).unicodeBidi);
  const shown = (el) => el.closest('option, select') || el.getClientRects().length > 0;
  const where = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      const id = e.dataset?.testid ? `[${e.dataset.testid}]` : e.id ? `#${e.id}` : e.classList?.length ? `.${e.classList[0]}` : '';
      parts.unshift(e.tagName.toLowerCase() + id);
    }
    return parts.join('>');
  };
  const textsOf = (root, stopAtIsolates) => {
    const out = [];
    const walk = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) out.push(child);
        else if (child.nodeType === Node.ELEMENT_NODE && !(stopAtIsolates && isolating(child))) walk(child);
      }
    };
    walk(root);
    return out;
  };
  const bidi = [];
  const wide = [];
  const seen = new Set();
  for (const node of textsOf(document.body, false)) {
    const el = node.parentElement;
    if (!el || ['SCRIPT', 'STYLE', 'TEXTAREA'].includes(el.tagName) || !shown(el)) continue;
    const rest = outsideIsolates(node.textContent);
    if (!hasUser(rest) && !isUser(rest)) continue;
    const say = (problem) => bidi.push(`${where(el)}: ${problem}: ${JSON.stringify(node.textContent.slice(0, 60))}`);
    if (!isUser(rest)) { say('typed text and app words in one text node, not isolated'); continue; }
    if (el.closest('option')) continue;  // an option holding only typed text is its own line
    let box = el;
    while (box && !isolating(box)) box = box.parentElement;
    if (!box) { say('typed text in no isolate'); continue; }
    if (seen.has(box)) continue;
    seen.add(box);
    for (const other of textsOf(box, true)) {
      const text = outsideIsolates(other.textContent);
      if (text.trim() && !isUser(text)) say(`app words ${JSON.stringify(text.trim().slice(0, 40))} inside the same isolate`);
    }
  }
  // Wider than the window, or than a box that then scrolls or cuts it sideways (an ellipsis is meant).
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width + 1) wide.push(`the page is ${document.documentElement.scrollWidth}px wide in ${width}px`);
  const checked = new Set();
  for (const node of textsOf(document.body, false)) {
    const el = node.parentElement;
    if (!el || el.closest('svg, option, select, script, style') || !isUser(node.textContent) || !el.getClientRects().length) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const rect = range.getBoundingClientRect();
    // What a box clips on purpose (an ellipsis, a clamp) is not on the screen: only what is left of it counts.
    let [left, right] = [rect.left, rect.right];
    for (let e = el; e && e !== document.documentElement; e = e.parentElement) {
      if (getComputedStyle(e).overflowX === 'visible') continue;
      const box = e.getBoundingClientRect();
      left = Math.max(left, box.left);
      right = Math.min(right, box.right);
    }
    if (rect.width > 0 && (right > width + 1 || left < -1)) wide.push(`${where(el)}: typed text spans ${Math.round(left)}–${Math.round(right)}px of ${width}px`);
    for (let e = el; e && e !== document.documentElement; e = e.parentElement) {
      if (checked.has(e)) break;
      checked.add(e);
      const style = getComputedStyle(e);
      if (e.clientWidth > 2 && e.scrollWidth > e.clientWidth + 1 && style.textOverflow !== 'ellipsis' && style.display !== 'inline')
        wide.push(`${where(e)}: ${e.scrollWidth}px of content in a ${e.clientWidth}px box`);
    }
  }
  // The page title has no elements: typed text in it sits between FSI and PDI.
  const title = document.title;
  if (hasUser(outsideIsolates(title)) || isUser(outsideIsolates(title))) bidi.push(`document.title: typed text not isolated: ${JSON.stringify(title.slice(0, 60))}`);
  return {bidi, wide, userNodes: textsOf(document.body, false).filter((n) => isUser(n.textContent)).length};
}
"""


def audit(page, values: dict[str, str], where: str, *, min_user_nodes: int = 1) -> list[str]:
    """Problems on the page as it is now: typed text not isolated, or wider than the window."""
    result = page.evaluate(AUDIT_JS, {"values": values})
    problems = [f"{where}: {p}" for p in result["bidi"] + result["wide"]]
    if result["userNodes"] < min_user_nodes:
        problems.append(f"{where}: only {result['userNodes']} typed texts found (expected {min_user_nodes}+)")
    return problems
