"""Helpers for testing bakuhub and code built on it, as ``linopy.testing`` is for linopy.

- ``networks``: tiny PyPSA networks with hand-computable optima (PyPSA imported on call).
- ``database``: a migrated throw-away database (SQLite file, or PostgreSQL by URL;
  optionally seeded with the demo record; or only an empty PostgreSQL database's URL),
  a rolled-back session, settings, users.
- ``servers``: a free port, the app served by uvicorn in a thread, waiting for a
  server's health check (uvicorn and httpx imported on call).
- ``clients``: the web application on a test's session; API clients signed in by
  token, browser clients signed in through the login form (httpx imported on call).
- ``payloads``: valid bodies for records, and corridor study summaries.
- ``records``: records created through the services.
- ``forms``: the CSRF token and the values a record form submits.
- ``constraints``: compare a constraint family with equations written by hand
  (``linopy.testing.assert_conequal`` after bringing both to one form; linopy imported on call).

Nothing here imports pytest: the fixtures stay in the test suite's ``conftest.py``
files, a few lines each over these functions. The names below are the public API
(pinned by ``tests/test_testing_api.py``).
"""

from __future__ import annotations

from bakuhub.testing.clients import (
    BASE_URL,
    anonymous_client,
    app_on_session,
    browser_client,
    make_world,
    token_client,
)
from bakuhub.testing.constraints import (
    assert_constraint_equal,
    canonical_constraint,
    expression_rows,
)
from bakuhub.testing.database import (
    TEST_PASSWORD,
    add_user,
    database_url,
    hash_test_password,
    migrated_sqlite,
    rolled_back_session,
    seed_demo_record,
    settings_for,
    throwaway_postgres,
    throwaway_postgres_url,
)
from bakuhub.testing.forms import csrf_of, form_values
from bakuhub.testing.networks import (
    PV_BATTERY_OBJECTIVE,
    REP_DAYS_OBJECTIVE,
    TWO_BUSES_OBJECTIVE,
    pv_battery,
    pv_store_network,
    rep_days,
    two_buses,
)
from bakuhub.testing.payloads import (
    API,
    agreement_body,
    count_indicator,
    full_budgets,
    full_profile,
    full_project_body,
    full_result,
    full_transactions,
    party_bodies,
    project_body,
    result_body,
    study_summary,
    write_study,
)
from bakuhub.testing.records import (
    make_agreement,
    make_full_project,
    make_parties,
    make_project,
    make_record,
)
from bakuhub.testing.servers import free_port, serve_in_thread, wait_until_healthy

__all__ = [
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
