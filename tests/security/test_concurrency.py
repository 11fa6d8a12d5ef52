"""A small office at once: the real app served by uvicorn on a file database (SQLite,
the default, and PostgreSQL), 8 clients reading with tokens, creating records and
updating one record at the same version. No server error, exactly one winner per
version (the others 409), and the record consistent afterwards. And one large CSV
import does not stall other requests while it runs."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import make_url

from bakuhub import testing
from bakuhub.accounts.models import User
from bakuhub.accounts.service import create_token, hash_password
from bakuhub.config import Settings
from bakuhub.db import make_engine, make_sessionmaker, session_scope
from bakuhub.migrate import upgrade
from bakuhub.web.app import create_app

API = "/api/v1"
CLIENTS = 8
ROUNDS = 4
TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Served:
    """A running server: its address and the tokens of an administrator and a viewer."""

    base: str
    admin: str
    viewer: str
    url: str


def _users(url: str) -> tuple[str, str]:
    """Migrate, add an administrator and a viewer; their tokens."""
    engine = make_engine(url)
    try:
        upgrade(engine)
        digest = hash_password("correct horse battery staple")
        with session_scope(make_sessionmaker(engine)) as session:
            tokens = []
            for name, role in (("admin", "administrator"), ("reader", "viewer")):
                user = User(username=name, display_name=name, password_hash=digest, role=role)
                user.active = True
                session.add(user)
                session.flush()
                tokens.append(create_token(session=session, username=name, name="office")[1])
        return tokens[0], tokens[1]
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def served(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    empty_database: Callable[[str, Path], AbstractContextManager[str]],
) -> Iterator[Served]:
    """The app served by uvicorn in a thread on 127.0.0.1, on its own database."""
    with empty_database(request.param, tmp_path) as url:
        admin, viewer = _users(url)
        settings = Settings(data_dir=tmp_path, database_url=url, seed_demo=False)
        with testing.serve_in_thread(create_app(settings)) as base:
            yield Served(base, admin, viewer, url)


def _client(served: Served, token: str | None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=served.base, headers=headers, timeout=TIMEOUT_S)


def test_eight_clients_at_once_get_answers_and_one_winner_per_version(
    served: Served, request: pytest.FixtureRequest
) -> None:
    with _client(served, served.admin) as setup:
        body = {"kind": "organisation", "ref": "ORG", "name": "Org", "org_type": "40"}
        assert setup.post(f"{API}/parties", json=body).status_code == 201
    statuses: list[tuple[str, int]] = []
    winners: dict[int, list[str]] = {}
    lock = threading.Lock()
    barrier = threading.Barrier(CLIENTS, timeout=TIMEOUT_S)
    versions: list[int] = []

    def client_work(index: int) -> None:
        reader = served.viewer if index % 2 else served.admin
        with _client(served, served.admin) as writer, _client(served, reader) as readers:
            anon = _client(served, None)
            for round_ in range(ROUNDS):
                seen = readers.get(f"{API}/parties/ORG")
                listed = readers.get(f"{API}/parties", params={"limit": 5})
                public = anon.get(f"{API}/parties", params={"q": "org"})
                if barrier.wait() == 0:
                    versions.append(seen.json()["version"])
                barrier.wait()
                version = versions[round_]
                created = writer.post(
                    f"{API}/parties",
                    json={
                        "kind": "organisation",
                        "ref": f"C{index}-{round_}",
                        "name": f"Created by {index} in {round_}",
                        "org_type": "40",
                    },
                )
                name = f"round {round_} client {index}"
                patched = writer.patch(
                    f"{API}/parties/ORG", json={"version": version, "name": name}
                )
                with lock:
                    for what, resp in (
                        ("get", seen),
                        ("list", listed),
                        ("public", public),
                        ("create", created),
                        ("patch", patched),
                    ):
                        statuses.append((what, resp.status_code))
                    if patched.status_code == 200:
                        winners.setdefault(version, []).append(name)
                barrier.wait()
            anon.close()

    threads = [threading.Thread(target=client_work, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT_S * ROUNDS)
        assert not thread.is_alive(), "a client did not finish"

    failures = [(what, code) for what, code in statuses if code >= 500]
    patches = [code for what, code in statuses if what == "patch"]
    request.node.user_properties.append(
        (
            "figures",
            f"{CLIENTS} clients at once ({served.url.split(':')[0]}): {len(statuses)} answers, "
            f"{len(failures)} server errors, {patches.count(200)} PATCH winners for "
            f"{len(versions)} versions, {patches.count(409)} stale PATCHes answered 409",
        )
    )
    assert failures == []
    expected = {"get": 200, "list": 200, "public": 200, "create": 201}
    for what, code in statuses:
        if what == "patch":
            assert code in (200, 409), (what, code)
        else:
            assert code == expected[what], (what, code)
    assert len(statuses) == CLIENTS * ROUNDS * 5
    assert len(versions) == ROUNDS
    assert {v: len(names) for v, names in winners.items()} == dict.fromkeys(versions, 1)
    assert patches.count(409) == ROUNDS * (CLIENTS - 1)

    with _client(served, served.admin) as check:
        org = check.get(f"{API}/parties/ORG").json()
        assert org["version"] == 1 + ROUNDS
        assert org["name"] == winners[versions[-1]][0]
        assert check.get(f"{API}/parties").json()["total"] == 1 + CLIENTS * ROUNDS


def _big_csv(rows: int) -> str:
    lines = ["ref,kind,name,org_type"]
    lines += [f"BULK{i:05d},organisation,Bulk organisation {i},40" for i in range(rows)]
    return "\n".join(lines) + "\n"


def _writing(url: str) -> bool:
    """Whether a transaction is writing to the database now (the import, here)."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(make_url(url).database or "", timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            conn.close()
    engine = make_engine(url)
    try:
        with engine.connect() as pg:
            found = pg.exec_driver_sql(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND backend_xid IS NOT NULL"
            ).scalar()
        return bool(found)
    finally:
        engine.dispose()


def test_large_csv_import_does_not_stall_other_requests(served: Served) -> None:
    rows = 3000
    text = _big_csv(rows)
    answer: list[httpx.Response] = []
    done = threading.Event()

    def run_import() -> None:
        with _client(served, served.admin) as importer:
            headers = {"content-type": "text/csv"}
            answer.append(importer.post(f"{API}/csv/parties", content=text, headers=headers))
        done.set()

    worker = threading.Thread(target=run_import)
    worker.start()
    while not _writing(served.url):  # the server is inside the import
        assert not done.is_set(), "the import ended before it was seen writing"
        time.sleep(0.01)
    during = 0
    with _client(served, None) as probe:
        while not done.is_set() and during < 20:
            assert probe.get(f"{API}/health").status_code == 200
            during += not done.is_set()
    worker.join(timeout=TIMEOUT_S * 2)
    assert answer and answer[0].status_code == 200, answer[0].text if answer else "no answer"
    assert answer[0].json() == {"created": rows, "updated": 0}
    # Health checks sent while the import was writing came back before the import's own
    # answer (with the import on the event loop, none can).
    assert during >= 5, during
