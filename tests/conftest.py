"""Shared fixtures: settings, a migrated database (SQLite and PostgreSQL), a
session rolled back after each test, and API clients on that session: ``client``
(an administrator's token), ``anon_client`` (nobody signed in) and ``client_as(role,
party=...)`` for any role.

Every test that uses ``engine``, ``session`` or ``client`` runs twice: on
SQLite, and on PostgreSQL when ``BAKUHUB_TEST_POSTGRES_URL`` names a server
(a throw-away database is created there). With ``BAKUHUB_REQUIRE_POSTGRES=1``
(set by CI) a missing server fails the run instead of skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, make_url, select
from sqlalchemy.orm import Session

from bakuhub.accounts.models import User
from bakuhub.config import Settings
from bakuhub.db import make_engine
from bakuhub.migrate import upgrade
from bakuhub.registry.models import Party
from bakuhub.web.app import create_app
from bakuhub.web.deps import get_session

REPO_ROOT = Path(__file__).resolve().parents[1]
TEST_PASSWORD = "correct horse battery staple"


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


def _postgres_engine() -> Iterator[Engine]:
    url = os.environ.get("BAKUHUB_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("BAKUHUB_REQUIRE_POSTGRES") == "1":
            pytest.fail("BAKUHUB_REQUIRE_POSTGRES=1 but BAKUHUB_TEST_POSTGRES_URL is not set")
        pytest.skip("PostgreSQL tests need BAKUHUB_TEST_POSTGRES_URL")
    name = f"bakuhub_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine = make_engine(make_url(url).set(database=name).render_as_string(hide_password=False))
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A migrated database engine: SQLite file, or a throw-away PostgreSQL database."""
    if request.param == "postgres":
        yield from _postgres_engine()
        return
    path = tmp_path_factory.mktemp("db") / "test.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    connection = engine.connect()
    outer = connection.begin()
    db = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield db
    finally:
        db.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def settings(tmp_path: Path, engine: Engine) -> Settings:
    """Settings for a test: data directory in tmp_path, the test database."""
    return Settings(
        data_dir=tmp_path,
        database_url=engine.url.render_as_string(hide_password=False),
        seed_demo=False,
    )


@pytest.fixture(scope="session")
def password_hash() -> str:
    """One argon2 hash of TEST_PASSWORD, computed once (argon2 is slow on purpose)."""
    from bakuhub.accounts.service import hash_password

    return hash_password(TEST_PASSWORD)


@pytest.fixture
def app(settings: Settings, session: Session) -> FastAPI:
    """The web application, its requests sharing the test's rolled-back session."""
    application = create_app(settings)

    def test_session() -> Iterator[Session]:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise

    application.dependency_overrides[get_session] = test_session
    return application


def add_user(
    session: Session, password_hash: str, username: str, role: str, party: str | None = None
) -> User:
    """A user row (with the shared test password), without hashing again."""
    party_id = None
    if party is not None:
        party_id = session.scalar(select(Party.id).where(Party.ref == party))
        assert party_id is not None, f"no party {party}"
    user = User(
        username=username,
        display_name=username,
        password_hash=password_hash,
        role=role,
        party_id=party_id,
        active=True,
    )
    session.add(user)
    session.flush()
    return user


@pytest.fixture
def make_user(session: Session, password_hash: str) -> Callable[..., User]:
    """Add a user (password TEST_PASSWORD) kept when a later request rolls back."""

    def make(username: str, role: str, party: str | None = None) -> User:
        user = add_user(session, password_hash, username, role, party)
        session.commit()
        return user

    return make


@pytest.fixture
def client_as(
    app: FastAPI, session: Session, password_hash: str
) -> Iterator[Callable[..., TestClient]]:
    """Make API clients that send a personal token of a new user with ``role``."""
    from bakuhub.accounts.service import create_token

    clients: list[TestClient] = []

    def make(role: str | None, party: str | None = None, username: str | None = None) -> TestClient:
        test_client = TestClient(app, base_url="https://testserver")
        if role is not None:
            name = username or f"{role}-{len(clients)}"
            add_user(session, password_hash, name, role, party)
            _row, token = create_token(session=session, username=name, name="tests")
            session.commit()  # keep the user when a later request rolls back
            test_client.headers["Authorization"] = f"Bearer {token}"
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
