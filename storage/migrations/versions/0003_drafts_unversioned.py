"""drafts: drop the version column (the write lock orders updates)

Revision ID: 0003_drafts_unversioned
Revises: 0002_console
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_drafts_unversioned"
down_revision = "0002_console"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_column("version")


def downgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("version", sa.INTEGER(), nullable=False, server_default="1")
        )
