"""Kept answers are never stale: a write by any process shows in the next read, drafts
never reach the public through a kept answer, and the cache stays within its bounds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from bakuhub import changes, testing
from bakuhub.config import Settings
from bakuhub.db import make_engine, make_sessionmaker, session_scope
from bakuhub.migrate import upgrade
from bakuhub.registry import service
from bakuhub.registry.catalog import RESOURCES
from bakuhub.registry.schemas import ProjectCreate
from bakuhub.registry.seed import seed_demo
from bakuhub.web.answer_cache import AnswerCache
from bakuhub.web.app import create_app

API = "/api/v1"


def test_the_cache_keeps_answers_for_one_counter_and_within_its_bounds() -> None:
    cache = AnswerCache(entries=2, max_bytes=40)
    cache.put("a", 1, b"x")  # never read at counter 1 yet: not kept
    assert cache.get("a", 1) is None
    cache.put("a", 1, b"A" * 10)
    assert cache.get("a", 1) == b"A" * 10
    assert cache.get("a", 0) is None  # a reader behind the times is not served...
    cache.put("a", 0, b"old")  # ...and what it made is not kept
    assert cache.get("a", 1) == b"A" * 10
    assert cache.get("b", 1) is None
    cache.put("b", 1, b"B" * 10)
    assert cache.get("c", 1) is None
    cache.put("c", 1, b"C" * 10)  # third entry: the least recently used ("a") goes
    assert cache.get("a", 1) is None
    assert cache.get("c", 1) == b"C" * 10
    cache.put("d", 1, b"D" * 11)  # over a quarter of the bytes: too big to keep
    assert cache.get("d", 1) is None
    assert cache.get("c", 2) is None  # the counter moved: everything kept is gone
    assert cache.get("b", 2) is None
    assert AnswerCache(entries=0).get("a", 1) is None


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(
    request: pytest.FixtureRequest,
    empty_database: Callable[[str, Path], AbstractContextManager[str]],
    tmp_path: Path,
) -> Iterator[str]:
    """A migrated database with the demo record, committed (not a rolled-back session)."""
    with empty_database(request.param, tmp_path) as url:
        engine = make_engine(url)
        upgrade(engine)
        with session_scope(make_sessionmaker(engine)) as session:
            seed_demo(session=session, author="test")
        engine.dispose()
        yield url


def _titles(client: TestClient) -> dict[str, str]:
    page = client.get(f"{API}/projects?limit=500")
    assert page.status_code == 200, page.text
    return {p["ref"]: p["title"] for p in page.json()["items"]}


def _vary(answer: httpx.Response) -> set[str]:
    return {part.strip().lower() for part in answer.headers["vary"].split(",")}


def _server(url: str, tmp_path: Path, name: str) -> TestClient:
    settings = Settings(data_dir=tmp_path / name, database_url=url, seed_demo=False)
    return TestClient(create_app(settings))


def test_a_write_by_another_process_shows_in_the_next_read(database: str, tmp_path: Path) -> None:
    with _server(database, tmp_path, "a") as server:
        before = _titles(server)
        ref = next(iter(before))
        assert _titles(server) == before  # the second read is the kept answer
        one = server.get(f"{API}/projects/{ref}").json()
        assert server.get(f"{API}/projects/{ref}").json() == one

        # the command line (another engine, as another process has) adds a project
        other = make_engine(database)
        try:
            with session_scope(make_sessionmaker(other)) as session:
                service.create_record(
                    session=session,
                    resource=RESOURCES["projects"],
                    data=ProjectCreate.model_validate(testing.project_body("CACHE-NEW")),
                    author="cli",
                )
            assert _titles(server)["CACHE-NEW"]
            # a plain SQL update (no ORM) through the other engine shows too
            with other.begin() as conn:
                conn.execute(
                    text("UPDATE projects SET title = 'Renamed by SQL' WHERE ref = :ref"),
                    {"ref": ref},
                )
            assert _titles(server)[ref] == "Renamed by SQL"
            assert server.get(f"{API}/projects/{ref}").json()["title"] == "Renamed by SQL"
            # a write rolled back leaves the counter, and the kept answers, as they were
            with other.connect() as conn:
                seen = changes.current(conn)
            with pytest.raises(RuntimeError), other.begin() as conn:
                conn.execute(text("UPDATE projects SET title = 'never' WHERE ref = :r"), {"r": ref})
                raise RuntimeError("the writer fails before it commits")
            with other.connect() as conn:
                assert changes.current(conn) == seen
            assert _titles(server)[ref] == "Renamed by SQL"
        finally:
            other.dispose()


def test_a_draft_never_reaches_the_public_through_a_kept_answer(
    client_as: Callable[..., TestClient],
) -> None:
    editor = testing.make_world(client_as("administrator"))
    public = client_as(None)
    assert "P-TCD" in _titles(public)  # the public's list is kept before the draft is made
    draft = testing.project_body("CACHE-DRAFT", published=False)
    assert editor.post(f"{API}/projects", json=draft).status_code == 201
    assert "CACHE-DRAFT" in _titles(editor)
    assert "CACHE-DRAFT" not in _titles(public)
    assert "CACHE-DRAFT" in _titles(editor)  # the signed-in answer is its own
    assert public.get(f"{API}/projects/CACHE-DRAFT").status_code == 404
    assert editor.get(f"{API}/projects/CACHE-DRAFT").status_code == 200
    assert public.get(f"{API}/projects/CACHE-DRAFT").status_code == 404


def test_the_publics_repeated_reads_take_the_short_way_with_the_same_answer(
    client_as: Callable[..., TestClient],
) -> None:
    editor = testing.make_world(client_as("administrator"))
    public = client_as(None)
    cache: AnswerCache = public.app.state.answer_cache  # type: ignore[attr-defined]
    paths = (f"{API}/projects?limit=5&sort=-ref", f"{API}/projects/P-TCD", f"{API}/parties")
    first = {path: public.get(path) for path in paths}
    assert all(answer.status_code == 200 for answer in first.values())
    served = cache.short_hits
    for path, answer in first.items():
        again = public.get(path)
        assert again.content == answer.content
        # the same headers as the route's answer: security, language, type
        for header in ("content-type", "content-security-policy", "x-frame-options"):
            assert again.headers[header] == answer.headers[header]
        assert _vary(again) == _vary(answer) == {"accept-language", "cookie"}
    assert cache.short_hits == served + len(paths)
    # a query the route refuses is never kept: refused again, by the route
    for _ in range(2):
        assert public.get(f"{API}/projects?limit=0").status_code == 422
    # a signed-in reader never takes it (its answer holds drafts): the route answers
    draft = testing.project_body("SHORT-DRAFT", published=False)
    assert editor.post(f"{API}/projects", json=draft).status_code == 201
    served = cache.short_hits
    assert "SHORT-DRAFT" in {p["ref"] for p in editor.get(paths[0]).json()["items"]}
    assert cache.short_hits == served
    # the public's next read follows the write (the counter moved) and hides the draft
    assert "SHORT-DRAFT" not in {p["ref"] for p in public.get(paths[0]).json()["items"]}
    assert cache.short_hits == served  # made afresh by the route
    assert public.get(f"{API}/projects/SHORT-DRAFT").status_code == 404
    assert public.get(f"{API}/projects/SHORT-DRAFT").status_code == 404
    assert cache.short_hits == served
