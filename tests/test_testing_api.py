"""``bakuhub.testing`` is a small public API: its names are pinned (as httpx pins its
``__all__``), documented, light to import, and its database helpers do what they say."""

from __future__ import annotations

import inspect
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, make_url, select

import bakuhub.testing
from bakuhub import testing
from bakuhub.db import make_engine
from bakuhub.registry.models import Project

PUBLIC_API = [
    "API",
    "BASE_URL",
    "PV_BATTERY_OBJECTIVE",
    "REP_DAYS_OBJECTIVE",
    "TEST_PASSWORD",
    "TWO_BUSES_OBJECTIVE",
    "add_user",
    "agreement_body",
    "anonymous_client",
    "app_on_session",
    "assert_constraint_equal",
    "browser_client",
    "canonical_constraint",
    "count_indicator",
    "csrf_of",
    "database_url",
    "expression_rows",
    "form_values",
    "free_port",
    "full_budgets",
    "full_profile",
    "full_project_body",
    "full_result",
    "full_transactions",
    "hash_test_password",
    "make_agreement",
    "make_full_project",
    "make_parties",
    "make_project",
    "make_record",
    "make_world",
    "migrated_sqlite",
    "party_bodies",
    "project_body",
    "pv_battery",
    "pv_store_network",
    "rep_days",
    "result_body",
    "rolled_back_session",
    "seed_demo_record",
    "serve_in_thread",
    "settings_for",
    "study_summary",
    "throwaway_postgres",
    "throwaway_postgres_url",
    "token_client",
    "two_buses",
    "wait_until_healthy",
    "write_study",
]


def test_the_public_api_is_pinned() -> None:
    """Adding or removing a name is a decision: update this list with it."""
    assert bakuhub.testing.__all__ == PUBLIC_API
    for name in PUBLIC_API:
        assert hasattr(bakuhub.testing, name), name


def test_every_public_function_is_documented() -> None:
    undocumented = [
        name
        for name in PUBLIC_API
        if callable(getattr(testing, name)) and not inspect.getdoc(getattr(testing, name))
    ]
    assert not undocumented


def test_importing_it_loads_neither_pytest_nor_the_heavy_libraries() -> None:
    """Test helpers importable anywhere: pytest, PyPSA, linopy, httpx and uvicorn load on use."""
    code = (
        "import sys, bakuhub.testing; "
        "print(sorted({'pytest', 'pypsa', 'linopy', 'httpx', 'uvicorn'} & set(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


def test_payloads_are_fresh_objects() -> None:
    """A test may change a body it got without changing the next one."""
    first = testing.full_result()
    first["indicators"][0]["periods"].clear()
    assert testing.full_result()["indicators"][0]["periods"]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def seeded(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A throw-away database with the demo record, on SQLite or PostgreSQL."""
    if request.param == "sqlite":
        engine = testing.migrated_sqlite(tmp_path / "seeded.sqlite3", demo=True)
        yield engine
        engine.dispose()
        return
    url = request.getfixturevalue("postgres_server_url")
    with testing.throwaway_postgres(url, demo=True) as engine:
        yield engine


def test_a_seeded_database_holds_the_demo_record_and_a_session_rolls_back(
    seeded: Engine,
) -> None:
    count = select(func.count()).select_from(Project)
    with testing.rolled_back_session(seeded) as session:
        projects = session.scalar(count)
        assert projects and projects > 0
        assert testing.seed_demo_record(session).created == 0  # already there
        testing.make_project(session, "NOT-IN-THE-DEMO")
        session.commit()
        assert session.scalar(count) == projects + 1
    with testing.rolled_back_session(seeded) as session:
        assert session.scalar(count) == projects  # the commit stayed inside the test


def test_an_app_served_in_a_thread_answers_its_health_check_and_stops() -> None:
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/api/v1/health")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    with testing.serve_in_thread(app) as base:
        assert base.startswith("http://127.0.0.1:")
        testing.wait_until_healthy(base, timeout=30)
    with pytest.raises(AssertionError, match="did not start within"):
        testing.wait_until_healthy(base, timeout=0.3)  # stopped: nobody answers


@pytest.mark.postgres
def test_a_throwaway_postgres_database_is_dropped_on_exit(postgres_server_url: str) -> None:
    with testing.throwaway_postgres_url(postgres_server_url) as url:
        name = make_url(url).database
        engine = make_engine(url)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("select current_database()").scalar() == name
        engine.dispose()
    admin = make_engine(postgres_server_url)
    try:
        with admin.connect() as conn:
            found = conn.exec_driver_sql(
                "select count(*) from pg_database where datname = %(name)s", {"name": name}
            ).scalar()
        assert found == 0
    finally:
        admin.dispose()
