"""A PostgreSQL server that drops bakuhub's connections (a restart): an idle
connection is checked and replaced before it serves, so the next request works. (No
ping before every use: see ``db._ping_after_idle``.)"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from bakuhub import db
from bakuhub.config import Settings
from bakuhub.db import make_engine
from bakuhub.migrate import upgrade
from bakuhub.web.app import create_app

pytestmark = pytest.mark.postgres


@pytest.fixture
def url(
    empty_database: Callable[[str, Path], AbstractContextManager[str]], tmp_path: Path
) -> Iterator[str]:
    with empty_database("postgres", tmp_path) as found:
        engine = make_engine(found)
        upgrade(engine)
        engine.dispose()
        yield found


def _drop_others(url: str) -> int:
    """Terminate every other connection to the database (as a server restart does)."""
    admin = make_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            return len(
                conn.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                ).all()
            )
    finally:
        admin.dispose()


def _backend(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())


def test_an_idle_connection_is_checked_and_replaced(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = make_engine(url, pool_size=1, max_overflow=0)
    try:
        first = _backend(engine)
        assert _backend(engine) == first  # in steady use: the same connection, no check
        assert _drop_others(url) == 1
        monkeypatch.setattr(db, "IDLE_PING_S", 0.0)  # it has now been idle "long enough"
        assert _backend(engine) != first  # checked, found dead, replaced: no error
    finally:
        engine.dispose()


def test_the_server_works_again_after_its_connections_were_dropped(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(data_dir=tmp_path / "data", database_url=url, seed_demo=False)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        assert client.get("/api/v1/projects").status_code == 200
        assert _drop_others(url) >= 1
        monkeypatch.setattr(db, "IDLE_PING_S", 0.0)
        assert client.get("/api/v1/projects").status_code == 200  # checked and replaced
