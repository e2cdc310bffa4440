"""The run of show in four browser contexts: a facilitator, two participants (one with its clock seven
minutes ahead) and the projector. Phases gate input at once, the timer agrees everywhere, the
spotlight is followed, and a participant steps out and back."""
from __future__ import annotations

import datetime
import re
import time

from playwright.sync_api import expect

from e2e.pages.board import post_card
from e2e.pages.console import Console
from e2e.pages.join import join_as
from e2e.support.artifacts import axe_violations, save_artifact
from e2e.support.links import host_path, projector_path

SHIFT = datetime.timedelta(minutes=7)


def seconds(text: str) -> int:
    """'9:58' -> 598."""
    minutes, secs = re.fullmatch(r"(\d+):(\d\d)", text.strip()).groups()
    return int(minutes) * 60 + int(secs)


def timer_facts(page, selector: str) -> dict:
    """What a screen's timer shows, and the server facts behind it."""
    return page.locator(selector).evaluate(
        "el => ({text: el.querySelector('.timer-time').textContent, state: el.dataset.state,"
        " phase: el.dataset.phaseId, endsAt: el.dataset.endsAt, offset: el.dataset.offsetMs})")


def timers_agree(screen, ana, ben, plausible, timeout: float = 3.0) -> None:
    """The projector and both participants show the same remaining time (±1 s), once each has the
    latest event (a frame reaches screens a few milliseconds apart)."""
    deadline = time.monotonic() + timeout
    while True:
        facts = {"screen": timer_facts(screen, ".timer-projector"),
                 "ana": timer_facts(ana, ".panel-show .timer"), "ben": timer_facts(ben, ".panel-show .timer")}
        left = {who: seconds(f["text"]) for who, f in facts.items()}
        if max(left.values()) - min(left.values()) <= 1 and plausible(left["screen"]):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timers disagree: {facts}")
        screen.wait_for_timeout(100)


def test_phases_gate_participants_at_once_and_the_timer_and_spotlight_agree_everywhere(people, board):
    code = board["board"]["code"]
    host = people(host_path(board))
    expect(host.get_by_test_id("console")).to_be_visible()
    ana = people(f"/b/{code}")
    join_as(ana, "Ana")
    ben = people(f"/b/{code}")
    # Ben's laptop clock is seven minutes ahead: his countdown must still match the room's.
    ben.clock.install(time=datetime.datetime.now(datetime.timezone.utc) + SHIFT)
    ben.reload()
    join_as(ben, "Ben")
    assert ben.evaluate("Date.now()") - datetime.datetime.now().timestamp() * 1000 > 6 * 60 * 1000
    screen = people(projector_path(board), viewport={"width": 1920, "height": 1080})
    expect(screen.get_by_test_id("join-count")).to_have_text("2 joined")

    expect(host.get_by_test_id("show-next")).to_have_text("Start the session")
    Console(host).advance_through(["Join", "Values", "Post your project"], screen)
    post_card(ana, "El Cosmonauta", "A science-fiction film made with its community")
    post_card(ben, "Les Ruches", "Urban beehives on every school roof")
    expect(screen.get_by_test_id("projector-card")).to_have_count(2)
    for page in (ana, ben):
        expect(page.locator('[data-testid="gates-now"] [data-gate="posting"]')).to_have_attribute("data-open", "true")

    # The vote opens: posting closes on both participants' screens within a second.
    host.get_by_test_id("show-next").click()
    for page in (ana, ben):
        expect(page.locator('[data-testid="gates-now"] [data-gate="posting"]')).to_have_attribute("data-open", "false", timeout=1000)
        expect(page.locator('[data-testid="gates-now"] [data-gate="voting"]')).to_have_attribute("data-open", "true", timeout=1000)
    expect(screen.get_by_test_id("projector-phase")).to_have_text("Story vote")
    # Closed up front, with the reason: nobody types a card to learn it is refused (the server still refuses).
    panel = ana.get_by_test_id("post-panel")
    expect(panel.get_by_test_id("post-closed")).to_have_text(
        "Posting is closed in this phase: the facilitator opens it when it is time.")
    expect(panel.get_by_label("Project title")).to_be_disabled()
    expect(screen.get_by_test_id("projector-card")).to_have_count(2)

    # One timer for everyone: the shifted laptop shows what the projector shows (±1 s).
    timers_agree(screen, ana, ben, lambda left: 9 * 60 - 30 < left <= 10 * 60)
    host.get_by_test_id("show-extend5").click()
    timers_agree(screen, ana, ben, lambda left: 14 * 60 - 30 < left <= 15 * 60)
    host.get_by_test_id("show-pause").click()
    expect(ben.locator(".panel-show .timer")).to_have_attribute("data-state", "paused")
    expect(screen.locator(".timer-projector")).to_have_attribute("data-state", "paused")
    timers_agree(screen, ana, ben, lambda left: 14 * 60 - 30 < left <= 15 * 60)
    host.get_by_test_id("show-resume").click()
    expect(screen.locator(".timer-projector")).to_have_attribute("data-state", "running")
    timers_agree(screen, ana, ben, lambda left: 14 * 60 - 30 < left <= 15 * 60)

    # Tribe maps: Ben steps out; the facilitator spotlights Ana's map.
    Console(host).next_phase("Tribe maps", screen)
    for page in (ana, ben):
        expect(page.locator('[data-testid="gates-now"] [data-gate="mapping"]')).to_have_attribute("data-open", "true", timeout=1000)
    ben.get_by_test_id("follow").get_by_role("button", name="Step out").click()
    expect(ben.get_by_test_id("follow")).to_have_attribute("data-following", "false")
    host.get_by_role("button", name="Spotlight map of “El Cosmonauta”").click()
    expect(screen.get_by_test_id("projector-stage")).to_have_attribute("data-stage", "map")
    expect(screen.get_by_test_id("projector-stage")).to_contain_text("El Cosmonauta")
    expect(ana).to_have_url(re.compile(r"#map/\d+$"))
    map_hash = ana.evaluate("location.hash")
    assert ben.evaluate("location.hash") in ("", "#")
    save_artifact(screen, "run-of-show-spotlight-map")
    # Ben comes back: he is taken to the spotlighted map too.
    ben.get_by_test_id("follow").get_by_role("button", name="Follow the facilitator again").click()
    expect(ben).to_have_url(re.compile(re.escape(map_hash) + "$"))

    # A card in the spotlight: the projector shows it large; following screens show it on top.
    host.get_by_role("button", name="Spotlight the card “Les Ruches”").click()
    expect(screen.get_by_test_id("spotlight-card")).to_contain_text("Les Ruches")
    expect(ana.get_by_test_id("spotlight-card")).to_contain_text("Urban beehives")
    expect(ana).not_to_have_url(re.compile(r"#map/"))
    expect(host.get_by_test_id("console-spotlight")).to_contain_text("Les Ruches")
    save_artifact(screen, "run-of-show-spotlight-card")

    for page in (host, ana, ben, screen):
        assert page.errors == []


def test_console_board_and_projector_have_no_serious_accessibility_violation(people, board, browser, live_server):
    code = board["board"]["code"]
    host = people(host_path(board))
    expect(host.get_by_test_id("console")).to_be_visible()
    ana = people(f"/b/{code}")
    join_as(ana, "Ana")
    post_card(ana, "El Cosmonauta", "A science-fiction film made with its community")
    Console(host).next_phase("Join")
    expect(ana.get_by_test_id("phase")).to_contain_text("Join")
    host.get_by_role("button", name="Spotlight the card “El Cosmonauta”").click()
    expect(ana.get_by_test_id("spotlight-card")).to_be_visible()
    base = live_server.url
    pages = {
        "console": (base + host_path(board), None),
        "participant board": (f"{base}/b/{code}", ana.context.storage_state()),
        "participant projector preview": (f"{base}/b/{code}#projector", ana.context.storage_state()),
        "projector": (base + projector_path(board), None),
    }
    for name, (url, state) in pages.items():
        assert axe_violations(browser, url, storage_state=state) == [], name


def test_moderation_hides_a_card_from_others_and_removes_a_participant(people, board):
    code = board["board"]["code"]
    host = people(host_path(board))
    ana = people(f"/b/{code}")
    join_as(ana, "Ana")
    ben = people(f"/b/{code}")
    join_as(ben, "Ben")
    screen = people(projector_path(board), viewport={"width": 1920, "height": 1080})
    Console(host).advance_through(["Join", "Values", "Post your project"], screen)
    post_card(ana, "Spam & eggs", "<b>not a project</b>")
    post_card(ben, "Les Ruches", "Urban beehives on every school roof")
    for page in (host, ana, ben):
        expect(page.get_by_test_id("project-card")).to_have_count(2)
    expect(screen.get_by_test_id("projector-card")).to_have_count(2)

    host.get_by_role("button", name="Hide “Spam & eggs” from participants").click()
    expect(ben.get_by_test_id("project-card")).to_have_count(1)
    expect(screen.get_by_test_id("projector-card")).to_have_count(1)
    expect(ana.get_by_test_id("project-card").filter(has_text="Spam & eggs").get_by_test_id("hidden-badge")).to_have_text("Hidden by the facilitator")
    expect(host.get_by_test_id("project-card").filter(has_text="Spam & eggs").get_by_test_id("hidden-badge")).to_be_visible()
    ben.reload()                                       # the snapshot leaves it out too
    expect(ben.get_by_test_id("project-card")).to_have_count(1)
    host.get_by_role("button", name="Show again: “Spam & eggs”").click()
    expect(ben.get_by_test_id("project-card")).to_have_count(2)
    expect(ben.get_by_test_id("project-card").filter(has_text="Spam & eggs")).to_contain_text("<b>not a project</b>")

    expect(host.get_by_test_id("stuck")).to_contain_text("Ana")
    host.once("dialog", lambda dialog: dialog.accept())
    host.get_by_role("button", name="Remove Ana from the board").click()
    expect(ana.get_by_test_id("removed")).to_have_text("The facilitator removed you from this board.")
    expect(host.get_by_test_id("stuck")).not_to_contain_text("Ana")
    ana.reload()                                       # this device forgot the identity: the join page
    expect(ana.get_by_label("Your name")).to_be_visible()
    for page in (host, ben, screen):
        assert page.errors == []
