"""tribe maps: maps, nodes, links, share-plan items, e-mail drafts

Revision ID: 0003_tribe_maps
Revises: 0001_foundation
"""
from alembic import op
import sqlalchemy as sa

revision = "0003_tribe_maps"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tribe_maps",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("board_id", sa.Integer, sa.ForeignKey("boards.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("project_id", sa.Integer, sa.ForeignKey("projects.id", ondelete="CASCADE"), nullable=False, unique=True),
        sa.Column("average_pledge", sa.Integer, nullable=False),
        sa.Column("conversion_pct", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "map_nodes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("map_id", sa.Integer, sa.ForeignKey("tribe_maps.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("label", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("ring", sa.String(10), nullable=False),
        sa.Column("reach", sa.Integer, nullable=False),
        sa.Column("x", sa.Float, nullable=False),
        sa.Column("y", sa.Float, nullable=False),
        sa.Column("added_by", sa.Integer),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "map_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("map_id", sa.Integer, sa.ForeignKey("tribe_maps.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("from_node_id", sa.Integer, sa.ForeignKey("map_nodes.id", ondelete="CASCADE"), nullable=False),
        sa.Column("to_node_id", sa.Integer, sa.ForeignKey("map_nodes.id", ondelete="CASCADE"), nullable=False),
        sa.Column("added_by", sa.Integer),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("map_id", "from_node_id", "to_node_id"),
    )
    op.create_table(
        "map_plan_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("map_id", sa.Integer, sa.ForeignKey("tribe_maps.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("node_id", sa.Integer, sa.ForeignKey("map_nodes.id", ondelete="SET NULL")),
        sa.Column("ring", sa.String(10)),
        sa.Column("what", sa.String(400), nullable=False),
        sa.Column("phase", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(160), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("added_by", sa.Integer),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "map_email_drafts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("map_id", sa.Integer, sa.ForeignKey("tribe_maps.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("ring", sa.String(10), nullable=False),
        sa.Column("subject", sa.String(300), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("updated_by", sa.Integer),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("map_id", "ring"),
    )


def downgrade() -> None:
    for table in ("map_email_drafts", "map_plan_items", "map_links", "map_nodes", "tribe_maps"):
        op.drop_table(table)
