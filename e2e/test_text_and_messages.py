"""Text that never breaks a screen and messages that say what is wrong, in real browsers with a facilitator
and two participants on one board (1366-px laptops): unbroken strings wrap, a right-to-left override stays
inside the text that carries it, an over-limit paste is said with its count, plurals follow the language's
rules, errors name fields in words, focus goes somewhere useful, a code with "/" finds no board, the
facilitator is warned when the join link points at this laptop only, a live connection that cannot be made
is explained, and "Copy" copies the e-mail's subject and text even outside a secure context."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from e2e.pages.board import BoardPage
from e2e.pages.home import HomePage
from e2e.pages.join import JoinPage, join_as
from e2e.support.artifacts import save_artifact
from e2e.support.links import host_path
from e2e.support.room import Room
from server.domain import limits
from tests.support.server import create_board

RLO = "\u202e"
LAPTOP = {"width": 1366, "height": 768}
UNBROKEN_TITLE = ("Snowballeffectcrowdfunding" * 5)[: limits.PROJECT_TITLE_MAX]
UNBROKEN_NAME = "N" * limits.DISPLAY_NAME_MAX

# The page is no wider than the window: nothing a person typed pushes it sideways.
WIDTH_JS = "() => document.documentElement.scrollWidth"


def _paste(page, selector: str, text: str) -> None:
    """A paste event carrying `text`, as the browser sends it before it applies the field's maxlength."""
    page.locator(selector).evaluate(
        "(el, text) => { const data = new DataTransfer(); data.setData('text/plain', text);"
        " el.focus(); el.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true})); }", text)


def _focused(page) -> str:
    return page.evaluate("() => { const e = document.activeElement; return e === document.body ? 'body' : `${e.tagName.toLowerCase()}#${e.id}|${e.textContent.slice(0, 40)}`; }")


def test_text_and_messages_for_a_facilitator_and_two_participants(people, live_server):
    created = create_board(live_server.url, title=f"{RLO}{UNBROKEN_TITLE}"[: limits.BOARD_TITLE_MAX])
    code = created["board"]["code"]
    room = Room(live_server.url, created)
    try:
        for _ in range(3):
            room.advance()  # join, values, post your project
        host = people(host_path(created), viewport=LAPTOP)
        # The join link is http://127.0.0.1:…: the facilitator is told the room cannot reach it, and how to fix it.
        warning = host.get_by_test_id("loopback-warning")
        expect(warning).to_contain_text("points at this laptop only (127.0.0.1")
        expect(warning).to_contain_text("SNOWBALL_PUBLIC_URL")
        # An attendee "named" with spaces only: said, not silently ignored.
        host.get_by_test_id("vote-attendee-add").get_by_label("Name").fill("   ")
        host.get_by_role("button", name="Add attendee").click()
        expect(host.get_by_test_id("vote-attendee-error")).to_contain_text("spaces alone are not a name")

        # A code with "/" on the home page: "No board has this code", not a server error.
        home = people("/", viewport=LAPTOP)
        HomePage(home).join_by_code("AB/CD")
        expect(home.get_by_test_id("join-code-error")).to_have_text(re.compile("^No board has this code"))
        assert home.evaluate("() => location.pathname") == "/"

        ana = people(f"/b/{code}", viewport=LAPTOP)
        # The board's title carries a right-to-left override: the page's own closing quote stays after it.
        heading = ana.locator("#join-h")
        expect(heading.locator("bdi")).to_have_count(1)
        quote_after_title = heading.evaluate(
            "h => { const lines = h.querySelector('bdi').getClientRects(); const last = lines[lines.length - 1];"
            " const range = document.createRange(); range.selectNodeContents(h.lastChild); const quote = range.getBoundingClientRect();"
            " return quote.top >= last.bottom - 1 || (quote.top >= last.top - 1 && quote.left >= last.right - 1); }")
        assert quote_after_title
        # Spaces alone are not a name: said at once, focus back on the field, nobody joined.
        ana_join = JoinPage(ana)
        ana_join.submit("   ")
        expect(ana.get_by_test_id("join-error")).to_contain_text("spaces alone are not a name")
        expect(ana_join.name_field).to_be_focused()
        ana_join.join(f"{RLO}{UNBROKEN_NAME}"[: limits.DISPLAY_NAME_MAX])
        # Joined: focus on the first thing to do (the card's title), not on <body>.
        expect(ana.get_by_label("Project title")).to_be_focused()

        panel = ana.get_by_test_id("post-panel")
        # A paste longer than the field: the browser cuts it; the page says so, with both counts.
        _paste(ana, "#new-title", "T" * 300)
        expect(panel.get_by_test_id("paste-note")).to_have_text(
            f"Your paste was cut: this field keeps {limits.PROJECT_TITLE_MAX} characters, the text had 300.")
        BoardPage(ana).post(UNBROKEN_TITLE, "P" * limits.PROJECT_PITCH_MAX, story="S" * 3000)
        ana_card = ana.get_by_test_id("project-card").filter(has_text=UNBROKEN_TITLE[:20])
        expect(ana_card).to_have_count(1)
        # Posted: focus on the new card's title.
        expect(ana_card.locator("h3")).to_be_focused()

        bruno = people(f"/b/{code}", viewport=LAPTOP)
        join_as(bruno, "Bruno")
        bruno_card = bruno.get_by_test_id("project-card").filter(has_text=UNBROKEN_TITLE[:20])
        expect(bruno_card).to_have_count(1)
        # The author's name with its override is isolated inside "by …".
        expect(bruno_card.locator(".meta bdi").first).to_have_text(f"{RLO}{UNBROKEN_NAME}"[: limits.DISPLAY_NAME_MAX])
        bruno_card.locator("summary").click()  # the story, unbroken, open
        expect(host.get_by_test_id("project-card")).to_have_count(1)
        for who, page in (("facilitator", host), ("Ana", ana), ("Bruno", bruno)):
            width = page.evaluate(WIDTH_JS)
            assert width <= LAPTOP["width"], f"{who}'s page is {width}px wide in a {LAPTOP['width']}px window"

        # Words, not protocol names, and the language's own plural rules (French: 0 and 1 are singular).
        words = bruno.evaluate("""async () => {
          const i18n = await import('/static/js/i18n.js');
          const out = {
            title: i18n.errorText({code: 'required', params: {field: 'title'}}),
            unknown: i18n.errorText({code: 'too_long', params: {field: 'some_field', limit: 1}}),
            one: i18n.t('vote.pending.cast', {count: 1}), two: i18n.t('vote.pending.cast', {count: 2}),
          };
          i18n.setLanguage('fr');
          Object.assign(out, {fr0: i18n.t('show.projector.dots', {count: 0}), fr1: i18n.t('show.projector.dots', {count: 1}),
                              fr2: i18n.t('show.projector.dots', {count: 2}), frRequired: i18n.errorText({code: 'required', params: {field: 'label'}})});
          i18n.setLanguage('en');
          return out;
        }""")
        assert words == {
            "title": "The title is required.", "unknown": "This field is too long (at most 1 character).",
            "one": "1 dot waiting to be sent…", "two": "2 dots waiting to be sent…",
            "fr0": "0 gommette", "fr1": "1 gommette", "fr2": "2 gommettes",
            "frRequired": "Le nom de la personne ou du groupe : à remplir.",
        }

        # Opening a map: focus on the map's title.
        room.advance()
        room.advance()  # story vote, tribe maps
        bruno_card.get_by_role("link", name=re.compile("^Open the tribe map of")).click()
        expect(bruno.get_by_test_id("map-page")).to_be_visible()
        expect(bruno.locator(".map-title")).to_be_focused()
        assert bruno.evaluate(WIDTH_JS) <= LAPTOP["width"]
        save_artifact(bruno, "text-map-page")
        assert ana.errors == [] and bruno.errors == [] and host.errors == []
    finally:
        room.close()


def test_a_live_connection_that_cannot_be_made_is_explained(people, board):
    code = board["board"]["code"]
    page = people(f"/b/{code}", viewport=LAPTOP)
    # A proxy that lets pages through but not the live channel: Socket.IO's polling and WebSocket both fail.
    page.route("**/socket.io/**", lambda route: route.abort())
    page.route_web_socket(re.compile(r".*/socket\.io/.*"), lambda ws: ws.close())
    JoinPage(page).submit("Ana")
    expect(page.get_by_test_id("connecting")).to_be_visible()
    failed = page.get_by_test_id("connect-failed")
    expect(failed).to_contain_text("The live connection to the board cannot be made", timeout=15_000)
    expect(failed).to_contain_text("proxy or firewall")
    expect(failed.get_by_role("button", name="Try again")).to_be_visible()
    # The network comes back: "Try again" gets the board.
    page.unroute("**/socket.io/**")
    page.route_web_socket(re.compile(r".*/socket\.io/.*"), lambda ws: ws.connect_to_server())
    failed.get_by_role("button", name="Try again").click()
    page.get_by_test_id("me").wait_for(timeout=15_000)


def test_copy_keeps_the_e_mail_subject_outside_a_secure_context(people, live_server):
    created = create_board(live_server.url, title="Atelier")
    code = created["board"]["code"]
    room = Room(live_server.url, created)
    try:
        for _ in range(3):
            room.advance()
        ana = people(f"/b/{code}", viewport=LAPTOP)
        # Plain HTTP on a LAN: no navigator.clipboard. Record what the old copy command takes instead.
        ana.add_init_script("""
          Object.defineProperty(window, 'isSecureContext', {value: false});
          Object.defineProperty(navigator, 'clipboard', {value: undefined});
          const original = document.execCommand.bind(document);
          document.execCommand = (name, ...rest) => {
            if (name === 'copy') { const el = document.activeElement; window.__copied = el.value.slice(el.selectionStart, el.selectionEnd); return true; }
            return original(name, ...rest);
          };""")
        ana.reload()
        join_as(ana, "Ana")
        ana_board = BoardPage(ana)
        ana_board.post("La ferme", "Une serre pour le quartier")
        expect(ana.get_by_test_id("project-card")).to_have_count(1)
        bruno = room.join("Bruno")
        assert bruno
        room.advance()
        room.advance()
        ana_board.open_map("La ferme")
        mail = ana.locator('[data-testid="mail-draft"][data-ring="inner"]')
        mail.locator("summary").click()
        subject = mail.get_by_label("Subject")
        expect(subject).not_to_have_value("")
        mail.get_by_role("button", name="Copy").click()
        expect(mail.get_by_role("button", name="Copied")).to_be_visible()
        copied = ana.evaluate("() => window.__copied")
        body = mail.get_by_label("Message").input_value()
        assert copied == f"{subject.input_value()}\n\n{body}"
    finally:
        room.close()
