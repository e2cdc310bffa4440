"""The projector: its phase and stage, its ranking, and the legibility of everything it shows."""
from __future__ import annotations

from e2e.support.artifacts import save_artifact
from e2e.support.projector_layout import check_whole

MIN_FONT_PX = 28
MIN_CONTRAST = 4.5  # WCAG AA for body text (AAA for large text); the theme itself aims at 7+

# Every visible text node of the projector: its rendered size (SVG text scaled by its transform)
# and the WCAG contrast of its colour against what is behind it (the nearest opaque background, or
# the plate or halo stroke that SVG labels are drawn with).
LEGIBILITY_JS = """
() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return {r, g, b, a};
  };
  const lum = ({r, g, b}) => {
    const ch = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
  };
  const over = (fg, bg) => ({r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a), b: fg.b * fg.a + bg.b * (1 - fg.a), a: 1});
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let bg = {r: 255, g: 255, b: 255, a: 1};
    for (const c of layers.reverse()) bg = over(c, bg);
    return bg;
  };
  const root = document.querySelector('[data-testid="projector"]');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const texts = [];
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    if (!text) continue;
    const el = node.parentElement;
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    if (style.visibility === 'hidden' || rect.width <= 1 || rect.height <= 1 || rect.bottom <= 0 || rect.top >= innerHeight) continue;
    let size = parseFloat(style.fontSize);
    let fg, bg;
    if (el instanceof SVGElement) {
      const m = el.getScreenCTM();
      size *= Math.hypot(m.a, m.b);
      fg = parse(style.fill);
      const halo = parse(style.stroke);
      // A map word sits on its plate: the plate (its fill, at its opacity, over the page) is what is behind it.
      const plate = el.previousElementSibling?.classList.contains('map-plate') ? getComputedStyle(el.previousElementSibling) : null;
      const page = background(el.closest('svg'));
      if (plate) { const c = parse(plate.fill); bg = over({...c, a: (c.a ?? 1) * parseFloat(plate.fillOpacity || 1)}, page); }
      else bg = halo && parseFloat(style.strokeWidth) > 0 ? halo : page;
    } else {
      fg = parse(style.color);
      bg = background(el);
    }
    if (!fg) continue;
    fg = over(fg, bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    texts.push({text: text.slice(0, 40), size: Math.round(size * 10) / 10, contrast: Math.round((hi + 0.05) / (lo + 0.05) * 100) / 100});
  }
  return texts;
}
"""


def check_legibility(page, where: str) -> None:
    """Every text on the projector is at least 28 px and contrasted (computed in the page)."""
    texts = page.evaluate(LEGIBILITY_JS)
    assert texts, f"no text found on the projector ({where})"
    small = [t for t in texts if t["size"] < MIN_FONT_PX]
    faint = [t for t in texts if t["contrast"] < MIN_CONTRAST]
    assert small == [], f"text under {MIN_FONT_PX}px on the projector ({where}): {small}"
    assert faint == [], f"text under {MIN_CONTRAST}:1 contrast on the projector ({where}): {faint}"


def projector_ranking(page) -> list[list[str]]:
    """The projector's ranking stage, read like the board's: rank, story, dots."""
    return page.get_by_test_id("ranking").locator("li").evaluate_all(
        "items => items.map(li => [li.querySelector('.rank').innerText.trim(), li.querySelector('.title').innerText.trim(),"
        " li.querySelector('.dots').innerText.replace(/\\D/g, '')])")


def check_and_save(page, where: str, artifact: str) -> None:
    """The projector shows everything whole and legible; its screenshot goes under artifacts/."""
    check_whole(page, where)
    check_legibility(page, where)
    save_artifact(page, artifact)
