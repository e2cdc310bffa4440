"""one history: joins the three branches (votes, tribe maps, run of show) into a single head

Revision ID: 0005_one_history
Revises: 0002_votes, 0003_tribe_maps, 0004_run_of_show
"""

revision = "0005_one_history"
down_revision = ("0002_votes", "0003_tribe_maps", "0004_run_of_show")
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Nothing to change: this revision only makes the history linear from here on."""


def downgrade() -> None:
    """Nothing to undo."""
