"""Alembic migrations (one head) build exactly the schema the SQLAlchemy models declare."""
from __future__ import annotations

import importlib
import pkgutil

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

import server.persistence
from server.persistence.models import Base


def all_models_loaded() -> None:
    """Import every persistence module, so capabilities' tables are in Base.metadata too."""
    for module in pkgutil.iter_modules(server.persistence.__path__):
        importlib.import_module(f"server.persistence.{module.name}")


def test_migrated_schema_matches_the_models(database):
    all_models_loaded()
    with database.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_migrate_is_idempotent(database):
    database.migrate()  # a restart applies nothing twice
    assert "events" in inspect(database.engine).get_table_names()


def test_migrations_have_one_head():
    """`alembic revision` needs one head: a second branch must be merged before it lands."""
    from alembic.script import ScriptDirectory
    from alembic.config import Config
    from server.persistence.db import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    heads = ScriptDirectory.from_config(cfg).get_heads()
    assert len(heads) == 1, f"several Alembic heads: {heads}"


def test_plain_alembic_upgrades_the_database_of_DATABASE_URL(tmp_path):
    """`alembic upgrade head` run by hand migrates DATABASE_URL, not a file the server does not read."""
    import os
    import sqlite3
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    target = tmp_path / "by-hand.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{target}", "SNOWBALL_INSTANCE": str(tmp_path / "default")}
    done = subprocess.run([sys.executable, "-m", "alembic", "-c", "migrations/alembic.ini", "upgrade", "head"],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(target) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"boards", "events", "alembic_version"} <= tables
    assert not (tmp_path / "default").exists()  # the default file was never opened
