"""Shared fixtures: settings, a migrated database (SQLite and PostgreSQL), a
session rolled back after each test, and API clients on that session: ``client``
(an administrator's token), ``anon_client`` (nobody signed in) and ``client_as(role,
party=...)`` for any role. Each is a few lines over ``bakuhub.testing``.

Every test that uses ``engine``, ``session`` or ``client`` runs twice: on
SQLite, and on PostgreSQL when ``BAKUHUB_TEST_POSTGRES_URL`` names a server
(a throw-away database is created there). With ``BAKUHUB_REQUIRE_POSTGRES=1``
(set by CI) a missing server fails the run instead of skipping.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bakuhub import testing
from bakuhub.accounts.models import User
from bakuhub.config import Settings

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The upstream data folder beside the checkout (../shared/data)."""
    path = Path(os.environ.get("BAKUHUB_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))
    if not path.is_dir():
        message = f"upstream data not found at {path} (set BAKUHUB_SHARED_DATA)"
        if os.environ.get("BAKUHUB_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


def _postgres_server_url() -> str:
    """BAKUHUB_TEST_POSTGRES_URL; skips without it (fails under BAKUHUB_REQUIRE_POSTGRES=1)."""
    url = os.environ.get("BAKUHUB_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("BAKUHUB_REQUIRE_POSTGRES") == "1":
            pytest.fail("BAKUHUB_REQUIRE_POSTGRES=1 but BAKUHUB_TEST_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL tests need BAKUHUB_TEST_POSTGRES_URL")
    return url


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """The PostgreSQL server to make throw-away databases on (the test skips without one).

    Request it only where PostgreSQL is wanted, e.g. ``request.getfixturevalue`` in a
    fixture parametrized over "sqlite" and "postgres".
    """
    return _postgres_server_url()


EmptyDatabase = Callable[[str, Path], AbstractContextManager[str]]


@pytest.fixture(scope="session")
def empty_database() -> EmptyDatabase:
    """Make an empty database: ``with empty_database(kind, folder) as url``.

    ``kind`` "sqlite" is a file in ``folder``; "postgres" a throw-away database on the
    server of BAKUHUB_TEST_POSTGRES_URL, dropped on exit (the test skips without one).
    """

    @contextmanager
    def make(kind: str, folder: Path) -> Iterator[str]:
        if kind == "sqlite":
            yield f"sqlite:///{folder / 'test.sqlite3'}"
            return
        with testing.throwaway_postgres_url(_postgres_server_url()) as url:
            yield url

    return make


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A migrated database engine: SQLite file, or a throw-away PostgreSQL database."""
    if request.param == "postgres":
        with testing.throwaway_postgres(_postgres_server_url()) as engine:
            yield engine
        return
    engine = testing.migrated_sqlite(tmp_path_factory.mktemp("db") / "test.sqlite3")
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    with testing.rolled_back_session(engine) as db:
        yield db


@pytest.fixture
def settings(tmp_path: Path, engine: Engine) -> Settings:
    """Settings for a test: data directory in tmp_path, the test database."""
    return testing.settings_for(tmp_path, engine)


@pytest.fixture(scope="session")
def password_hash() -> str:
    """One argon2 hash of TEST_PASSWORD, computed once (argon2 is slow on purpose)."""
    return testing.hash_test_password()


@pytest.fixture
def app(settings: Settings, session: Session) -> FastAPI:
    """The web application, its requests sharing the test's rolled-back session."""
    return testing.app_on_session(settings, session)


@pytest.fixture
def make_user(session: Session, password_hash: str) -> Callable[..., User]:
    """Add a user (password TEST_PASSWORD) kept when a later request rolls back."""

    def make(username: str, role: str, party: str | None = None) -> User:
        user = testing.add_user(session, password_hash, username, role, party)
        session.commit()
        return user

    return make


@pytest.fixture
def client_as(
    app: FastAPI, session: Session, password_hash: str
) -> Iterator[Callable[..., TestClient]]:
    """Make API clients that send a personal token of a new user with ``role``."""
    clients: list[TestClient] = []

    def make(role: str | None, party: str | None = None, username: str | None = None) -> TestClient:
        if role is None:
            test_client = testing.anonymous_client(app)
        else:
            name = username or f"{role}-{len(clients)}"
            test_client = testing.token_client(
                app, session, password_hash, role, party=party, username=name
            )
        test_client.__enter__()
        clients.append(test_client)
        return test_client

    yield make
    for test_client in clients:
        test_client.__exit__(None, None, None)


@pytest.fixture
def client(client_as: Callable[..., TestClient]) -> TestClient:
    """An API client signed in (by token) as the administrator ``admin``."""
    return client_as("administrator", username="admin")


@pytest.fixture
def anon_client(client_as: Callable[..., TestClient]) -> TestClient:
    """An API client of an anonymous visitor."""
    return client_as(None)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the figures tests measured (fuzz cases, concurrency answers) at the end."""
    lines = [
        str(value)
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        for name, value in getattr(report, "user_properties", [])
        if name == "figures"
    ]
    if lines:
        terminalreporter.write_sep("-", "figures measured by the security tests")
        for line in lines:
            terminalreporter.write_line(line)
