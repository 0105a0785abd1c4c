"""console security: sealed TOTP secrets, recovery codes, second-factor lock notice, demo
accounts marked as such (SEC-03, SEC-05, SEC-21)

Revision ID: 0009_security
Revises: 0006_pacing
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_security"
down_revision = "0006_pacing"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Sealed secrets are Fernet tokens (about 140 characters); plain ones are sealed in place
    # at start-up and on first use (admin.console.mfa), as the key is not the migration's.
    with op.batch_alter_table("console_users", schema=None) as batch_op:
        batch_op.alter_column(
            "totp_secret", existing_type=sa.String(length=64), type_=sa.String(length=255)
        )
        batch_op.add_column(
            sa.Column("mfa_lock_notice", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("demo", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("console_sessions", schema=None) as batch_op:
        batch_op.alter_column(
            "pending_totp", existing_type=sa.String(length=64), type_=sa.String(length=255)
        )
    op.create_table(
        "recovery_codes",
        sa.Column("user_id", sa.String(length=24), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["console_users.id"],
            name=op.f("fk_recovery_codes_user_id_console_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "code_hash", name=op.f("pk_recovery_codes")),
    )


def downgrade() -> None:
    op.drop_table("recovery_codes")
    with op.batch_alter_table("console_sessions", schema=None) as batch_op:
        batch_op.alter_column(
            "pending_totp", existing_type=sa.String(length=255), type_=sa.String(length=64)
        )
    with op.batch_alter_table("console_users", schema=None) as batch_op:
        batch_op.drop_column("demo")
        batch_op.drop_column("mfa_lock_notice")
        batch_op.alter_column(
            "totp_secret", existing_type=sa.String(length=255), type_=sa.String(length=64)
        )
