"""teams: an archived time, so a team that has closed keeps its history but takes no new
invites (issue 14)

Revision ID: 0012_teams
Revises: 0011_record_keys
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_teams"
down_revision = "0011_record_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.add_column(sa.Column("archived_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("teams", schema=None) as batch_op:
        batch_op.drop_column("archived_at")
