"""Helpers for the offline browser tests: pages on a board, a map, and what the server holds (over a socket)."""
from __future__ import annotations

import socketio
from playwright.sync_api import expect

from e2e.conftest import join_as
from e2e.test_offline import Wifi


def open_with_wifi(browser, live_server, path: str, wifi_class=Wifi, clock: bool = False):
    """A person in their own context whose connection the test can cut: (context, page, wifi).

    `clock=True` installs Playwright's fake clock first (time flows, and the test can jump it ahead).
    The page's uncaught errors are kept in `page.errors`.
    """
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    if clock:
        page.clock.install()
    wifi = wifi_class(page)
    page.goto(path)
    return context, page, wifi


def post_story(page, title: str, goal: str | None = None) -> None:
    """Post a card from the 'Post your project' panel (open while one has no card yet)."""
    panel = page.get_by_test_id("post-panel")
    panel.get_by_label("Project title").fill(title)
    panel.get_by_label("One-line pitch").fill(f"The pitch of {title}")
    if goal:
        panel.get_by_label("Funding goal").fill(goal)
    panel.get_by_role("button", name="Post the project").click()
    expect(page.get_by_role("button", name=f"Edit: {title}")).to_be_visible()  # on the server, not pending


def card(page, title: str):
    return page.get_by_test_id("project-card").filter(has=page.get_by_role("heading", name=title))


def place(page, title: str):
    return page.get_by_role("button", name=f"Place a dot on “{title}”")


def take_back(page, title: str):
    return page.get_by_role("button", name=f"Take back a dot from “{title}”")


def open_map(page, title: str) -> None:
    page.get_by_role("link", name=f"Open the tribe map of “{title}”").click()
    expect(page.get_by_test_id("map-svg")).to_be_visible()


def node(page, label: str):
    """A node of the drawing, by label."""
    return page.get_by_test_id("map-svg").locator(f'[data-testid="map-node"][data-label="{label}"]')


def row(page, label: str):
    """A node's row in the list view (the keyboard way), by label."""
    return page.locator(f'[data-testid="map-row"][data-label="{label}"]')


def add_node(page, label: str, ring: str = "Inner circle", reach: int = 1, offline: bool = False) -> None:
    """Add a person or group with the list view's form; wait until it is on the server (or, offline, shown pending)."""
    form = page.get_by_test_id("map-add-form")
    form.get_by_label("Name or group").fill(label)
    form.get_by_label("Ring").select_option(label=ring)
    form.get_by_label("Reach (people)").fill(str(reach))
    form.get_by_role("button", name="Add to the map").click()
    if offline:
        expect(row(page, label)).to_have_attribute("data-pending", "add")
    else:
        expect(page.locator(f'[data-testid="map-row"][data-label="{label}"]:not([data-pending])')).to_have_count(1)


def token_of(page, code: str) -> str:
    """A participant page's device token (kept in its localStorage)."""
    return page.evaluate("code => JSON.parse(localStorage.getItem(`snowball:${code}:participant`)).token", code)


def sync_as(live_server, code: str, token: str, since: int | None = None) -> dict:
    """The server's answer to `sync` for this identity: a fresh snapshot, or the log since `since`."""
    client = socketio.Client(reconnection=False)
    client.connect(live_server.url, auth={"board": code, "token": token}, transports=["websocket"], wait_timeout=10)
    try:
        return client.call("sync", {} if since is None else {"since": since}, timeout=10)
    finally:
        client.disconnect()


def my_dots(live_server, code: str, token: str) -> dict[str, int]:
    """The dots this participant has on the server in the current round, by story title."""
    snap = sync_as(live_server, code, token)["snapshot"]
    titles = {p["id"]: p["title"] for p in snap["projects"]}
    mine = snap["vote"]["mine"]
    return {titles[d["project_id"]]: d["dots"] for d in mine["dots"] if d["round"] == mine["round"] and d["dots"]}


def map_labels(live_server, board: dict, title: str) -> list[str]:
    """The labels of a project's map nodes on the server, in id order."""
    snap = sync_as(live_server, board["board"]["code"], board["facilitator_token"])["snapshot"]
    project_id = next(p["id"] for p in snap["projects"] if p["title"] == title)
    maps = [m for m in snap.get("tribe_maps", []) if m["project_id"] == project_id]
    return [n["label"] for n in maps[0]["nodes"]] if maps else []


def board_log(live_server, board: dict) -> list[dict]:
    """Every event of the board, in seq order (the replay from 0; the board must be under the replay limit)."""
    reply = sync_as(live_server, board["board"]["code"], board["facilitator_token"], since=0)
    assert "events" in reply, "the log is longer than the replay limit"
    return reply["events"]


def ana_offline_ready_with_bruno_on_a_map(browser, live_server, people, code: str, title: str,
                                           nodes: list[tuple[str, str, int]]):
    """Ana (whose connection the test can cut) posts `title`; she and Bruno open its tribe map and she
    adds `nodes` (label, ring, reach), seen on both screens. Returns (context, ana, wifi, bruno)."""
    context, ana, wifi = open_with_wifi(browser, live_server, f"/b/{code}")
    try:
        join_as(ana, "Ana")
        post_story(ana, title, goal="1000")
        bruno = people(f"/b/{code}")
        join_as(bruno, "Bruno")
        open_map(ana, title)
        open_map(bruno, title)
        for label, ring, reach in nodes:
            add_node(ana, label, ring, reach)
        for page in (ana, bruno):
            for label, _, _ in nodes:
                expect(node(page, label)).to_have_count(1)
    except BaseException:
        context.close()
        raise
    return context, ana, wifi, bruno
