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


def _alembic_config(url: str):
    from alembic.config import Config
    from server.persistence.db import MIGRATIONS_DIR

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    cfg.attributes["connection_url"] = url
    return cfg


def _surrogate_id_tables() -> list:
    all_models_loaded()
    return [t for t in Base.metadata.sorted_tables
            if [c.name for c in t.primary_key.columns] == ["id"] and t.c.id.autoincrement in (True, "auto")]


def test_every_surrogate_id_is_autoincrement_on_sqlite(sqlite_url):
    """Models and the migrated file agree: no table with an `id` may hand a removed id out again."""
    from server.persistence.db import Database

    tables = _surrogate_id_tables()
    assert {"projects", "map_nodes", "map_links", "map_plan_items", "show_phases"} <= {t.name for t in tables}
    assert [t.name for t in tables if not t.dialect_kwargs.get("sqlite_autoincrement")] == []
    db = Database(sqlite_url)
    db.migrate()
    with db.engine.connect() as conn:
        sql = dict(conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all())
    db.dispose()
    assert [t.name for t in tables if "AUTOINCREMENT" not in sql[t.name]] == []


def test_an_old_sqlite_file_keeps_its_rows_and_then_never_reuses_ids(sqlite_url):
    """A file made before 0006 (ids reusable) is rebuilt: same rows, and ids removed before stay gone."""
    from alembic import command

    from server.domain.actors import Actor, Role
    from server.persistence.db import Database
    from server.services import boards, identity, projects, snapshot
    from server.services import tribe_maps as maps
    from tests.support.clients import op_id

    command.upgrade(_alembic_config(sqlite_url), "0005_one_history")
    db = Database(sqlite_url)
    created = boards.create_board(db, "Atelier", "fr", None)
    code = created.board["code"]
    joined = identity.join(db, code, "Ana", None)
    ana = Actor(identity.authenticate(db, code, created.facilitator_secret)[0].board_id, Role.PARTICIPANT,
                joined.participant["id"])
    kept = projects.post_project(db, ana, op_id(), {"title": "Le fournil", "pitch": "p"}).event["data"]["project"]["id"]
    gone = projects.post_project(db, ana, op_id(), {"title": "La ferme", "pitch": "p"}).event["data"]["project"]["id"]
    projects.delete_project(db, ana, op_id(), gone)
    maps.add_node(db, ana, op_id(), kept, {"label": "Maman", "ring": "inner"})
    gone_node = maps.add_node(db, ana, op_id(), kept, {"label": "Papa", "ring": "inner"}).event["data"]["node"]["id"]
    maps.remove_node(db, ana, op_id(), kept, gone_node)
    before = snapshot.snapshot(db, ana)
    db.dispose()

    db = Database(sqlite_url)
    db.migrate()
    after = snapshot.snapshot(db, ana)
    assert (after["projects"], after["tribe_maps"], after["seq"]) == (before["projects"], before["tribe_maps"], before["seq"])
    # The highest ids were removed before the migration: the log remembers them, so they stay gone.
    assert projects.post_project(db, ana, op_id(), {"title": "Radio", "pitch": "p"}).event["data"]["project"]["id"] > gone
    assert maps.add_node(db, ana, op_id(), kept, {"label": "Voisins", "ring": "inner"}).event["data"]["node"]["id"] > gone_node
    db.dispose()
