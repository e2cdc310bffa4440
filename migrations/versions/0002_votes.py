"""votes: vote rounds, dots per voter and story, attendees without a device

Revision ID: 0002_votes
Revises: 0001_foundation
"""
from alembic import op
import sqlalchemy as sa

revision = "0002_votes"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vote_rounds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("budget", sa.Integer, nullable=False),
        sa.Column("cap", sa.Integer, nullable=False),
        sa.Column("candidate_ids", sa.JSON),
        sa.Column("result", sa.JSON),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("opened_at", sa.DateTime),
        sa.Column("closed_at", sa.DateTime),
        sa.Column("revealed_at", sa.DateTime),
        sa.UniqueConstraint("board_id", "number"),
    )
    op.create_table(
        "vote_dots",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("round_id", sa.Integer, sa.ForeignKey("vote_rounds.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("voter_id", sa.Integer, sa.ForeignKey("participants.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("count", sa.Integer, nullable=False),
        sa.UniqueConstraint("round_id", "voter_id", "project_id"),
        # The database itself refuses a negative or empty row (a retract deletes the row at 0).
        sa.CheckConstraint("count > 0", name="ck_vote_dots_count_positive"),
    )
    op.create_table(
        "vote_attendees",
        sa.Column("participant_id", sa.Integer, sa.ForeignKey("participants.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    for table in ("vote_attendees", "vote_dots", "vote_rounds"):
        op.drop_table(table)
