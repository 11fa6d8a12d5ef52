"""results: results frameworks, finance, exchange rates and IATI profiles

Revision ID: 0003_results
Revises: 0002_risk
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003_results"
down_revision = "0002_risk"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(20, 4)


def _stamp(by: bool = True) -> list[sa.Column[Any]]:
    cols: list[sa.Column[Any]] = [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)
    ]
    if by:
        cols.append(sa.Column("created_by", sa.String(length=120), nullable=False))
    return cols


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _index(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def upgrade() -> None:
    """Create the tables of results, finance and IATI exchange."""
    op.create_table(
        "iati_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("identifier", sa.String(length=200), nullable=True),
        sa.Column("reporting_org_ref", sa.String(length=200), nullable=True),
        sa.Column("reporting_org_type", sa.String(length=4), nullable=True),
        sa.Column("reporting_org_name", sa.String(length=300), nullable=True),
        sa.Column("default_currency", sa.String(length=3), nullable=True),
        sa.Column("default_lang", sa.String(length=8), nullable=False),
        sa.Column("humanitarian", sa.Boolean(), nullable=True),
        sa.Column("titles", sa.JSON(), nullable=False),
        sa.Column("descriptions", sa.JSON(), nullable=False),
        sa.Column("sectors", sa.JSON(), nullable=False),
        sa.Column("policy_markers", sa.JSON(), nullable=False),
        sa.Column("humanitarian_scopes", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        _fk("iati_profiles", "project_id", "projects", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_iati_profiles")),
        sa.UniqueConstraint("project_id", name=op.f("uq_iati_profiles_project_id")),
        sa.UniqueConstraint("identifier", name=op.f("uq_iati_profiles_identifier")),
    )
    op.create_table(
        "results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        *_stamp(),
        _fk("results", "project_id", "projects", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_results")),
    )
    _index("results", "project_id")
    op.create_table(
        "indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("result_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("measure", sa.String(length=12), nullable=False),
        sa.Column("unit", sa.String(length=60), nullable=False),
        sa.Column("ascending", sa.Boolean(), nullable=False),
        sa.Column("baseline_year", sa.Integer(), nullable=True),
        sa.Column("baseline_value", sa.Float(), nullable=True),
        sa.Column("baseline_comment", sa.Text(), nullable=False),
        sa.Column("include_in_rollup", sa.Boolean(), nullable=False),
        _fk("indicators", "result_id", "results", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicators")),
    )
    _index("indicators", "result_id", "code")
    op.create_table(
        "indicator_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("target", sa.Float(), nullable=True),
        sa.Column("actual", sa.Float(), nullable=True),
        sa.Column("target_comment", sa.Text(), nullable=False),
        sa.Column("actual_comment", sa.Text(), nullable=False),
        sa.Column("evidence_url", sa.String(length=1000), nullable=True),
        sa.Column("weight", sa.Float(), nullable=True),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("state_comment", sa.Text(), nullable=False),
        sa.Column("value_source", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        _fk("indicator_periods", "indicator_id", "indicators", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_periods")),
    )
    _index("indicator_periods", "indicator_id", "state")
    op.create_table(
        "indicator_disaggregations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=6), nullable=False),
        sa.Column("dimension", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        _fk("indicator_disaggregations", "period_id", "indicator_periods", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_disaggregations")),
        sa.UniqueConstraint(
            "period_id",
            "side",
            "dimension",
            "category",
            name=op.f("uq_indicator_disaggregations_period_id"),
        ),
    )
    _index("indicator_disaggregations", "period_id")
    op.create_table(
        "budgets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("value", MONEY, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("value_date", sa.Date(), nullable=False),
        *_stamp(),
        _fk("budgets", "project_id", "projects", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budgets")),
    )
    _index("budgets", "project_id")
    _create_transactions()
    op.create_table(
        "exchange_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("quote", sa.String(length=3), nullable=False),
        sa.Column("rate", sa.Numeric(24, 10), nullable=False),
        sa.Column("valid_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        *_stamp(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_rates")),
        sa.UniqueConstraint(
            "currency", "quote", "valid_on", name=op.f("uq_exchange_rates_currency")
        ),
    )
    _index("exchange_rates", "currency", "quote")


def _create_transactions() -> None:
    party_cols: list[sa.Column[Any]] = []
    for side in ("provider", "receiver"):
        party_cols += [
            sa.Column(f"{side}_party_id", sa.Integer(), nullable=True),
            sa.Column(f"{side}_ref", sa.String(length=200), nullable=True),
            sa.Column(f"{side}_name", sa.String(length=300), nullable=False),
            sa.Column(f"{side}_type", sa.String(length=4), nullable=True),
            sa.Column(f"{side}_activity", sa.String(length=200), nullable=True),
        ]
    op.create_table(
        "transactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=200), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("value", MONEY, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("value_date", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        *party_cols,
        *_stamp(),
        _fk("transactions", "project_id", "projects", "CASCADE"),
        _fk("transactions", "provider_party_id", "parties", "RESTRICT"),
        _fk("transactions", "receiver_party_id", "parties", "RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transactions")),
    )
    _index("transactions", "project_id", "kind", "date", "provider_party_id", "receiver_party_id")


def downgrade() -> None:
    """Drop the tables of results, finance and IATI exchange."""
    for table in (
        "exchange_rates",
        "transactions",
        "budgets",
        "indicator_disaggregations",
        "indicator_periods",
        "indicators",
        "results",
        "iati_profiles",
    ):
        op.drop_table(table)
