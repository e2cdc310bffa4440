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
