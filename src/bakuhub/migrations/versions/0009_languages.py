"""languages: each user's chosen language; records' texts in more languages

Revision ID: 0009_languages
Revises: 0008_studies

``users.language`` ('' = follow the browser), ``record_texts``: one field of one
record (result or indicator title, description) in one more language, and
``decisions.texts``: a working group's decision in more languages (kept with the
decision, since a group's decisions are written as a list).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_languages"
down_revision = "0008_studies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the column and the table."""
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("language", sa.String(length=8), nullable=False, server_default="")
        )
    op.create_table(
        "record_texts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=30), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=30), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("target", "target_id", "field", "language"),
    )
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("texts", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
    op.create_index("ix_record_texts_target", "record_texts", ["target"])
    op.create_index("ix_record_texts_target_id", "record_texts", ["target_id"])


def downgrade() -> None:
    """Drop them."""
    op.drop_index("ix_record_texts_target_id", table_name="record_texts")
    op.drop_index("ix_record_texts_target", table_name="record_texts")
    op.drop_table("record_texts")
    with op.batch_alter_table("decisions", schema=None) as batch_op:
        batch_op.drop_column("texts")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("language")
