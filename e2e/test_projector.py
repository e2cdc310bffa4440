"""The projector at 1920×1080 through a whole session: a screenshot of every phase under artifacts/,
checks in the page of the smallest text, the weakest contrast and that nothing is cut or overlaps, and
a projector that survives a reload and a server restart without anyone touching it. The facilitator and participants are
python-socketio clients here; the four-browser session is in test_run_of_show.py."""
from __future__ import annotations

from playwright.sync_api import expect

from e2e.conftest import save_artifact
from e2e.projector_layout import check_whole
from tests.support.clients import BoardClient
from tests.support.server import join_board

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


def projector_path(created: dict) -> str:
    return "/" + created["links"]["projector"].split("/", 3)[3]


class Room:
    """The facilitator and participants as socket clients (reconnectable after a server restart)."""

    def __init__(self, url: str, created: dict) -> None:
        self.url = url
        self.code = created["board"]["code"]
        self.tokens = {"host": created["facilitator_token"]}
        self.clients: dict[str, BoardClient] = {}
        self.phase_id = None

    def client(self, who: str) -> BoardClient:
        if who not in self.clients or not self.clients[who].sio.connected:
            client = BoardClient(self.url, self.code, self.tokens[who])
            client.connect()
            self.clients[who] = client
        return self.clients[who]

    def join(self, name: str) -> BoardClient:
        joined = join_board(self.url, self.code, name)
        self.tokens[name] = joined["token"]
        return self.client(name)

    def ok(self, who: str, command: str, **payload) -> dict:
        ack = self.client(who).command(command, **payload)
        assert ack["ok"] is True, (command, ack)
        return ack

    def advance(self) -> None:
        """Next phase, as the console's button does it."""
        host = self.client("host")
        ack = self.ok("host", "show_advance", from_phase_id=self.phase_id)
        host.wait_for_seq(ack["seq"])
        frame = next(f for f in host.frames if f["seq"] == ack["seq"])
        self.phase_id = frame["data"]["show"]["current_phase_id"]

    def close(self) -> None:
        for client in self.clients.values():
            client.disconnect()


def shot(screen, n: int, name: str) -> None:
    check_whole(screen, name)
    check_legibility(screen, name)
    save_artifact(screen, f"projector-{n:02d}-{name}")


def test_the_projector_through_a_whole_session(people, board, live_server):
    room = Room(live_server.url, board)
    screen = people(projector_path(board), viewport={"width": 1920, "height": 1080})
    try:
        phase = screen.get_by_test_id("projector-phase")
        stage = screen.get_by_test_id("projector-stage")
        expect(stage).to_have_attribute("data-stage", "join")
        expect(screen.get_by_test_id("join-qr")).to_be_visible()
        expect(screen.get_by_test_id("join-code")).to_have_text(room.code)
        expect(screen.get_by_test_id("join-url")).to_have_text(f"{live_server.url}/b/{room.code}")
        # The QR image has loaded (visible means laid out, not yet decoded): wait for it, never sleep.
        screen.wait_for_function("() => { const img = document.querySelector('[data-testid=\"join-qr\"]');"
                                 " return img && img.complete && img.naturalWidth > 0; }")
        shot(screen, 0, "before-the-start")

        room.advance()
        expect(phase).to_have_text("Join")
        names = ["Ana", "Ben", "Chloé", "Dario", "Eun-ji"]
        for count, name in enumerate(names, start=1):
            room.join(name)
            expect(screen.get_by_test_id("join-count")).to_have_text(f"{count} joined")   # live "N joined"
        shot(screen, 1, "join")

        room.advance()
        expect(phase).to_have_text("Values")
        expect(stage).to_have_attribute("data-stage", "values")
        shot(screen, 2, "values")

        room.advance()
        expect(phase).to_have_text("Post your project")
        pitches = ["A science-fiction film made with its community", "Urban beehives on every school roof",
                   "A repair café that travels by cargo bike", "Comics that teach kids to code",
                   "A cooperative bakery for the neighbourhood"]
        project_ids = {}
        for name, pitch in zip(names, pitches):
            ack = room.ok(name, "project_post", project={"title": f"{name}’s project", "pitch": pitch})
            room.client(name).wait_for_seq(ack["seq"])
            frame = next(f for f in room.client(name).frames if f["seq"] == ack["seq"])
            project_ids[name] = frame["data"]["project"]["id"]
        expect(screen.get_by_test_id("projector-card")).to_have_count(5)
        # A reload (someone bumped the laptop's keyboard): the projector comes back by itself.
        screen.reload()
        expect(phase).to_have_text("Post your project")
        expect(screen.get_by_test_id("projector-card")).to_have_count(5)
        shot(screen, 3, "post-your-project")

        room.advance()
        expect(phase).to_have_text("Story vote")
        expect(stage).to_have_attribute("data-stage", "voting")
        room.ok("host", "vote_open")
        for voter, target in zip(names, ["Ben", "Ana", "Ben", "Ana", "Ben"]):
            room.ok(voter, "vote_cast", project_id=project_ids[target])
        shot(screen, 4, "story-vote")
        room.ok("host", "vote_close")
        room.ok("host", "vote_reveal")
        expect(stage).to_have_attribute("data-stage", "ranking")
        ranking = screen.get_by_test_id("ranking").locator("li")
        expect(ranking.first).to_contain_text("Ben’s project")
        expect(ranking.first).to_contain_text("3 dots")
        shot(screen, 5, "vote-reveal")

        # The server restarts: the projector reconnects and follows the next phase on its own.
        live_server.restart()
        room.advance()
        expect(phase).to_have_text("Tribe maps", timeout=20_000)
        room.ok("Ana", "map_node_add", project_id=project_ids["Ana"], label="Family", kind="person", ring="inner", reach=25)
        room.ok("Ben", "map_node_add", project_id=project_ids["Ana"], label="Film-lovers’ club", kind="community", ring="network", reach=300)
        shot(screen, 6, "tribe-maps")
        room.ok("host", "spotlight_set", project_id=project_ids["Ana"], view="map")
        expect(stage).to_have_attribute("data-stage", "map")
        expect(stage).to_contain_text("Ana’s project")
        expect(screen.get_by_test_id("projector-map")).to_have_attribute("data-drawn", "true")
        expect(screen.get_by_test_id("projector-map")).to_contain_text("Film-lovers’ club")
        shot(screen, 7, "spotlight-map")
        room.ok("host", "spotlight_set", project_id=project_ids["Chloé"], view="card")
        expect(screen.get_by_test_id("spotlight-card")).to_contain_text("repair café")
        shot(screen, 8, "spotlight-card")
        room.ok("host", "spotlight_set", project_id=None)

        room.advance()
        expect(phase).to_have_text("Wrap-up")
        expect(stage).to_have_attribute("data-stage", "thanks")
        shot(screen, 9, "wrap-up")
        assert screen.errors == []
    finally:
        room.close()
