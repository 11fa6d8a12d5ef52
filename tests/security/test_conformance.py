"""The API answers as its OpenAPI document says: schemathesis with every check.

Over every operation of ``/api/v1/openapi.json``, valid and invalid requests (positive
and negative generation), anonymous and with an administrator's token, on SQLite and
PostgreSQL seeded with the demo record (the fuzz's target, ``fuzz_support``). Each answer
goes through all of schemathesis' checks: no server error, a documented status, the
documented media type, headers and body, invalid data refused, valid data accepted
(except where the operation's rules go beyond what a JSON schema can say: listed below,
each with why). Bounded: a few examples per operation, about 30 s per database.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import hypothesis
import pytest
from hypothesis import strategies
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import positive_data_acceptance

sys.path.insert(0, str(Path(__file__).parent))  # fuzz_support (--import-mode=importlib)
from fuzz_support import API, APIOperation, Case, FuzzTarget, fuzz_settings, make_target

EXAMPLES = 5
BEYOND_THE_SCHEMA = {
    **{
        f"GET {API}/{kind}": "`sort` is a comma-separated list of the type's sort keys and "
        "`country` a country's name or code, checked against the lists"
        for kind in ("parties", "agreements", "working-groups", "projects")
    },
    **{
        f"{method} {API}/{path}": "ISO 3166 and 4217 codes, partial dates (a real day), "
        "decimals and references to other records by ref are checked against the "
        "record; rules across fields (a country needs iso3, latitude with longitude, "
        "shares adding up to 100 %) are checked on the whole record"
        for method, path in (
            ("POST", "parties"),
            ("PATCH", "parties/{ref}"),
            ("POST", "agreements"),
            ("PATCH", "agreements/{ref}"),
            ("POST", "working-groups"),
            ("PATCH", "working-groups/{ref}"),
            ("POST", "projects"),
            ("PATCH", "projects/{ref}"),
            ("PUT", "projects/{ref}/iati"),
            ("POST", "projects/{ref}/results"),
            ("POST", "results/{result_id}/indicators"),
            ("POST", "indicators/{indicator_id}/periods"),
            ("PATCH", "results/{result_id}"),
            ("PATCH", "indicators/{indicator_id}"),
            ("PATCH", "periods/{period_id}"),
            ("POST", "projects/{ref}/budgets"),
            ("POST", "projects/{ref}/transactions"),
            ("PATCH", "budgets/{budget_id}"),
            ("PATCH", "transactions/{transaction_id}"),
            ("POST", "exchange-rates"),
            ("PATCH", "exchange-rates/{rate_id}"),
            ("GET", "iati/organisation.xml"),
            ("GET", "finance/totals"),
            ("POST", "users"),
            ("PATCH", "users/{username}"),
        )
    },
    f"POST {API}/review": "periods are reviewed to approved or returned only, each once",
    f"POST {API}/periods/{{period_id}}/transitions": "a period moves along its workflow",
    f"GET {API}/jobs": "`state` is one of the job states, checked with its own sentence",
    f"GET {API}/corridor/studies": "`origin` is one of the origins, checked with its own sentence",
    f"GET {API}/corridor/compare": "2 to 8 studies, each named once",
    **{
        f"{method} {API}/{path}": "`preset` names one of the presets (hub, ndgain, "
        "inform), checked with its own sentence; weights name the preset's codes"
        for method, path in (
            ("GET", "risk/rankings"),
            ("POST", "risk/rankings"),
            ("GET", "risk/audit"),
            ("GET", "risk/countries/{iso3}"),
        )
    },
    f"GET {API}/sweeps/fields": "`base` names a shipped or saved scenario",
    f"POST {API}/sweeps": "the sweep's base and fields are checked by the scenario's rules",
    f"POST {API}/jobs": "the scenario is checked by the corridor model's rules",
    f"POST {API}/corridor/scenarios": "the scenario is checked by the corridor model's rules",
    f"PUT {API}/corridor/scenarios/{{ref}}": "the scenario is checked by the corridor "
    "model's rules",
    f"POST {API}/corridor/scenarios/import": "the YAML text must hold a valid scenario",
    f"POST {API}/iati/activities": "the body is an IATI 2.03 XML file (well-formed, valid)",
    f"POST {API}/csv/{{name}}": "the body is a CSV file of the record type",
    f"POST {API}/projects/{{ref}}/bulk/{{kind}}/preview": "a CSV or Excel file is required",
    f"POST {API}/projects/{{ref}}/bulk/{{kind}}": "a file and the preview's digest are required",
    f"POST {API}/projects/{{ref}}/corridor-actuals": "corridor figures go to energy projects",
    f"POST {API}/tokens": "tokens are made with a signed-in session, not with a token",
}
"""Operations whose answer to schema-valid data may be a 422: what the schema cannot
state. ``positive_data_acceptance`` is not run on them (every other check is)."""


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def target(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    empty_database: Callable[[str, Path], AbstractContextManager[str]],
) -> Iterator[FuzzTarget]:
    """The app on a throw-away database with the demo record and an administrator; NUL
    characters are not generated (the API refuses them at the edge with a documented
    422, by design)."""
    folder = tmp_path_factory.mktemp(f"conformance-{request.param}")
    with empty_database(request.param, folder) as url:
        made = make_target(request.param, url, folder / "data")
        made.schema.config.generation.update(allow_x00=False)
        try:
            yield made
        finally:
            made.engine.dispose()


def _label(operation: APIOperation) -> str:
    return f"{operation.method.upper()} {operation.path}"


def _check_all(
    operation: APIOperation, headers: dict[str, str], who: str, found: dict[Any, str]
) -> int:
    """Send generated requests to ``operation`` and run every check on each answer."""
    load_all_checks()
    excluded = [positive_data_acceptance] if _label(operation) in BEYOND_THE_SCHEMA else []
    checks = [c for c in CHECKS.get_all() if c not in excluded]
    sent = 0
    strategy = strategies.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @fuzz_settings(EXAMPLES)
    @hypothesis.given(case=strategy)
    def run(case: Case) -> None:
        nonlocal sent
        sent += 1
        try:
            response = case.call(headers=headers, timeout=60)
        except Exception as exc:  # the app raised: a server error
            found.setdefault(("server error", _label(operation)), f"[{who}] {exc!r}"[:400])
            return
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except (FailureGroup, Failure) as error:
            failures = error.exceptions if isinstance(error, FailureGroup) else [error]
            for failure in failures:
                assert isinstance(failure, Failure)
                request = case.as_curl_command(headers={k: "<token>" for k in headers})
                text = f"[{who}] {response.status_code} {failure.message}\n    {request}"
                found.setdefault((failure.title, _label(operation)), text[:600])

    run()
    return sent


@pytest.mark.slow
def test_every_answer_conforms_to_the_openapi_document(
    target: FuzzTarget, request: pytest.FixtureRequest
) -> None:
    found: dict[Any, str] = {}
    cases = 0
    operations = [result.ok() for result in target.schema.get_all_operations()]  # type: ignore[union-attr]
    for operation in operations:
        cases += _check_all(operation, {}, "anonymous", found)
    from fuzz_support import UNFUZZED_WITH_TOKEN

    for operation in operations:
        if (operation.method.upper(), operation.path) in UNFUZZED_WITH_TOKEN:
            continue  # a valid body starts real corridor solves (see fuzz_support)
        cases += _check_all(operation, target.admin_headers(), "administrator", found)
    by_check = Counter(title for title, _operation in found)
    line = f"API conformance, {target.kind}: {cases} cases, {len(found)} failures {dict(by_check)}"
    request.node.user_properties.append(("figures", line))  # printed by tests/conftest.py
    assert cases >= 4 * len(operations), "schemathesis sent almost nothing"
    report = "\n".join(
        f"{title}: {operation}\n  {text}" for (title, operation), text in found.items()
    )
    assert not found, f"{len(found)} failures ({dict(by_check)}):\n{report}"
