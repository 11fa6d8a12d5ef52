"""Migration 0004 creates exactly the job tables the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from bakuhub.db import Base
from bakuhub.models import import_all_models

TABLES = {"jobs", "job_results"}


def test_migration_matches_the_models(engine: Engine) -> None:
    import_all_models()
    assert set(inspect(engine).get_table_names()) >= TABLES
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    ours = [d for d in diff if any(f"'{t}'" in str(d) or f"table={t}" in str(d) for t in TABLES)]
    assert ours == []


def test_importing_the_jobs_package_starts_nothing() -> None:
    import subprocess
    import sys

    code = (
        "import sys, bakuhub.jobs, bakuhub.web.routes.jobs, bakuhub.cli.jobs, "
        "bakuhub.cli.corridor_sweep; print('distributed' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
