"""first ack: the event log keeps what each op_id stood for and the sender's part of its first ack

Revision ID: 0007_first_ack
Revises: 0006_never_reused_ids

A resent command gets its first ack back unchanged (not one recomputed later), and an op_id reused
for a different command is refused with `op_id_conflict`. Rows logged before this revision have
neither (NULL): their resends are answered as before.
"""
from alembic import op
import sqlalchemy as sa

revision = "0007_first_ack"
down_revision = "0006_never_reused_ids"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("command_digest", sa.String(64), nullable=True))
        batch.add_column(sa.Column("ack_result", sa.JSON, nullable=True))


def downgrade() -> None:
    # Dropping a column rebuilds the SQLite table: keep its AUTOINCREMENT (0006), which reflection loses.
    with op.batch_alter_table("events", table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column("ack_result")
        batch.drop_column("command_digest")
