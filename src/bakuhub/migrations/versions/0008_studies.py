"""studies: saved corridor scenarios, every study in one store, comments

Revision ID: 0008_studies
Revises: 0007_finance_review

``corridor_scenarios`` (saved scenarios: author, version, parent, draft or published),
``corridor_studies`` (one row per study whatever started it: inputs and hash, origin,
files relative to the data directory, key figures) and ``comments`` (on a scenario or
a study).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_studies"
down_revision = "0007_finance_review"
branch_labels = None
depends_on = None

ORIGINS = "origin IN ('page', 'api', 'cli', 'startup', 'sweep')"
STATES = "state IN ('queued', 'ready', 'failed')"
TARGETS = "target_type IN ('scenario', 'study')"


def _stamp(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Create the three tables."""
    op.create_table(
        "corridor_scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("parent", sa.String(length=120), nullable=True),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("spec", sa.JSON(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        _stamp("created_at"),
        _stamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corridor_scenarios")),
        sa.UniqueConstraint("ref", name=op.f("uq_corridor_scenarios_ref")),
    )
    op.create_index(op.f("ix_corridor_scenarios_author"), "corridor_scenarios", ["author"])
    op.create_table(
        "corridor_studies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("scenario_name", sa.String(length=100), nullable=False),
        sa.Column("scenario_ref", sa.String(length=80), nullable=True),
        sa.Column("shipped", sa.String(length=80), nullable=True),
        sa.Column("scenario_json", sa.JSON(), nullable=False),
        sa.Column("scenario_hash", sa.String(length=64), nullable=False),
        sa.Column("resolution", sa.String(length=32), nullable=False),
        sa.Column("weather", sa.String(length=16), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=False),
        sa.Column("origin", sa.String(length=12), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("folder", sa.String(length=300), nullable=True),
        sa.Column("counterfactual", sa.String(length=100), nullable=True),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        _stamp("created_at"),
        sa.CheckConstraint(ORIGINS, name=op.f("ck_corridor_studies_origin")),
        sa.CheckConstraint(STATES, name=op.f("ck_corridor_studies_state")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_corridor_studies")),
        sa.UniqueConstraint("name", name=op.f("uq_corridor_studies_name")),
        sa.UniqueConstraint("folder", name=op.f("uq_corridor_studies_folder")),
    )
    for column in ("scenario_ref", "resolution", "author", "origin", "job_id"):
        op.create_index(op.f(f"ix_corridor_studies_{column}"), "corridor_studies", [column])
    op.create_table(
        "comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_type", sa.String(length=10), nullable=False),
        sa.Column("target", sa.String(length=120), nullable=False),
        sa.Column("author", sa.String(length=120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        _stamp("created_at"),
        sa.CheckConstraint(TARGETS, name=op.f("ck_comments_target_type")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comments")),
    )
    op.create_index("ix_comments_target", "comments", ["target_type", "target"])


def downgrade() -> None:
    """Drop the three tables."""
    op.drop_index("ix_comments_target", table_name="comments")
    op.drop_table("comments")
    for column in ("scenario_ref", "resolution", "author", "origin", "job_id"):
        op.drop_index(op.f(f"ix_corridor_studies_{column}"), table_name="corridor_studies")
    op.drop_table("corridor_studies")
    op.drop_index(op.f("ix_corridor_scenarios_author"), table_name="corridor_scenarios")
    op.drop_table("corridor_scenarios")
