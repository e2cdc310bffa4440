"""Exports in a real browser: the facilitator saves the summary, a participant their booklet; the saved
HTML opens offline with its SVG tribe maps and runs nothing; the projector exports nothing."""
from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import expect

from e2e.pages.exports import ExportsPanel
from e2e.pages.join import join_as
from e2e.support.artifacts import ARTIFACTS, AXE
from e2e.support.links import host_path, projector_path
from e2e.support.room import Room
from e2e.support.server_state import token_of
from tests.golden.pdf_text import pdf_pages

STORY = "We grow seeds with the neighbourhood.\n<script>document.title='pwned'</script> =HYPERLINK(\"x\") שלום 🎉"


def _fill_project(room: Room, who: str, title: str, story: str, labels: list[str]) -> None:
    """Post a project and draw its map through the real socket protocol, as the person's laptop would."""
    project_id = room.post(who, title, f"{title} in one line", story=story, goal_amount=3000)
    node_ids = []
    for label, ring in zip(labels, ("inner", "network", "crowd")):
        added = room.ok(who, "map_node_add", project_id=project_id, label=label, ring=ring, reach=25)
        node_ids.append(room.frame_of(who, added)["data"]["node"]["id"])
    room.ok(who, "map_link_add", project_id=project_id, from_node_id=node_ids[0], to_node_id=node_ids[1])
    room.ok(who, "plan_item_add", project_id=project_id, what=f"Tell {labels[0]}", node_id=node_ids[0], when="before_launch")


def _pdf_text(path: Path) -> str:
    return " ".join(pdf_pages(path.read_bytes()))


def test_summary_and_booklets_download_and_the_html_opens_offline(people, browser, board, live_server, tmp_path):
    code = board["board"]["code"]
    host = people(host_path(board))
    expect(host.get_by_test_id("connection")).to_have_text("Live")
    ana = people(f"/b/{code}")
    join_as(ana, "Ana")
    ben = people(f"/b/{code}")
    join_as(ben, "Ben")
    room = Room(live_server.url, board)
    room.tokens.update(Ana=token_of(ana, code), Ben=token_of(ben, code))  # their laptops' identities
    try:
        _fill_project(room, "Ana", "Seed library", STORY, ["Grandma", "Garden club", "Local radio"])
        _fill_project(room, "Ben", "Repair café", "Fix, don't throw.", ["Neighbours", "Makers"])
    finally:
        room.close()
    expect(host.get_by_test_id("project-card")).to_have_count(2)

    # The facilitator saves the printable summary.
    panel = host.locator(".panel-exports")
    expect(panel.get_by_role("heading", name="Exports")).to_be_visible()
    download = ExportsPanel(host).save(panel.get_by_test_id("export-summary-html"))
    assert download.suggested_filename == f"snowball-{code}-summary.html"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    expect(panel.get_by_test_id("export-status")).to_have_text(f"Downloaded snowball-{code}-summary.html.")

    # Opened with no network at all: everything it needs is inside, nothing runs, both maps are drawn.
    offline = browser.new_context(offline=True, viewport={"width": 1000, "height": 1400})
    try:
        page = offline.new_page()
        requests, errors = [], []
        page.on("request", lambda request: requests.append(request.url))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.set_content(saved.read_text(encoding="utf-8"))
        expect(page.locator("svg.tribe-map")).to_have_count(2)
        expect(page.locator("svg.tribe-map").first.locator("g.map-node")).to_have_count(3)
        fills = page.locator("svg.tribe-map").first.locator("circle.map-ring").evaluate_all("cs => cs.map(c => c.getAttribute('fill'))")
        assert fills == ["#00798c", "#edae49", "#d1495b"]
        story = page.locator("article[data-project-id] .story").first
        expect(story).to_have_text(STORY)
        assert page.title() != "pwned" and page.evaluate("document.querySelectorAll('script').length") == 0
        assert requests == [] and errors == []
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "export-summary.png"), full_page=True)
        page.locator("svg.tribe-map").first.screenshot(path=str(ARTIFACTS / "export-map.png"))
    finally:
        offline.close()

    # The PDF summary and the archive, too.
    pdf_path = tmp_path / "summary.pdf"
    ExportsPanel(host).save(panel.get_by_test_id("export-summary-pdf")).save_as(pdf_path)
    text = _pdf_text(pdf_path)
    assert "Seed library" in text and "Repair café" in text and "Tell Grandma" in text
    archive = json.loads(Path(ExportsPanel(host).save(panel.get_by_test_id("export-archive-json")).path()).read_text(encoding="utf-8"))
    assert [p["story"] for p in archive["projects"]] == [STORY, "Fix, don't throw."]

    # Ana saves her own booklet; it holds her project, not Ben's.
    mine = ana.locator(".panel-exports")
    expect(mine.get_by_role("heading", name="Your booklet")).to_be_visible()
    expect(mine.get_by_test_id("export-summary-md")).to_have_count(0)
    download = ExportsPanel(ana).save(mine.get_by_role("button", name="Download my booklet (PDF)"))
    booklet = tmp_path / "ana.pdf"
    download.save_as(booklet)
    assert download.suggested_filename.startswith(f"snowball-{code}-booklet-")
    text = _pdf_text(booklet)
    assert "Booklet of Ana" in text and "We grow seeds with the neighbourhood." in text and "Repair café" not in text
    markdown = Path(ExportsPanel(ana).save(mine.get_by_role("button", name="Download my booklet (Markdown)")).path()).read_text(encoding="utf-8")
    assert markdown.startswith("# Booklet of Ana") and "- [ ] Share:" in markdown

    # The facilitator can save Ben's booklet from the list of people.
    host_panel = host.locator(".panel-exports")
    host_panel.get_by_role("combobox", name="Booklet of").select_option(label="Ben")
    booklet_md = ExportsPanel(host).save(host_panel.get_by_test_id("export-booklet-md"))
    assert Path(booklet_md.path()).read_text(encoding="utf-8").startswith("# Booklet of Ben")

    # The projector has no exports at all.
    screen = people(projector_path(board))
    expect(screen.get_by_test_id("projector-stage")).to_be_visible()  # drawn: an absence now means something
    expect(screen.locator("body")).not_to_contain_text("Exports")
    expect(screen.locator(".panel-exports")).to_have_count(0)
    assert ana.errors == [] and host.errors == []


def test_exports_panels_are_accessible(people, board):
    """axe-core on the exports panels (the facilitator's and a participant's): no serious or critical violation."""
    # axe is injected as a script: these two contexts lift the app's CSP for it.
    host = people(host_path(board), bypass_csp=True)
    ana = people(f"/b/{board['board']['code']}", bypass_csp=True)
    join_as(ana, "Ana")
    # The facilitator's panel redraws its booklet list when Ana's arrival reaches it: run axe after
    # that, on a settled panel, not while it may still change under it.
    expect(host.get_by_test_id("export-booklet-of").locator("option")).to_have_text(["Ana"])
    for page in (host, ana):
        expect(page.get_by_test_id("connection")).to_have_text("Live")
        page.locator(".panel-exports button").first.wait_for()
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document.querySelector('.panel-exports'), {resultTypes: ['violations']})")
        serious = [(v["id"], v["impact"]) for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert serious == []
