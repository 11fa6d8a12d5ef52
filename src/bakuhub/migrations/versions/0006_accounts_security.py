"""accounts security: session epoch of users; name and address of sign-in attempts

Revision ID: 0006_accounts_security
Revises: 0005_web

``users.session_epoch`` (0 for existing users) ends every session of a user when it
changes (sign-out, password change, disabling). ``login_failures`` gets ``username``
and ``address`` so the sign-in limits count per name and address and per address
across names; rows written before hold their old ``key`` only and age out of the
window.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_accounts_security"
down_revision = "0005_web"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the session epoch and the attempt's name and address."""
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("username", sa.String(length=80), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("address", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.create_index(batch_op.f("ix_login_failures_username"), ["username"])
        batch_op.create_index(batch_op.f("ix_login_failures_address"), ["address"])


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_failures_address"))
        batch_op.drop_index(batch_op.f("ix_login_failures_username"))
        batch_op.drop_column("address")
        batch_op.drop_column("username")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_epoch")
