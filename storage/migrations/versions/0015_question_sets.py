"""question sets: versions written in the console, published after a second person approves (issue 15)

Revision ID: 0015_question_sets
Revises: 0014_short_codes
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_question_sets"
down_revision = "0014_short_codes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "question_sets",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("flow_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("written_by", sa.String(length=24), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by", sa.String(length=24), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "approved_by IS NULL OR approved_by <> written_by",
            name=op.f("ck_question_sets_four_eyes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_sets")),
        sa.UniqueConstraint("flow_id", "version", name=op.f("uq_question_sets_flow_id")),
    )
    with op.batch_alter_table("question_sets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_question_sets_published_at"), ["published_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("question_sets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_question_sets_published_at"))
    op.drop_table("question_sets")
