"""Throw-away migrated databases, rolled-back sessions, settings and users for tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, make_url, select
from sqlalchemy.orm import Session

from bakuhub.accounts.models import User
from bakuhub.config import Settings
from bakuhub.db import make_engine, make_sessionmaker, session_scope
from bakuhub.migrate import upgrade
from bakuhub.registry.models import Party
from bakuhub.registry.seed import SeedReport, seed_demo

TEST_PASSWORD = "correct horse battery staple"
"""The password of every user that :func:`add_user` makes."""


def migrated_sqlite(path: Path, *, demo: bool = False) -> Engine:
    """An engine on a new SQLite file at ``path``, migrated (and seeded when ``demo``)."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    if demo:
        _seed(engine)
    return engine


@contextmanager
def throwaway_postgres_url(server_url: str) -> Iterator[str]:
    """The URL of a new, empty database on the PostgreSQL server of ``server_url``.

    ``server_url`` names a database the user may connect to and create databases from;
    the new database is dropped on exit (its open connections closed by force).
    """
    name = f"bakuhub_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        try:
            yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.dispose()


@contextmanager
def throwaway_postgres(url: str, *, demo: bool = False) -> Iterator[Engine]:
    """A new, migrated database on the PostgreSQL server of ``url``, dropped on exit.

    ``url`` names a database the user may connect to and create databases from.
    """
    with throwaway_postgres_url(url) as database:
        engine = make_engine(database)
        try:
            upgrade(engine)
            if demo:
                _seed(engine)
            yield engine
        finally:
            engine.dispose()


def _seed(engine: Engine) -> None:
    with session_scope(make_sessionmaker(engine)) as session:
        seed_demo_record(session)


def seed_demo_record(session: Session) -> SeedReport:
    """Load the shipped demo record (COP29 parties, agreements, projects) into ``session``."""
    return seed_demo(session=session, author="tests")


@contextmanager
def rolled_back_session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back on exit.

    The session's own commits become SAVEPOINT releases, so code under test may
    commit and the database is still left as it was.
    """
    connection = engine.connect()
    outer = connection.begin()
    db = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield db
    finally:
        db.close()
        outer.rollback()
        connection.close()


def database_url(engine: Engine) -> str:
    """The URL of ``engine`` with its password, as settings need it."""
    return engine.url.render_as_string(hide_password=False)


def settings_for(data_dir: Path, engine: Engine, **overrides: Any) -> Settings:
    """Settings for a test: data directory ``data_dir``, the database of ``engine``, no demo."""
    values: dict[str, Any] = {
        "data_dir": data_dir,
        "database_url": database_url(engine),
        "seed_demo": False,
    }
    values.update(overrides)
    return Settings(**values)


def hash_test_password() -> str:
    """An argon2 hash of :data:`TEST_PASSWORD` (slow on purpose: compute it once)."""
    from bakuhub.accounts.service import hash_password

    return hash_password(TEST_PASSWORD)


def add_user(
    session: Session, password_hash: str, username: str, role: str, party: str | None = None
) -> User:
    """Add an active user with ``password_hash`` (not hashed again) and flush.

    ``party`` is the ref of the user's party (for focal points), which must exist.
    """
    party_id = None
    if party is not None:
        party_id = session.scalar(select(Party.id).where(Party.ref == party))
        if party_id is None:
            raise LookupError(f"no party {party}")
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
