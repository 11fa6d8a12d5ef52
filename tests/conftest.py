"""Shared fixtures: settings, a migrated database (SQLite and PostgreSQL), a
session rolled back after each test, and an API client on that session.

Every test that uses ``engine``, ``session`` or ``client`` runs twice: on
SQLite, and on PostgreSQL when ``BAKUHUB_TEST_POSTGRES_URL`` names a server
(a throw-away database is created there). With ``BAKUHUB_REQUIRE_POSTGRES=1``
(set by CI) a missing server fails the run instead of skipping.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, make_url
from sqlalchemy.orm import Session

from bakuhub.config import Settings
from bakuhub.db import make_engine
from bakuhub.migrate import upgrade
from bakuhub.web.app import create_app
from bakuhub.web.deps import get_session

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


@pytest.fixture
def client(settings: Settings, session: Session) -> Iterator[TestClient]:
    """An API client whose requests share the test's rolled-back session."""
    app = create_app(settings)

    def test_session() -> Iterator[Session]:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise

    app.dependency_overrides[get_session] = test_session
    with TestClient(app) as test_client:
        yield test_client
