"""short codes: eight typeable characters per invite beside the long random code, and
the organisation's poster logo (issue 15)

Existing invites get a fresh short code each, drawn as new ones are. The logo table holds
only the PNG re-encoded from an upload.

Revision ID: 0014_short_codes
Revises: 0011_record_keys
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0014_short_codes"
down_revision = "0013_news"
branch_labels = None
depends_on = None

# Crockford base32 (no I, L, O or U), as in storage.catalog; copied so this revision
# keeps working whatever later code does.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def upgrade() -> None:
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.add_column(sa.Column("short_code", sa.String(length=8), nullable=True))
    invites = sa.table("invites", sa.column("id", sa.String), sa.column("short_code", sa.String))
    conn = op.get_bind()
    used: set[str] = set()
    for (invite_id,) in conn.execute(sa.select(invites.c.id)).all():
        code = ""
        while not code or code in used:
            code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        used.add(code)
        conn.execute(invites.update().where(invites.c.id == invite_id).values(short_code=code))
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.alter_column("short_code", existing_type=sa.String(length=8), nullable=False)
        batch_op.create_index("ix_invites_short_code", ["short_code"], unique=True)
    op.create_table(
        "org_logo",
        sa.Column("key", sa.String(length=16), nullable=False),
        sa.Column("png", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=24), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_org_logo")),
    )


def downgrade() -> None:
    op.drop_table("org_logo")
    with op.batch_alter_table("invites", schema=None) as batch_op:
        batch_op.drop_index("ix_invites_short_code")
        batch_op.drop_column("short_code")
