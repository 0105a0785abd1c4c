"""record keys: a random 0..255 per submission for ONS cell key perturbation (SDC-14)

Existing submissions get a fresh key each, drawn with `secrets` as new ones are.

Revision ID: 0011_record_keys
Revises: 0010_outbox
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0011_record_keys"
down_revision = "0010_outbox"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("record_key", sa.SmallInteger(), nullable=True))
    submissions = sa.table(
        "submissions", sa.column("id", sa.LargeBinary(16)), sa.column("record_key", sa.SmallInteger)
    )
    conn = op.get_bind()
    ids = [row[0] for row in conn.execute(sa.select(submissions.c.id))]
    for sid in ids:
        conn.execute(
            submissions.update()
            .where(submissions.c.id == sid)
            .values(record_key=secrets.randbelow(256))
        )
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.alter_column("record_key", existing_type=sa.SmallInteger(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_column("record_key")
