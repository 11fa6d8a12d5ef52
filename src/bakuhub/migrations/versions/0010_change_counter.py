"""change counter: one number stepped by every writing transaction

Revision ID: 0010_change_counter
Revises: 0009_languages

``change_counter``: one row (id 1); ``bakuhub.changes`` adds one to ``n`` in every
transaction that writes, and the API keeps answers only while it has not moved.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_change_counter"
down_revision = "0009_languages"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the table and its one row."""
    op.create_table(
        "change_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO change_counter (id, n) VALUES (1, 0)")


def downgrade() -> None:
    """Drop the table."""
    op.drop_table("change_counter")
