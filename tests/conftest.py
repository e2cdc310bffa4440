"""Shared fixtures: databases (SQLite, PostgreSQL), Redis, real server subprocesses, folder markers.

Services rule: a test that needs PostgreSQL or Redis skips when the service does not answer locally,
but fails when SNOWBALL_REQUIRE_SERVICES=1 (CI), so CI can never pass by skipping.
"""
from __future__ import annotations

import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from tests.support.server import ServerProcess

ROOT = Path(__file__).resolve().parent.parent

PG_HOST = os.environ.get("SNOWBALL_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("SNOWBALL_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("SNOWBALL_TEST_PG_USER", "postgres")
REDIS_TEST_URL = os.environ.get("SNOWBALL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

# Folder -> marker, so `pytest -m unit` (etc.) selects by where a test lives.
_FOLDER_MARKERS = {
    ("tests", "unit"): "unit",
    ("tests", "integration"): "integration",
    ("tests", "realtime"): "realtime",
    ("e2e",): "e2e",
}


def pytest_collection_modifyitems(config, items):
    """Mark every test by its folder (tests/unit -> unit, ...) and tests using PostgreSQL -> postgres."""
    for item in items:
        try:
            parts = Path(str(item.fspath)).resolve().relative_to(ROOT).parts
        except ValueError:
            continue
        for prefix, marker in _FOLDER_MARKERS.items():
            if parts[: len(prefix)] == prefix:
                item.add_marker(getattr(pytest.mark, marker))
        fixtures = getattr(item, "fixturenames", ())
        if "pg_url" in fixtures or "pg_server" in fixtures or _uses_pg_param(item):
            item.add_marker(pytest.mark.postgres)


def _uses_pg_param(item) -> bool:
    callspec = getattr(item, "callspec", None)
    return bool(callspec) and "postgresql" in (callspec.params.get("db_url"), callspec.params.get("database"))


def services_required() -> bool:
    """True in CI: a missing PostgreSQL/Redis is a failure, not a skip."""
    return os.environ.get("SNOWBALL_REQUIRE_SERVICES") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI nothing may be skipped: a skip (of any cause) is reported as a failure with its reason."""
    outcome = yield
    report = outcome.get_result()
    if services_required() and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped, which CI does not allow (SNOWBALL_REQUIRE_SERVICES=1): {reason}"


def _unavailable(what: str, error: Exception) -> None:
    message = f"{what} is not reachable ({error.__class__.__name__}: {error})"
    if services_required():
        pytest.fail(message + " and SNOWBALL_REQUIRE_SERVICES=1", pytrace=False)
    pytest.skip(message)


def _pg_admin_connect():
    import psycopg

    return psycopg.connect(host=PG_HOST, port=PG_PORT, user=PG_USER, dbname="postgres",
                           autocommit=True, connect_timeout=3)


@contextmanager
def fresh_pg_database() -> Iterator[str]:
    """Create a uniquely named PostgreSQL database, yield its URL, drop it after (skip/fail if unreachable)."""
    try:
        admin = _pg_admin_connect()
    except Exception as error:  # noqa: BLE001 - any connection failure means "not available"
        _unavailable(f"PostgreSQL at {PG_HOST}:{PG_PORT}", error)
    name = f"snowball_test_{uuid.uuid4().hex[:16]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"postgresql+psycopg://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}"
        finally:
            # WITH (FORCE) ends sessions a server subprocess or a leaked pool may still hold.
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url():
    """A fresh, uniquely named PostgreSQL database; yields a postgresql+psycopg:// URL, dropped after."""
    with fresh_pg_database() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path):
    """A SQLite database file in this test's tmp_path."""
    return f"sqlite:///{tmp_path / 'snowball.sqlite3'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request):
    """The same test on SQLite and on PostgreSQL."""
    fixture = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return request.getfixturevalue(fixture)


@pytest.fixture
def redis_url():
    """A reachable Redis URL (database 0 on 127.0.0.1:6379 unless SNOWBALL_TEST_REDIS_URL says otherwise)."""
    import redis

    try:
        client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=3)
        client.ping()
        client.close()
    except Exception as error:  # noqa: BLE001
        _unavailable(f"Redis at {REDIS_TEST_URL}", error)
    return REDIS_TEST_URL


@pytest.fixture(scope="session")
def _pg_service_database():
    """One migrated PostgreSQL database for the whole session (service tests empty it between tests)."""
    from server.persistence.db import Database

    with fresh_pg_database() as url:
        Database(url).migrate()
        yield url


def _empty_pg_tables(db) -> None:
    from sqlalchemy import text

    with db.engine.begin() as conn:
        tables = conn.execute(text(
            "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
        )).scalars().all()
        if tables:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> Path:
    """A SQLite file migrated once per session; tests copy it (migrating each time costs ~0.5 s)."""
    from server.persistence.db import Database

    path = tmp_path_factory.mktemp("sqlite-template") / "migrated.sqlite3"
    db = Database(f"sqlite:///{path}")
    db.migrate()
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
    db.dispose()
    return path


def _migrated_sqlite_copy(template: Path, target: Path) -> str:
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """A migrated, empty `server.persistence.db.Database`, on SQLite and on PostgreSQL.

    SQLite: a copy of the session's migrated file per test. PostgreSQL: the session's database,
    migrated once and emptied before each test (creating and migrating one per test costs ~0.5 s).
    """
    from server.persistence.db import Database

    if request.param == "sqlite":
        db = Database(_migrated_sqlite_copy(request.getfixturevalue("_sqlite_template"), tmp_path / "services.sqlite3"))
    else:
        db = Database(request.getfixturevalue("_pg_service_database"))
        _empty_pg_tables(db)
    try:
        yield db
    finally:
        db.dispose()


@pytest.fixture
def make_app(tmp_path, _sqlite_template):
    """Build in-process Flask apps (threading async mode: never eventlet in pytest); disposed after.

    make_app(database_url=None, **settings): without a URL, the app gets its own migrated SQLite file.
    """
    from server import create_app
    from server.config import Settings

    apps = []

    def make(database_url: str | None = None, **settings):
        url = database_url or _migrated_sqlite_copy(_sqlite_template, tmp_path / f"app{len(apps)}.sqlite3")
        app = create_app(Settings(database_url=url, async_mode="threading", **settings))
        app.config.update(TESTING=True)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["snowball"].db.dispose()


@pytest.fixture
def app(make_app):
    """An in-process app on a SQLite file in tmp_path (for HTTP tests with `app.test_client()`)."""
    return make_app()


@pytest.fixture
def http(app):
    """A Flask test client of `app`."""
    return app.test_client()


def _started_server(database_url: str, log_dir: Path):
    server = ServerProcess(database_url, log_dir=log_dir)
    server.start()
    return server


@pytest.fixture
def server(tmp_path):
    """A real Snowball server subprocess on a SQLite file in tmp_path; stopped after the test."""
    process = _started_server(f"sqlite:///{tmp_path / 'server.sqlite3'}", tmp_path)
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def pg_server(pg_url, tmp_path):
    """A real Snowball server subprocess on a fresh PostgreSQL database; stopped before the drop."""
    process = _started_server(pg_url, tmp_path)
    try:
        yield process
    finally:
        process.stop()


@contextmanager
def module_server(database: str, log_dir: Path) -> Iterator[ServerProcess]:
    """A started server on SQLite or a fresh PostgreSQL database ("sqlite" | "postgresql"), stopped after."""
    if database == "sqlite":
        process = ServerProcess(f"sqlite:///{log_dir / 'server.sqlite3'}", log_dir=log_dir).start()
        try:
            yield process
        finally:
            process.stop()
        return
    with fresh_pg_database() as url:
        process = ServerProcess(url, log_dir=log_dir).start()
        try:
            yield process
        finally:
            process.stop()
