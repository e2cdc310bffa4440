"""Browser tests: Debian's Chromium driven by Playwright against a real server subprocess.

The fixtures live here, once: the servers (`start_server`, `live_server`, `redis_process`), the people
(`people`) and a board (`board`). The screens are driven through e2e/pages, the rest through e2e/support.
"""
from __future__ import annotations

import uuid

import pytest

from e2e.support.chromium import CHROMIUM_ARGS, CHROMIUM_PATH
from tests.conftest import fresh_pg_database, pg_url, redis_url, sqlite_url  # noqa: F401 - shared fixtures
from tests.support.redis_server import RedisProcess
from tests.support.server import ServerProcess, create_board


def pytest_configure(config):
    """The marker that sets a module's or a test's server environment."""
    config.addinivalue_line(
        "markers", "server_env(**env): environment overrides for the test's live_server (e.g. SNOWBALL_REPLAY_LIMIT='5')")


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
        "executable_path": CHROMIUM_PATH,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def redis_process(tmp_path):
    """A redis-server of the test's own (the test may kill and start it again); killed after the test."""
    process = RedisProcess(tmp_path).start()
    try:
        yield process
    finally:
        process.kill()


@pytest.fixture
def start_server(tmp_path):
    """Start real Snowball servers on SQLite files of this test, each with its own environment; all stopped after.

    `start(env={...})` overrides settings (limits, replay); `start(redis=redis_process)` scales out through that
    Redis, on a channel of its own.
    """
    started: list[ServerProcess] = []

    def start(env: dict | None = None, redis: RedisProcess | None = None) -> ServerProcess:
        env = dict(env or {})
        if redis is not None:
            env.update(REDIS_URL=redis.url, SNOWBALL_REDIS_CHANNEL=f"e2e-{uuid.uuid4().hex[:8]}")
        database = tmp_path / f"e2e-{len(started)}.sqlite3"
        process = ServerProcess(f"sqlite:///{database}", log_dir=tmp_path, env=env).start()
        started.append(process)
        return process

    try:
        yield start
    finally:
        for process in reversed(started):
            process.stop()


@pytest.fixture
def live_server(request, start_server):
    """A real Snowball server on a SQLite file; its environment from the nearest `server_env` marker, if any."""
    marker = request.node.get_closest_marker("server_env")
    return start_server(env={key: str(value) for key, value in marker.kwargs.items()} if marker else None)


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
