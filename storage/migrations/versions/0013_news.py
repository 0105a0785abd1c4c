"""news: "You said, we did" responses, published after a second person approves (issue 15)

Revision ID: 0013_news
Revises: 0011_record_keys
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_news"
down_revision = "0012_teams"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "news",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("topic", sa.String(length=48), nullable=True),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("shown", sa.Text(), nullable=True),
        sa.Column("written_by", sa.String(length=24), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by", sa.String(length=24), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "approved_by IS NULL OR approved_by <> written_by", name=op.f("ck_news_four_eyes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_news")),
    )
    with op.batch_alter_table("news", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_news_published_at"), ["published_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("news", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_news_published_at"))
    op.drop_table("news")
