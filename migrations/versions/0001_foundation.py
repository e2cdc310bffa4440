"""foundation: boards, participants, device tokens, projects, event log

Revision ID: 0001_foundation
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = "0001_foundation"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "boards",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(12), nullable=False, unique=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("starts_at", sa.String(32)),
        sa.Column("facilitator_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("projector_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("last_seq", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "participants",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("rejoin_hash", sa.String(64)),
        sa.Column("joined_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("board_id", "rejoin_hash"),
    )
    op.create_table(
        "device_tokens",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("participant_id", sa.Integer, sa.ForeignKey("participants.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("author_id", sa.Integer, sa.ForeignKey("participants.id", ondelete="SET NULL")),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("pitch", sa.String(400), nullable=False),
        sa.Column("story", sa.Text, nullable=False),
        sa.Column("category", sa.String(120), nullable=False),
        sa.Column("goal_amount", sa.Integer),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("platform", sa.String(120), nullable=False),
        sa.Column("campaign_start", sa.String(10)),
        sa.Column("campaign_end", sa.String(10)),
        sa.Column("link", sa.String(600), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("op_id", sa.String(64)),
        sa.Column("actor", sa.String(40), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("board_id", "seq"),
        sa.UniqueConstraint("board_id", "op_id"),
    )
    op.create_index("ix_events_board_seq", "events", ["board_id", "seq"])


def downgrade() -> None:
    for table in ("events", "projects", "device_tokens", "participants", "boards"):
        op.drop_table(table)
