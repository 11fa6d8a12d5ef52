"""finance and review: versioned budgets and transactions; who reviewed a period when

Revision ID: 0007_finance_review
Revises: 0006_accounts_security

``budgets`` and ``transactions`` get ``version`` (1 for existing rows), ``updated_at``
and ``updated_by``, so they can be edited and deleted with the version check.
``indicator_periods`` get ``reviewed_by`` and ``reviewed_at``: who approved or
returned the period, and when (empty for periods reviewed before).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_finance_review"
down_revision = "0006_accounts_security"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the version columns and the reviewer."""
    for table in ("budgets", "transactions"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), nullable=False, server_default="1")
            )
            batch_op.add_column(sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column("updated_by", sa.String(length=120), nullable=True))
    with op.batch_alter_table("indicator_periods", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reviewed_by", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Drop them again."""
    with op.batch_alter_table("indicator_periods", schema=None) as batch_op:
        batch_op.drop_column("reviewed_at")
        batch_op.drop_column("reviewed_by")
    for table in ("transactions", "budgets"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("updated_by")
            batch_op.drop_column("updated_at")
            batch_op.drop_column("version")
