"""Support of the API fuzz (tests/security/test_fuzz.py): a throw-away database (the
``empty_database`` fixture) seeded with the demo record, the real app on it,
schemathesis over its OpenAPI, and every server error collected (operation, request,
answer, where it was raised).

Nothing is mocked: requests go through the whole ASGI app (schemathesis' in-process
transport) to a real SQLite file or a real PostgreSQL database made for the run.
"""

from __future__ import annotations

import secrets
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import hypothesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, strategies
from schemathesis import GenerationMode
from schemathesis.core.transport import Response
from schemathesis.generation.case import Case as _Case
from schemathesis.schemas import APIOperation as _APIOperation
from schemathesis.specs.openapi.schemas import OpenApiSchema
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bakuhub.accounts.service import create_token, create_user
from bakuhub.config import Settings
from bakuhub.db import make_engine, make_sessionmaker, session_scope
from bakuhub.startup import prepare
from bakuhub.web.app import create_app

Case = _Case[Any]
APIOperation = _APIOperation[Any, Any, Any, Any]
API = "/api/v1"
ADMIN = "fuzz-admin"
UNFUZZED_WITH_TOKEN = {
    ("POST", f"{API}/jobs"),
    ("POST", f"{API}/sweeps"),
    ("POST", f"{API}/corridor/scenarios/{{ref}}/run"),
    ("POST", f"{API}/corridor/studies/{{name}}/rerun"),
}
"""Not sent with the administrator's token: a valid body starts a Dask cluster and
real corridor solves (minutes each; a sweep up to 64 of them). The inputs are tested in
tests/jobs/ and the anonymous fuzz still sends them (refused before any work)."""
WRITE_ORDER = {"GET": 0, "HEAD": 0, "OPTIONS": 0, "POST": 1, "PUT": 1, "PATCH": 1, "DELETE": 2}
"""Reads first (on the demo record), then writes, then deletes (which remove rows)."""
STATEFUL_ROUNDS = 4
"""Runs of the state machine at most (a run ends early when the stored state diverges)."""


def seeded_settings(database_url: str, data_dir: Path) -> Settings:
    """Settings on ``database_url``, migrated and holding the demo record."""
    settings = Settings(
        data_dir=data_dir,
        database_url=database_url,
        seed_demo=True,
        secret_key=secrets.token_urlsafe(48),
    )
    prepare(settings)
    return settings


def add_admin(factory: sessionmaker[Session], username: str = ADMIN) -> None:
    """An administrator account (random password: only its tokens are used)."""
    with session_scope(factory) as session:
        create_user(
            session=session,
            username=username,
            password=f"Fz-{secrets.token_urlsafe(24)}",
            role="administrator",
        )


def mint_token(factory: sessionmaker[Session], username: str = ADMIN) -> str:
    """A fresh personal token of ``username`` (a fuzzed DELETE may revoke an older one)."""
    with session_scope(factory) as session:
        _row, clear = create_token(session=session, username=username, name="fuzz")
    return clear


@dataclass
class FuzzTarget:
    """The app under fuzz, its schema, and a session factory on the same database."""

    kind: str
    app: FastAPI
    schema: OpenApiSchema
    factory: sessionmaker[Session]
    engine: Engine

    def admin_headers(self) -> dict[str, str]:
        """Headers of a fresh administrator token."""
        return {"Authorization": f"Bearer {mint_token(self.factory)}"}


def make_target(kind: str, database_url: str, data_dir: Path) -> FuzzTarget:
    """Seed the database, add the administrator, build the app and load its OpenAPI."""
    import schemathesis

    settings = seeded_settings(database_url, data_dir)
    engine = make_engine(database_url)
    factory = make_sessionmaker(engine)
    add_admin(factory)
    app = create_app(settings)
    schema = schemathesis.openapi.from_asgi(f"{API}/openapi.json", app)
    return FuzzTarget(kind=kind, app=app, schema=schema, factory=factory, engine=engine)


@dataclass
class Failure:
    """One server error: which operation, the request that caused it, what came back."""

    who: str
    operation: str
    request: str
    status: int | None
    answer: str

    def __str__(self) -> str:
        return f"[{self.who}] {self.operation} -> {self.status}: {self.answer}\n    {self.request}"


@dataclass
class Tally:
    """Cases sent and server errors found (one per operation and answer)."""

    cases: int = 0
    restarts: int = 0
    failures: list[Failure] = field(default_factory=list)
    _seen: set[tuple[str, str]] = field(default_factory=set)

    def add(self, failure: Failure) -> None:
        """Keep the first request of each (operation, answer)."""
        key = (failure.operation, failure.answer[:120])
        if key not in self._seen:
            self._seen.add(key)
            self.failures.append(failure)

    def report(self) -> str:
        """The failures, one paragraph each."""
        return "\n".join(str(f) for f in self.failures)


def _request_line(case: Case, headers: dict[str, str]) -> str:
    curl: str = case.as_curl_command(headers={k: "<token>" for k in headers})
    return curl[:600]


def _raised_where(exc: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/bakuhub/" in f.filename]
    place = f" at {frames[-1].filename.split('/src/')[-1]}:{frames[-1].lineno}" if frames else ""
    first = (str(exc).splitlines() or [""])[0]
    return f"{type(exc).__name__}: {first[:300]}{place}"


def send(case: Case, headers: dict[str, str], who: str, tally: Tally) -> Response | None:
    """Send ``case``; note a 5xx answer or an exception raised by the app."""
    tally.cases += 1
    operation = f"{case.operation.method.upper()} {case.operation.path}"
    try:
        response = case.call(headers=headers, timeout=60)
    except Exception as exc:  # the app raised: Starlette answers 500 and re-raises
        tally.add(Failure(who, operation, _request_line(case, headers), 500, _raised_where(exc)))
        return None
    if response.status_code >= 500:
        answer = response.text[:300]
        tally.add(
            Failure(who, operation, _request_line(case, headers), response.status_code, answer)
        )
    return response


def ordered(operations: list[APIOperation]) -> list[APIOperation]:
    """Reads, then writes, then deletes (each group in schema order)."""
    return sorted(operations, key=lambda op: WRITE_ORDER.get(op.method.upper(), 1))


def operations_of(target: FuzzTarget, *, with_token: bool) -> list[APIOperation]:
    """Every operation of the OpenAPI (less UNFUZZED_WITH_TOKEN when sending a token)."""
    found = [result.ok() for result in target.schema.get_all_operations()]  # type: ignore[union-attr]
    if with_token:
        found = [op for op in found if (op.method.upper(), op.path) not in UNFUZZED_WITH_TOKEN]
    return ordered(found)


def fuzz_settings(max_examples: int) -> hypothesis.settings:
    """Small, reproducible runs: derandomized, no deadline, no shrinking, no example DB."""
    return hypothesis.settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


def fuzz_operation(
    operation: APIOperation,
    headers: Callable[[], dict[str, str]],
    who: str,
    tally: Tally,
    max_examples: int,
) -> None:
    """Send generated valid and invalid requests to one operation, noting server errors."""
    strategy = strategies.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )
    fixed = headers()

    @fuzz_settings(max_examples)
    @hypothesis.given(case=strategy)
    def run(case: Case) -> None:
        send(case, fixed, who, tally)

    run()


def run_stateful(target: FuzzTarget, tally: Tally, max_examples: int, max_steps: int) -> None:
    """Chains of administrator calls along the OpenAPI links (created ref -> read, patch...)."""
    schema = target.schema.exclude(name=[f"{m} {p}" for m, p in sorted(UNFUZZED_WITH_TOKEN)])
    base: Any = schema.as_state_machine()

    class Machine(base):  # type: ignore[misc]
        def get_call_kwargs(self, case: Case) -> dict[str, Any]:
            return {"headers": target.admin_headers()}

        def call(self, case: Case, **kwargs: Any) -> Response:
            response = send(case, kwargs["headers"], "admin, stateful", tally)
            if response is None:  # the app raised (noted): end this chain
                hypothesis.assume(False)
            assert response is not None
            return response

        def validate_response(self, response: Response, case: Case, **kwargs: Any) -> None:
            """Server errors are noted by ``send``; other checks are not this test's."""

    settings = hypothesis.settings(fuzz_settings(max_examples), stateful_step_count=max_steps)
    for _round in range(STATEFUL_ROUNDS):
        try:
            Machine.run(settings=settings)
            return
        except hypothesis.errors.Flaky:
            # The database remembers earlier chains (a ref created once is a 409 the next
            # time), so Hypothesis' replay diverges; schemathesis' own runner restarts too.
            tally.restarts += 1
