"""outbox: replies written with the step they answer, deleted once delivered (issue 13)

Revision ID: 0010_outbox
Revises: 0009_security
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_outbox"
down_revision = "0009_security"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("lane", sa.String(length=64), nullable=False),
        sa.Column("chat", sa.LargeBinary(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("born", sa.DateTime(timezone=True), nullable=False),
        sa.Column("owner", sa.String(length=16), nullable=True),
        sa.Column("lease", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_outbox")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_lane"), ["lane"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_lane"))
    op.drop_table("outbox")
