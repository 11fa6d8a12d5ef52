"""Migration 0003 creates exactly the tables the models describe (SQLite and PostgreSQL)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from bakuhub.db import Base
from bakuhub.models import import_all_models

TABLES = {
    "iati_profiles",
    "results",
    "indicators",
    "indicator_periods",
    "indicator_disaggregations",
    "budgets",
    "transactions",
    "exchange_rates",
}


def test_migration_matches_the_models(engine: Engine) -> None:
    import_all_models()
    assert set(inspect(engine).get_table_names()) >= TABLES
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    ours = [d for d in diff if any(t in str(d) for t in TABLES)]
    assert ours == []
