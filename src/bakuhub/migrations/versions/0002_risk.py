"""risk: index runs with their exact inputs and settings, and per-country scores

Revision ID: 0002_risk
Revises: 0001_registry
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_risk"
down_revision = "0001_registry"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create risk_runs and risk_scores."""
    op.create_table(
        "risk_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("preset", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("engine_version", sa.String(length=20), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("settings_digest", sa.String(length=64), nullable=False),
        sa.Column("inputs_digest", sa.String(length=64), nullable=False),
        sa.Column("countries", sa.Integer(), nullable=False),
        sa.Column("ranked", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_runs")),
    )
    op.create_index(op.f("ix_risk_runs_preset"), "risk_runs", ["preset"])
    op.create_index(op.f("ix_risk_runs_settings_digest"), "risk_runs", ["settings_digest"])
    op.create_index(op.f("ix_risk_runs_inputs_digest"), "risk_runs", ["inputs_digest"])
    op.create_table(
        "risk_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("iso3", sa.String(length=3), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("rank_median", sa.Integer(), nullable=True),
        sa.Column("rank_low", sa.Integer(), nullable=True),
        sa.Column("rank_high", sa.Integer(), nullable=True),
        sa.Column("risk_class", sa.String(length=40), nullable=True),
        sa.Column("completeness", sa.Float(), nullable=False),
        sa.Column("pillars", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["risk_runs.id"],
            name=op.f("fk_risk_scores_run_id_risk_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_scores")),
        sa.UniqueConstraint("run_id", "iso3", name=op.f("uq_risk_scores_run_id")),
    )
    op.create_index(op.f("ix_risk_scores_run_id"), "risk_scores", ["run_id"])
    op.create_index(op.f("ix_risk_scores_iso3"), "risk_scores", ["iso3"])


def downgrade() -> None:
    """Drop the risk tables."""
    op.drop_index(op.f("ix_risk_scores_iso3"), table_name="risk_scores")
    op.drop_index(op.f("ix_risk_scores_run_id"), table_name="risk_scores")
    op.drop_table("risk_scores")
    op.drop_index(op.f("ix_risk_runs_inputs_digest"), table_name="risk_runs")
    op.drop_index(op.f("ix_risk_runs_settings_digest"), table_name="risk_runs")
    op.drop_index(op.f("ix_risk_runs_preset"), table_name="risk_runs")
    op.drop_table("risk_runs")
