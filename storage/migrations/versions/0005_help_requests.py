"""help requests sealed, with kind, language, team and notification state; comments that
must never be quoted; one alert mark for the safeguarding rota (SG-07, SG-08, CC-25)

Existing contacts are sealed under DATA_KEY (handed over by `storage.migrate.upgrade`)
and their times cut to the hour, so no plain contact or exact time survives the upgrade.

Revision ID: 0005_help_requests
Revises: 0004_receipts
"""

import datetime as dt

import sqlalchemy as sa
from alembic import context, op

from storage.sealing import Sealer

revision = "0005_help_requests"
down_revision = "0004_receipts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("quotable", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    with op.batch_alter_table("help_requests", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=8), server_default="person", nullable=False)
        )
        batch_op.add_column(
            sa.Column("lang", sa.String(length=8), server_default="en", nullable=False)
        )
        batch_op.add_column(sa.Column("team_id", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("sealed_contact", sa.LargeBinary(), nullable=True))
        batch_op.add_column(
            sa.Column("notified", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("sealed_outcome", sa.LargeBinary(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_help_requests_team_id_teams"), "teams", ["team_id"], ["id"]
        )
    _seal_existing()
    with op.batch_alter_table("help_requests", schema=None) as batch_op:
        batch_op.alter_column("sealed_contact", existing_type=sa.LargeBinary(), nullable=False)
        batch_op.drop_column("contact")
    op.create_table(
        "alert_marks",
        sa.Column("name", sa.String(length=16), nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_alert_marks")),
    )


def _seal_existing() -> None:
    bind = op.get_bind()
    table = sa.table(
        "help_requests",
        sa.column("id", sa.String),
        sa.column("contact", sa.Text),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("sealed_contact", sa.LargeBinary),
    )
    rows = bind.execute(sa.select(table.c.id, table.c.contact, table.c.created_at)).all()
    if not rows:
        return
    key = context.config.attributes.get("data_key")
    if key is None:
        raise RuntimeError(
            "sealing existing help requests needs DATA_KEY: run `youthvoice db upgrade`"
        )
    sealer = Sealer(key)
    for row in rows:
        created = row.created_at
        if isinstance(created, dt.datetime):
            created = created.replace(minute=0, second=0, microsecond=0)
        bind.execute(
            table.update()
            .where(table.c.id == row.id)
            .values(sealed_contact=sealer.seal(row.contact), created_at=created)
        )


def downgrade() -> None:
    # Contacts stay sealed: a downgrade never writes them back in the clear.
    op.drop_table("alert_marks")
    with op.batch_alter_table("help_requests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("contact", sa.Text(), server_default="", nullable=False))
        batch_op.drop_constraint(batch_op.f("fk_help_requests_team_id_teams"), type_="foreignkey")
        batch_op.drop_column("sealed_outcome")
        batch_op.drop_column("notified")
        batch_op.drop_column("sealed_contact")
        batch_op.drop_column("team_id")
        batch_op.drop_column("lang")
        batch_op.drop_column("kind")
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_column("quotable")
