"""Browser tests: Debian's Chromium driven by Playwright against a real server subprocess."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import fresh_pg_database, pg_url, redis_url, sqlite_url  # noqa: F401 - shared fixtures
from tests.support.server import ServerProcess, create_board

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts"
AXE = ROOT / "client" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


def pytest_collection_modifyitems(config, items):
    """Everything under e2e/ is an e2e test."""
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, never a downloaded browser."""
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def live_server(tmp_path):
    """A real Snowball server on a SQLite file; stopped after the test."""
    process = ServerProcess(f"sqlite:///{tmp_path / 'e2e.sqlite3'}", log_dir=tmp_path).start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def people(browser, live_server):
    """Open pages for several people, each in their own browser context (own storage, own cookies)."""
    contexts = []

    def open_page(path: str = "/", **context_options):
        context = browser.new_context(base_url=live_server.url, **context_options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto(path)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def board(live_server):
    """A board created over the API: {'board', 'facilitator_token', 'links'}."""
    return create_board(live_server.url, title="Crowdfunding workshop")


def host_path(created: dict) -> str:
    """The facilitator's secret link, as a path."""
    code = created["board"]["code"]
    return f"/b/{code}/host#{created['facilitator_token']}"


def join_as(page, name: str) -> None:
    """On a board's join page, join with a display name and wait for the board."""
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join the board").click()
    page.get_by_test_id("me").wait_for()


def axe_violations(browser, url: str, storage_state=None) -> list[dict]:
    """Serious or critical axe-core violations on a page (axe from npm, injected into a CSP-free context)."""
    context = browser.new_context(bypass_csp=True, storage_state=storage_state)
    try:
        page = context.new_page()
        page.goto(url)
        page.locator("#app > :not(.loading)").first.wait_for()
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"] if v["impact"] in ("serious", "critical")
        ]
    finally:
        context.close()


def save_artifact(page, name: str) -> Path:
    """Save a screenshot under artifacts/ (kept by CI runs for people to look at)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def dump(obj) -> str:
    """Stable JSON, to compare board states across screens."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False)
