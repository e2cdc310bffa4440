"""run of show: agenda phases, show state, hidden items, removed participants

Revision ID: 0004_run_of_show
Revises: 0001_foundation
"""
from alembic import op
import sqlalchemy as sa

revision = "0004_run_of_show"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "show_phases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("duration_s", sa.Integer, nullable=False),
        sa.Column("gates", sa.JSON, nullable=False),
        sa.Column("started_at", sa.DateTime),
        sa.Column("ended_at", sa.DateTime),
    )
    op.create_table(
        "show_states",
        sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("current_phase_id", sa.Integer),
        sa.Column("timer_ends_at", sa.DateTime),
        sa.Column("timer_remaining_ms", sa.Integer),
        sa.Column("timer_duration_ms", sa.Integer, nullable=False),
        sa.Column("locked", sa.Boolean, nullable=False),
        sa.Column("gate_overrides", sa.JSON, nullable=False),
        sa.Column("spotlight_project_id", sa.Integer),
        sa.Column("spotlight_view", sa.String(10)),
    )
    op.create_table(
        "show_hidden_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("item_id", sa.Integer, nullable=False),
        sa.Column("hidden_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("board_id", "kind", "item_id"),
    )
    op.create_table(
        "show_removed_participants",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("participant_id", sa.Integer, sa.ForeignKey("participants.id", ondelete="CASCADE"), nullable=False),
        sa.Column("removed_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("board_id", "participant_id"),
    )


def downgrade() -> None:
    for table in ("show_removed_participants", "show_hidden_items", "show_states", "show_phases"):
        op.drop_table(table)
