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


OLD_ROWS = [
    "INSERT INTO boards (id, code, title, language, facilitator_hash, projector_hash, last_seq, created_at)"
    " VALUES (1, 'QXDWTQ', 'Atelier', 'fr', 'f', 'p', 6, '2026-06-03 15:00:00')",
    "INSERT INTO participants (id, board_id, name, joined_at) VALUES (1, 1, 'Ana', '2026-06-03 15:01:00')",
    "INSERT INTO projects (id, board_id, author_id, title, pitch, story, category, currency, platform, link, created_at, updated_at)"
    " VALUES (1, 1, 1, 'Le fournil', 'p', '', '', 'EUR', '', '', '2026-06-03 15:02:00', '2026-06-03 15:02:00')",
    "INSERT INTO tribe_maps (id, board_id, project_id, average_pledge, conversion_pct, created_at)"
    " VALUES (1, 1, 1, 30, 20, '2026-06-03 15:03:00')",
    "INSERT INTO map_nodes (id, map_id, label, kind, ring, reach, x, y, added_by, created_at, updated_at)"
    " VALUES (1, 1, 'Maman', 'person', 'inner', 2, 0.0, -0.3, 1, '2026-06-03 15:03:00', '2026-06-03 15:03:00')",
]
# What the old server logged: card 2 and node 2 were the highest ids, then removed (their rows are gone).
OLD_EVENTS = [(1, "project_posted", {"project": {"id": 1}}), (2, "project_posted", {"project": {"id": 2}}),
              (3, "project_deleted", {"project_id": 2}), (4, "map_node_added", {"project_id": 1, "node": {"id": 1}}),
              (5, "map_node_added", {"project_id": 1, "node": {"id": 2}}),
              (6, "map_node_removed", {"project_id": 1, "node_id": 2, "link_ids": [], "plan_items": []})]


def test_an_old_sqlite_file_keeps_its_rows_and_then_never_reuses_ids(sqlite_url):
    """A file written before 0006 (ids reusable) is rebuilt: same rows, and ids removed before stay gone."""
    import json

    from alembic import command

    from server.domain.actors import Actor, Role
    from server.persistence.db import Database
    from server.services import projects
    from server.services.maps import use_cases as maps
    from tests.support.clients import op_id

    command.upgrade(_alembic_config(sqlite_url), "0005_one_history")
    db = Database(sqlite_url)
    with db.engine.begin() as conn:
        for sql in OLD_ROWS:
            conn.exec_driver_sql(sql)
        for seq, kind, data in OLD_EVENTS:
            conn.exec_driver_sql("INSERT INTO events (board_id, seq, type, data, op_id, actor, created_at)"
                                 " VALUES (1, ?, ?, ?, NULL, 'participant:1', '2026-06-03 15:04:00')",
                                 (seq, kind, json.dumps(data)))
    tables = ("boards", "participants", "projects", "tribe_maps", "map_nodes", "events")

    def rows() -> dict:
        with db.engine.connect() as conn:
            return {t: conn.exec_driver_sql(f"SELECT * FROM {t} ORDER BY id").all() for t in tables}

    before = rows()
    db.migrate()
    after = rows()
    # Every row kept (the events table gained the two columns of 0007, empty for old rows).
    assert {t: [r[:len(before[t][0])] for r in after[t]] for t in tables} == before
    ana = Actor(1, Role.PARTICIPANT, 1)
    assert projects.post_project(db, ana, op_id(), {"title": "Radio", "pitch": "p"}).event["data"]["project"]["id"] == 3
    assert maps.add_node(db, ana, op_id(), 1, {"label": "Voisins", "ring": "inner"}).event["data"]["node"]["id"] == 3
    db.dispose()
