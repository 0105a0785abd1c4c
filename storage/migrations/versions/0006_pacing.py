"""pacing: counts per invite and organisation per hour and day, volume alerts, held flag

Revision ID: 0006_pacing
Revises: 0005_help_requests
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_pacing"
down_revision = "0005_help_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pace_counts",
        sa.Column("scope", sa.String(length=24), nullable=False),
        sa.Column("bucket", sa.String(length=13), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "bucket", name=op.f("pk_pace_counts")),
    )
    op.create_table(
        "volume_alerts",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("invite_id", sa.String(length=24), nullable=True),
        sa.Column("raised_hour", sa.String(length=13), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("resolved_by", sa.String(length=24), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["invite_id"], ["invites.id"], name=op.f("fk_volume_alerts_invite_id_invites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_volume_alerts")),
    )
    op.create_index(op.f("ix_volume_alerts_invite_id"), "volume_alerts", ["invite_id"])
    # A plain ADD COLUMN: rebuilding `submissions` (batch mode) could lose WITHOUT ROWID.
    op.add_column("submissions", sa.Column("hold_id", sa.String(length=24), nullable=True))
    # Partial, so report queries filtering `hold_id IS NULL` never walk it.
    op.create_index(
        "ix_submissions_hold_id",
        "submissions",
        ["hold_id"],
        sqlite_where=sa.text("hold_id IS NOT NULL"),
        postgresql_where=sa.text("hold_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_submissions_hold_id", table_name="submissions")
    op.execute("ALTER TABLE submissions DROP COLUMN hold_id")  # SQLite 3.35+ and PostgreSQL
    op.drop_index(op.f("ix_volume_alerts_invite_id"), table_name="volume_alerts")
    op.drop_table("volume_alerts")
    op.drop_table("pace_counts")
