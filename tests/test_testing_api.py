"""``bakuhub.testing`` is a small public API: its names are pinned (as httpx pins its
``__all__``), documented, light to import, and its database helpers do what they say."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

import bakuhub.testing
from bakuhub import testing
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
    "settings_for",
    "study_summary",
    "throwaway_postgres",
    "token_client",
    "two_buses",
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
    """Test helpers importable anywhere: pytest, PyPSA, linopy and httpx load on use."""
    code = (
        "import sys, bakuhub.testing; "
        "print(sorted({'pytest', 'pypsa', 'linopy', 'httpx'} & set(sys.modules)))"
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
    url = os.environ.get("BAKUHUB_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("BAKUHUB_REQUIRE_POSTGRES") == "1":
            pytest.fail("BAKUHUB_REQUIRE_POSTGRES=1 but BAKUHUB_TEST_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL tests need BAKUHUB_TEST_POSTGRES_URL")
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
