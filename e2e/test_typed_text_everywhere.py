"""Typed text on every screen and in every export: each field a person types (board title, names, every card
field, node labels, plan items, e-mail drafts, an attendee's name) starts with a right-to-left override and
runs to its limit without a space. On every screen — a participant's board, the facilitator's console (people,
cards, vote, exports panel), the refused ("Not applied") list, toasts, the map page with its list, plan and
drafts, the projector's stages — and in the printable exports, each piece of it sits in its own isolate with
no app word beside it (text/bidi audit in e2e/support/text_audit.py), and none of it is wider than the window, at
1366 px and on a 390-px phone. A facilitator, two participants in browsers, and one by socket."""
from __future__ import annotations

import json
import re
import urllib.request

from playwright.sync_api import expect

from e2e.pages.join import join_as
from e2e.support.artifacts import ARTIFACTS
from e2e.support.links import host_path, projector_path
from e2e.support.network import open_with_wifi
from e2e.support.room import Room
from e2e.support.server_state import token_of
from e2e.support.text_audit import RLO, audit
from server.domain import email_drafts, limits
from server.domain import tribe_maps as rules
from tests.support.server import create_board

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def typed(tag: str, limit: int) -> str:
    """A typed value: an override, a tag saying which field it is, then no space up to the field's limit."""
    return (f"{RLO}Z{tag}Z" + "Q" * limit)[:limit]


V = {
    "board": typed("BOARD", limits.BOARD_TITLE_MAX),
    "ana": typed("ANA", limits.DISPLAY_NAME_MAX),
    "bruno": typed("BRUNO", limits.DISPLAY_NAME_MAX),
    "attendee": typed("ATTENDEE", limits.DISPLAY_NAME_MAX),
    "title": typed("TITLE", limits.PROJECT_TITLE_MAX),
    "pitch": typed("PITCH", limits.PROJECT_PITCH_MAX),
    "story": typed("STORY", 800),
    "category": typed("CATEGORY", limits.PROJECT_CATEGORY_MAX),
    "platform": typed("PLATFORM", limits.PROJECT_PLATFORM_MAX),
    "btitle": typed("BTITLE", limits.PROJECT_TITLE_MAX),
    "bpitch": typed("BPITCH", limits.PROJECT_PITCH_MAX),
    "doomed": typed("DOOMED", limits.PROJECT_TITLE_MAX),
    "node": typed("NODE", rules.NODE_LABEL_MAX),
    "node2": typed("NODETWO", rules.NODE_LABEL_MAX),
    "typednode": typed("TYPEDNODE", rules.NODE_LABEL_MAX),
    "what": typed("WHAT", rules.PLAN_WHAT_MAX),
    "where": typed("WHERE", rules.PLAN_WHERE_MAX),
    "how": typed("HOW", 300),
    "subject": typed("SUBJECT", email_drafts.EMAIL_SUBJECT_MAX),
    "body": typed("BODY", 300),
}


class Screens:
    """Audits pages and collects every problem, so one run reports every screen that is wrong."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def check(self, page, where: str, sizes=(LAPTOP, PHONE), min_user_nodes: int = 1) -> None:
        for size in sizes:
            page.set_viewport_size(size)
            page.wait_for_function("() => document.documentElement.clientWidth === %d" % size["width"])
            self.problems += audit(page, V, f"{where} @{size['width']}", min_user_nodes=min_user_nodes)
        if len(sizes) > 1:
            page.set_viewport_size(sizes[0])


def _fetch(url: str, token: str) -> str:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read().decode("utf-8")


def test_typed_text_is_isolated_and_fits_on_every_screen_and_export(browser, people, live_server):
    created = create_board(live_server.url, title=V["board"])
    code = created["board"]["code"]
    room = Room(live_server.url, created)
    screens = Screens()
    context = None
    try:
        for _ in range(3):
            room.advance()  # join, values, post your project
        screen = people(projector_path(created), viewport={"width": 1920, "height": 1080})
        host = people(host_path(created), viewport=LAPTOP)
        context, ana, wifi = open_with_wifi(browser, live_server, f"/b/{code}")
        ana.set_viewport_size(LAPTOP)
        expect(ana.locator("#join-h bdi")).to_have_count(1)  # the board's title, on the join page
        screens.check(ana, "join page")
        join_as(ana, V["ana"])
        room.tokens["Ana"] = token_of(ana, code)
        bruno = people(f"/b/{code}", viewport=LAPTOP)
        join_as(bruno, V["bruno"])
        room.tokens["Bruno"] = token_of(bruno, code)

        project = {"title": V["title"], "pitch": V["pitch"], "story": V["story"], "category": V["category"],
                   "platform": V["platform"], "goal_amount": 5000, "link": "https://example.org/" + "q" * 300}
        room.post("Ana", **project)
        room.post("Ana", V["doomed"], V["pitch"])
        room.post("Bruno", V["btitle"], V["bpitch"])
        for page in (ana, bruno, host):
            expect(page.get_by_test_id("project-card")).to_have_count(3)
        for page in (ana, bruno):
            for details in page.locator("[data-testid=project-card] details").all():
                details.evaluate("d => d.open = true")

        # A change Ana made offline that the server refuses on her return: the "Not applied" list names her card.
        key = ana.locator("[data-testid=project-card]", has_text="ZDOOMEDZ").get_attribute("data-key")
        doomed = ana.locator(f"[data-testid=project-card][data-key='{key}']")
        wifi.cut()
        expect(ana.get_by_test_id("connection")).not_to_have_text("Live")
        doomed.get_by_role("button", name="Edit", exact=False).click()
        doomed.get_by_label("One-line pitch").fill("Edited offline")
        doomed.get_by_role("button", name="Save").click()
        host.once("dialog", lambda dialog: dialog.accept())
        host.locator("[data-testid=project-card]", has_text="ZDOOMEDZ").get_by_role("button", name="Delete", exact=False).click()
        expect(host.get_by_test_id("project-card")).to_have_count(2)
        wifi.restore()
        expect(ana.get_by_test_id("refused-item")).to_have_count(1, timeout=20_000)
        expect(ana.get_by_test_id("connection")).to_have_text("Live")
        screens.check(ana, "participant board, posting, refused list")
        screens.check(bruno, "second participant board, posting")
        screens.check(host, "facilitator console, posting")
        screens.check(screen, "projector wall", sizes=({"width": 1920, "height": 1080},))

        # The facilitator adds an attendee without a device by typing the name: the toast names them.
        add = host.get_by_test_id("vote-attendee-add")
        add.get_by_label("Name").fill(V["attendee"])
        host.get_by_role("button", name="Add attendee").click()
        expect(host.locator(".toast", has_text="ZATTENDEEZ")).to_have_count(1)
        screens.problems += audit(host, V, "toast: attendee added")

        room.advance()  # story vote
        room.ok("host", "vote_open")
        ana_card = ana.locator("[data-testid=project-card]", has_text="ZBTITLEZ")
        ana_card.get_by_test_id("vote-place").click()
        expect(ana.get_by_test_id("vote-remaining")).to_contain_text("2 of 3", timeout=15_000)
        expect(screen.get_by_test_id("projector-stage")).to_have_attribute("data-stage", "voting")
        screens.check(ana, "participant, vote open")
        screens.check(host, "facilitator, vote open (attendees, who voted)")
        screens.check(screen, "projector, vote open", sizes=({"width": 1920, "height": 1080},))
        room.ok("host", "vote_close")
        room.ok("host", "vote_reveal")
        expect(screen.get_by_test_id("projector-stage")).to_have_attribute("data-stage", "ranking")
        expect(ana.get_by_test_id("vote-results")).to_be_visible()
        screens.check(ana, "participant, vote revealed")
        screens.check(host, "facilitator, vote revealed")
        screens.check(screen, "projector, ranking", sizes=({"width": 1920, "height": 1080},))

        room.advance()  # tribe maps
        ana_state = room.client("Ana").sync(None)["snapshot"]
        project_id = next(p["id"] for p in ana_state["projects"] if p["title"] == V["title"])
        room.ok("Ana", "map_node_add", project_id=project_id, label=V["node"], ring="inner", reach=40)
        room.ok("Ana", "map_node_add", project_id=project_id, label=V["node2"], ring="network", reach=900)
        nodes = room.client("Ana").sync(None)["snapshot"]["tribe_maps"][-1]["nodes"]
        room.ok("Ana", "map_link_add", project_id=project_id, from_node_id=nodes[0]["id"], to_node_id=nodes[1]["id"])
        room.ok("Ana", "plan_item_add", project_id=project_id, what=V["what"], node_id=nodes[0]["id"], when="launch_day",
                where=V["where"], how=V["how"])
        room.ok("Ana", "email_draft_save", project_id=project_id, ring="inner", subject=V["subject"], body=V["body"])
        ana.locator("[data-testid=project-card]", has_text="ZTITLEZ").get_by_role("link", name="Open the tribe map", exact=False).click()
        expect(ana.get_by_test_id("map-page")).to_be_visible()
        expect(ana.locator(".map-node")).to_have_count(2)
        # Ana types a node's name in the list view's form: the toast names it.
        form = ana.get_by_test_id("map-add-form")
        form.locator("input[name=label]").fill(V["typednode"])
        form.locator("button[type=submit]").click()
        expect(ana.locator(".toast", has_text="ZTYPEDNODEZ")).to_have_count(1)
        screens.problems += audit(ana, V, "toast: node added")
        for mail in ana.get_by_test_id("mail-draft").all():
            mail.locator("summary").click()
        screens.check(ana, "map page (drawing, list, plan, drafts, momentum)")
        room.ok("host", "spotlight_set", project_id=project_id, view="map")
        expect(screen.get_by_test_id("projector-map")).to_have_attribute("data-drawn", "true")
        screens.check(screen, "projector, spotlighted map", sizes=({"width": 1920, "height": 1080},))
        room.ok("host", "spotlight_set", project_id=project_id, view="card")
        expect(screen.get_by_test_id("spotlight-card")).to_be_visible()
        screens.check(screen, "projector, spotlighted card", sizes=({"width": 1920, "height": 1080},))
        screens.check(bruno, "participant following the spotlight")
        room.ok("host", "spotlight_set", project_id=None)
        screens.check(host, "facilitator console, maps (people, exports panel)")

        room.advance()  # wrap-up
        expect(screen.get_by_test_id("projector-stage")).to_have_attribute("data-stage", "thanks")
        screens.check(screen, "projector, thanks", sizes=({"width": 1920, "height": 1080},))

        # The printable exports: the summary and Ana's booklet, opened as a saved file would be.
        base = f"{live_server.url}/api/boards/{code}/exports"
        exports = {"summary.html": _fetch(f"{base}/summary.html", created["facilitator_token"]),
                   "booklet.html": _fetch(f"{base}/booklet.html", room.tokens["Ana"])}
        reader = browser.new_context(offline=True)
        try:
            page = reader.new_page()
            for name, html in exports.items():
                page.set_content(html)
                screens.check(page, f"export {name}", sizes=({"width": 900, "height": 1200}, PHONE), min_user_nodes=5)
        finally:
            reader.close()
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "typed-text-problems.txt").write_text("\n".join(screens.problems), encoding="utf-8")
        assert screens.problems == [], "\n" + "\n".join(screens.problems)
        assert ana.errors == [] and bruno.errors == [] and host.errors == [] and screen.errors == []
    finally:
        room.close()
        if context:
            context.close()


def _unisolated_lines(markdown: str) -> list[str]:
    """Lines where typed text, outside U+2068…U+2069, has the export's own words after it on its line."""
    bad = []
    for line in markdown.splitlines():
        rest = re.sub("\u2068[^\u2069]*\u2069", " ", line)
        for value in V.values():
            at = rest.find(value[:12])
            if at >= 0 and re.search(r"[^\W_Q]", rest[at + len(value[:12]):].replace(value[12:], "", 1)):
                bad.append(line[:120])
                break
    return bad


def test_the_markdown_exports_isolate_typed_text(live_server):
    """Markdown is text: typed text followed by the export's own words on a line sits between U+2068 and U+2069."""
    created = create_board(live_server.url, title=V["board"])
    code = created["board"]["code"]
    room = Room(live_server.url, created)
    try:
        for _ in range(3):
            room.advance()
        room.join("Ana")
        project_id = room.post("Ana", V["title"], V["pitch"], story=V["story"], category=V["category"],
                               platform=V["platform"], goal_amount=900)
        room.advance()
        room.advance()  # tribe maps
        room.ok("Ana", "map_node_add", project_id=project_id, label=V["node"], ring="inner", reach=40)
        room.ok("Ana", "plan_item_add", project_id=project_id, what=V["what"], ring="inner", when="launch_day",
                where=V["where"], how=V["how"])
        base = f"{live_server.url}/api/boards/{code}/exports"
        summary = _fetch(f"{base}/summary.md", created["facilitator_token"])
        booklet = _fetch(f"{base}/booklet.md", room.tokens["Ana"])
    finally:
        room.close()
    assert RLO in summary and RLO in booklet
    bad = _unisolated_lines(summary) + _unisolated_lines(booklet)
    assert bad == [], json.dumps(bad, ensure_ascii=False, indent=1)
