"""Fuzz the whole JSON API with schemathesis: no request may get a server error.

Over every operation of ``/api/v1/openapi.json``, valid and invalid requests
(schemathesis' positive and negative generation), anonymous and with an
administrator's token, then chains of calls along the OpenAPI links (inferred by
schemathesis from the schema: a created record's ref feeds its read, patch, delete,
results...), on SQLite and on PostgreSQL, each on a throw-away database seeded with the
demo record so reads hit real rows. Hypothesis runs derandomized, so a failure is
reproducible; every server error of a run is listed (operation, request as curl,
answer or the exception and where it was raised), not just the first.

Not sent with a token: ``POST /api/v1/jobs`` (see ``fuzz_support.UNFUZZED_WITH_TOKEN``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # fuzz_support (--import-mode=importlib)
from fuzz_support import (
    FuzzTarget,
    Tally,
    fuzz_operation,
    make_target,
    operations_of,
    run_stateful,
)

EXAMPLES_ANONYMOUS = 6
EXAMPLES_ADMIN = 12
STATEFUL_EXAMPLES = 20
STATEFUL_STEPS = 8


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def target(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    empty_database: Callable[[str, Path], AbstractContextManager[str]],
) -> Iterator[FuzzTarget]:
    """The app on a throw-away database with the demo record and an administrator."""
    folder = tmp_path_factory.mktemp(f"fuzz-{request.param}")
    with empty_database(request.param, folder) as url:
        fuzz_target = make_target(request.param, url, folder / "data")
        try:
            yield fuzz_target
        finally:
            fuzz_target.engine.dispose()


def _check(tally: Tally, what: str, request: pytest.FixtureRequest) -> None:
    restarts = f" ({tally.restarts} restarts)" if tally.restarts else ""
    line = f"API fuzz, {what}: {tally.cases} cases{restarts}, {len(tally.failures)} server errors"
    request.node.user_properties.append(("figures", line))  # printed by tests/conftest.py
    assert not tally.failures, f"{len(tally.failures)} server errors:\n{tally.report()}"


@pytest.mark.slow
def test_anonymous_requests_never_get_a_server_error(
    target: FuzzTarget, request: pytest.FixtureRequest
) -> None:
    tally = Tally()
    for operation in operations_of(target, with_token=False):
        fuzz_operation(operation, dict, "anonymous", tally, EXAMPLES_ANONYMOUS)
    _check(tally, f"{target.kind}, anonymous", request)


@pytest.mark.slow
def test_administrator_requests_never_get_a_server_error(
    target: FuzzTarget, request: pytest.FixtureRequest
) -> None:
    tally = Tally()
    for operation in operations_of(target, with_token=True):
        fuzz_operation(operation, target.admin_headers, "admin", tally, EXAMPLES_ADMIN)
    _check(tally, f"{target.kind}, administrator", request)


@pytest.mark.slow
def test_linked_calls_never_get_a_server_error(
    target: FuzzTarget, request: pytest.FixtureRequest
) -> None:
    tally = Tally()
    run_stateful(target, tally, STATEFUL_EXAMPLES, STATEFUL_STEPS)
    assert tally.cases > STATEFUL_EXAMPLES, "the state machine sent almost nothing"
    _check(tally, f"{target.kind}, administrator, stateful", request)
