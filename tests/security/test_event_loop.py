"""No blocking work on the asyncio event loop.

One token used at once by a synchronous and an ``async def`` endpoint froze a
PostgreSQL server: the async endpoint ran blocking SQL on the event loop and waited on
a row lock held by the other request, which could never finish, so ``/health`` and
SIGTERM went unanswered. Two guards:

- structural: every endpoint and dependency that FastAPI runs on the event loop (a
  coroutine function) is one reviewed here, known to await only request parsing and to
  hand the work to a thread (``run_in_threadpool``); a new one fails until reviewed;
- live: uvicorn on 127.0.0.1 with SQLite and PostgreSQL, one token sent at once to
  CSV imports (async) and list reads (sync) while ``/api/v1/health`` is polled: every
  request completes and the server still stops when asked.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from bakuhub import testing
from bakuhub.config import Settings
from bakuhub.web.app import create_app

sys.path.insert(0, str(Path(__file__).parent))  # fuzz_support (--import-mode=importlib)
from fuzz_support import API, make_target, mint_token

GROUP_PARTS = ("members", "meetings", "decisions", "action-items")
RECORD_KINDS = ("parties", "agreements", "working-groups", "projects")
FRAMEWORK = {
    ("GET", f"{API}/openapi.json"),
    ("GET", f"{API}/docs"),
    ("GET", "/docs/oauth2-redirect"),
}
"""FastAPI's own pages (the schema is built once, in memory)."""
GROUP_PARTS = ("members", "meetings", "decisions", "action-items")
REVIEWED_ASYNC: set[tuple[str, str]] = {
    ("POST", "/language"),
    ("POST", "/account/language"),
    ("POST", "/projects/{ref}/languages"),
    ("POST", "/results/{result_id}/languages"),
    ("POST", "/indicators/{indicator_id}/languages"),
    ("POST", "/iati/preview"),
    ("POST", "/iati/import"),
    ("POST", "/exchange-rates/new"),
    ("POST", "/exchange-rates/{rate_id}/delete"),
    ("POST", "/exchange-rates/{rate_id}/edit"),
    ("POST", "/projects/{ref}/budgets/new"),
    ("POST", "/projects/{ref}/budgets/{budget_id}/delete"),
    ("POST", "/projects/{ref}/budgets/{budget_id}/edit"),
    ("POST", "/projects/{ref}/transactions/new"),
    ("POST", "/projects/{ref}/transactions/{transaction_id}/delete"),
    ("POST", "/projects/{ref}/transactions/{transaction_id}/edit"),
    *{("POST", f"/working-groups/{{ref}}/{p}/restore") for p in GROUP_PARTS},
    ("POST", "/results/{result_id}/edit"),
    ("POST", "/results/{result_id}/delete"),
    ("POST", "/results/{result_id}/indicators/new"),
    ("POST", "/indicators/{indicator_id}/edit"),
    ("POST", "/indicators/{indicator_id}/delete"),
    ("POST", "/indicators/{indicator_id}/periods/new"),
    ("POST", "/periods/{period_id}/edit"),
    ("POST", "/periods/{period_id}/delete"),
    ("POST", "/review"),
    ("POST", f"{API}/csv/{{name}}"),
    ("POST", f"{API}/iati/activities"),
    ("POST", "/login"),
    ("POST", "/account/tokens"),
    ("POST", "/account/password"),
    ("POST", "/corridor/run"),
    *{("POST", p) for p in ("/corridor/scenarios/new", "/corridor/scenarios/{ref}/edit")},
    ("POST", "/projects/{ref}/results/new"),
    ("POST", "/periods/{period_id}/values"),
    ("POST", "/periods/{period_id}/move"),
    *{("POST", f"/{kind}/new") for kind in RECORD_KINDS},
    *{("POST", f"/{kind}/{{ref}}/edit") for kind in RECORD_KINDS},
    *{("POST", f"/working-groups/{{ref}}/{part}/new") for part in GROUP_PARTS},
    *{("POST", f"/working-groups/{{ref}}/{part}/{{number}}/edit") for part in GROUP_PARTS},
    *{("POST", f"/working-groups/{{ref}}/{part}/{{number}}/delete") for part in GROUP_PARTS},
}
"""``async def`` handlers reviewed: they await the body or form, then hand every database,
file and CPU step to ``run_in_threadpool``."""
REVIEWED_ASYNC_DEPENDENCIES = {"bakuhub.web.auth.guard"}
"""Awaits the form (for its CSRF field) only; who is asking comes from the sync
``get_principal``, which FastAPI runs in a thread."""
HAND_OFF = "run_in_threadpool"


def _innermost(func: Callable[..., Any]) -> Callable[..., Any]:
    while hasattr(func, "__wrapped__"):
        func = func.__wrapped__
    return func


def _on_loop(app: FastAPI) -> dict[tuple[str, str], Callable[..., Any]]:
    """(method, path) -> endpoint, for every endpoint FastAPI awaits on the event loop."""
    found = {}
    for context in iter_route_contexts(app.routes):
        endpoint = context.endpoint
        if endpoint is None or not inspect.iscoroutinefunction(endpoint):
            continue
        for method in (context.methods or set()) - {"HEAD"}:
            found[(method, str(context.path))] = endpoint
    return found


def _async_dependencies(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None and inspect.iscoroutinefunction(sub.call):
            yield sub.call
        yield from _async_dependencies(sub)


@pytest.fixture(scope="module")
def plain_app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """The app (its routes only are read; no request is sent)."""
    return create_app(Settings(data_dir=tmp_path_factory.mktemp("loop"), seed_demo=False))


def test_sync_handlers_are_not_wrapped_in_async_def(plain_app: FastAPI) -> None:
    """A plain ``def`` behind an ``async def`` wrapper would run on the event loop."""
    wrapped = sorted(
        f"{method} {path}: {_innermost(ep).__module__}.{_innermost(ep).__qualname__}"
        for (method, path), ep in _on_loop(plain_app).items()
        if not inspect.iscoroutinefunction(_innermost(ep))
    )
    assert not wrapped, (
        "these sync handlers are wrapped in an async def (e.g. pages.common.bind), so "
        "their database work runs on the event loop; keep the wrapper sync for sync "
        "handlers:\n" + "\n".join(wrapped)
    )


def test_async_endpoints_are_exactly_the_reviewed_ones(plain_app: FastAPI) -> None:
    on_loop = _on_loop(plain_app)
    found = {key for key, ep in on_loop.items() if inspect.iscoroutinefunction(_innermost(ep))}
    found -= FRAMEWORK
    assert not found - REVIEWED_ASYNC, (
        f"new async endpoints: review them (await only request parsing, then "
        f"{HAND_OFF}) and add them to REVIEWED_ASYNC: {sorted(found - REVIEWED_ASYNC)}"
    )
    assert not REVIEWED_ASYNC - found, (
        f"REVIEWED_ASYNC lists endpoints that are no longer async: {sorted(REVIEWED_ASYNC - found)}"
    )


def test_reviewed_async_endpoints_hand_their_work_to_a_thread(plain_app: FastAPI) -> None:
    lacking = sorted(
        f"{method} {path}"
        for (method, path), ep in _on_loop(plain_app).items()
        if (method, path) in REVIEWED_ASYNC and HAND_OFF not in inspect.getsource(_innermost(ep))
    )
    assert not lacking, f"async endpoints that never call {HAND_OFF}: {lacking}"


def test_async_dependencies_are_the_reviewed_ones(plain_app: FastAPI) -> None:
    found = set()
    for route in plain_app.routes:
        if isinstance(route, APIRoute):
            found |= {
                f"{f.__module__}.{f.__qualname__}" for f in _async_dependencies(route.dependant)
            }
    assert found == REVIEWED_ASYNC_DEPENDENCIES, f"async dependencies to review: {found}"


# -- live: uvicorn, one token, sync and async endpoints at once ------------------------

TIMEOUT_S = 120.0
"""Generous: a request that has not answered by then is stuck, not slow."""
CLIENTS = 8
ROUNDS = 3


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def live(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    empty_database: Callable[[str, Path], AbstractContextManager[str]],
) -> Iterator[tuple[str, str]]:
    """(base URL, one administrator token) of uvicorn serving the app on a seeded database.

    Leaving it asserts that the server stopped when asked (a stuck event loop never does).
    """
    folder = tmp_path_factory.mktemp(f"loop-{request.param}")
    with empty_database(request.param, folder) as url:
        target = make_target(request.param, url, folder / "data")
        try:
            token = mint_token(target.factory)
            with testing.serve_in_thread(target.app, stop_timeout=TIMEOUT_S) as base:
                yield base, token
        finally:
            target.engine.dispose()


def test_one_token_at_sync_and_async_endpoints_at_once_never_freezes(
    live: tuple[str, str],
) -> None:
    base, token = live
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=TIMEOUT_S) as http:
        exported = http.get(f"{API}/csv/parties")
        assert exported.status_code == 200
        csv_text = exported.text

    def call(job: tuple[str, int]) -> tuple[str, int]:
        kind, _n = job
        with httpx.Client(base_url=base, headers=headers, timeout=TIMEOUT_S) as http:
            if kind == "import":
                answer = http.post(
                    f"{API}/csv/parties",
                    content=csv_text.encode(),
                    headers={"Content-Type": "text/csv"},
                )
            elif kind == "health":
                answer = http.get(f"{API}/health")
            else:
                answer = http.get(f"{API}/{kind}", params={"limit": 50})
            return kind, answer.status_code

    kinds = ["import", "parties", "projects", "health"]
    jobs = [(kinds[i % len(kinds)], i) for i in range(CLIENTS * ROUNDS)]
    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        answers = list(pool.map(call, jobs))  # an httpx timeout raises: a stuck request
    assert len(answers) == len(jobs)
    errors = [(kind, status) for kind, status in answers if status >= 500]
    assert not errors, f"server errors under concurrent use of one token: {errors}"
    assert all(status == 200 for kind, status in answers if kind == "health")
    assert all(status in (200, 409) for kind, status in answers if kind == "import"), answers
