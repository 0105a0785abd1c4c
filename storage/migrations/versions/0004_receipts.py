"""deletion receipts: SHA-256 of a code the young person chose at Send (AN-19)

Revision ID: 0004_receipts
Revises: 0003_drafts_unversioned
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_receipts"
down_revision = "0003_drafts_unversioned"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deletion_receipts",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("submission_id", sa.LargeBinary(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_deletion_receipts_submission_id_submissions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_deletion_receipts")),
    )
    with op.batch_alter_table("deletion_receipts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deletion_receipts_submission_id"), ["submission_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("deletion_receipts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deletion_receipts_submission_id"))
    op.drop_table("deletion_receipts")
