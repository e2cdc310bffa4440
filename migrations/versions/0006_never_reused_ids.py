"""never reused ids: SQLite tables get AUTOINCREMENT, so a removed row's id is never given again

Revision ID: 0006_never_reused_ids
Revises: 0005_one_history

On SQLite a plain `INTEGER PRIMARY KEY` hands the highest id to the next row once its row is
removed: a stale `map_node_edit {node_id: 3}` then edits someone else's new node 3. Each table
with a surrogate id is rebuilt with AUTOINCREMENT (rows, indexes and constraints carried over),
and the counter of every removable kind starts above the highest id its event log ever named, so
an id removed before this migration is not handed out again either. PostgreSQL's sequences never
go back: nothing to do there.
"""
from alembic import op
from sqlalchemy import text

revision = "0006_never_reused_ids"
down_revision = "0005_one_history"
branch_labels = None
depends_on = None

TABLES = ("boards", "participants", "device_tokens", "projects", "events", "tribe_maps", "map_nodes",
          "map_links", "map_plan_items", "map_email_drafts", "vote_rounds", "vote_dots", "show_phases",
          "show_hidden_items", "show_removed_participants")

# Where the event log names ids of rows that may since have been removed: scalar paths, and arrays.
LOGGED_IDS = {
    "projects": (("$.project.id", "$.project_id"), ()),
    "map_nodes": (("$.node.id", "$.node_id"), ()),
    "map_links": (("$.link.id", "$.link_id"), ("$.link_ids",)),
    "map_plan_items": (("$.item.id", "$.item_id"), ("$.plan_items",)),
    "show_phases": (("$.ended_phase_id", "$.started_phase_id", "$.show.current_phase_id"), ("$.show.phases",)),
}


def _rebuild(autoincrement: bool) -> None:
    bind = op.get_bind()
    # Dropping the old copy of a parent table must not cascade into its children's rows.
    if bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("run this migration with PRAGMA foreign_keys=OFF (Database.migrate does)")
    for table in TABLES:
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}):
            pass


def _highest_logged_id(table: str) -> int:
    scalars, arrays = LOGGED_IDS[table]
    bind = op.get_bind()
    highest = 0
    for path in scalars:
        found = bind.execute(text("SELECT MAX(CAST(json_extract(data, :path) AS INTEGER)) FROM events"),
                             {"path": path}).scalar()
        highest = max(highest, found or 0)
    for path in arrays:
        # An array of ids, or of objects with an `id`.
        found = bind.execute(text(
            "SELECT MAX(CAST(CASE WHEN item.type = 'object' THEN json_extract(item.value, '$.id') ELSE item.value END"
            " AS INTEGER)) FROM events, json_each(events.data, :path) AS item"), {"path": path}).scalar()
        highest = max(highest, found or 0)
    return highest


def _start_counters_above_the_log() -> None:
    bind = op.get_bind()
    for table in LOGGED_IDS:
        highest = _highest_logged_id(table)
        current = bind.execute(text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": table}).scalar()
        if current is None:
            bind.execute(text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :s)"), {"t": table, "s": highest})
        elif highest > current:
            bind.execute(text("UPDATE sqlite_sequence SET seq = :s WHERE name = :t"), {"t": table, "s": highest})


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild(autoincrement=True)
    _start_counters_above_the_log()


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    _rebuild(autoincrement=False)
