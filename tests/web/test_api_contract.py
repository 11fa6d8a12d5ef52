"""The API's OpenAPI document says what the API really does: each error answer's body is
the documented one, for a status the operation documents; operation ids are readable.

Each answer is checked by schemathesis against the document the app serves, as a
client generated from it would read it (runs on SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from bakuhub.testing import records

API = "/api/v1"
WRITES = {"post", "put", "patch", "delete"}
FASTAPI_DEFAULT_ID = re.compile(r"_api_v1_|_(get|post|put|patch|delete)$|__")


def _document(client: TestClient) -> dict[str, Any]:
    answer = client.get(f"{API}/openapi.json")
    assert answer.status_code == 200
    document: dict[str, Any] = answer.json()
    return document


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if path.startswith(API)
    ]


def _conforms(
    document: dict[str, Any], method: str, path: str, answer: httpx.Response, status: int
) -> dict[str, Any]:
    """``answer`` has ``status``, which the operation documents, and the body documented."""
    assert answer.status_code == status, answer.text
    responses = document["paths"][path][method]["responses"]
    assert str(status) in responses, f"{method.upper()} {path} does not document {status}"
    operation = schemathesis.openapi.from_dict(document)[path][method.upper()]
    operation.validate_response(answer)  # raises naming every mismatch
    body: dict[str, Any] = answer.json()
    return body


def test_every_operation_documents_its_error_answers_with_the_body_sent(
    client: TestClient,
) -> None:
    document = _document(client)
    assert "HTTPValidationError" not in str(document)
    error = document["components"]["schemas"]["ErrorBody"]
    assert error["required"] == ["detail", "errors"]
    for path, method, operation in _operations(document):
        expected = {"401", "403", "422"}
        if "{" in path:
            expected.add("404")
        if method in WRITES:
            expected |= {"409", "503"}
        if "requestBody" in operation:
            expected.add("400")
        responses = operation["responses"]
        assert expected <= set(responses), f"{method} {path}: {sorted(responses)}"
        for status, answer in responses.items():
            if status[0] in "45":
                schema = answer["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (method, path)
        if method in WRITES:
            assert "Retry-After" in responses["503"]["headers"]
    submit = document["paths"][f"{API}/jobs"]["post"]["responses"]
    assert "429" in submit


def test_error_answers_are_the_documented_ones(
    client: TestClient, client_as: Callable[..., TestClient]
) -> None:
    document = _document(client)
    parties, party = f"{API}/parties", f"{API}/parties/{{ref}}"

    bad_query = client.get(parties, params={"limit": 0})
    body = _conforms(document, "get", parties, bad_query, 422)
    assert body["errors"][0]["loc"] == ["query", "limit"]

    bad_body = client.post(parties, json={"kind": "country", "iso3": "XX"})
    assert _conforms(document, "post", parties, bad_body, 422)["errors"][0]["loc"] == ["iso3"]

    missing = client.get(f"{parties}/NOPE")
    assert "NOPE" in _conforms(document, "get", party, missing, 404)["detail"]

    created = client.post(parties, json={"kind": "country", "iso3": "TCD"})
    assert _conforms(document, "post", parties, created, 201)["ref"] == "TCD"
    taken = client.post(parties, json={"kind": "country", "iso3": "TCD"})
    _conforms(document, "post", parties, taken, 409)
    stale = client.patch(f"{parties}/TCD", json={"version": 99, "name": "Tchad"})
    _conforms(document, "patch", party, stale, 409)

    anonymous = client_as(None)
    not_signed_in = anonymous.post(parties, json={"kind": "country", "iso3": "GNB"})
    _conforms(document, "post", parties, not_signed_in, 401)
    bad_token = anonymous.get(parties, headers={"Authorization": "Bearer not-a-token"})
    _conforms(document, "get", parties, bad_token, 401)

    unreadable = client.post(
        parties, content=b"\xff\xfe{", headers={"Content-Type": "application/json"}
    )
    assert _conforms(document, "post", parties, unreadable, 400)["errors"] == []

    no_run = client.get(f"{API}/risk/compare", params={"a": 900, "b": 901})
    _conforms(document, "get", f"{API}/risk/compare", no_run, 404)

    no_project = client.get(f"{API}/iati/activities.xml")
    _conforms(document, "get", f"{API}/iati/activities.xml", no_project, 404)

    viewer = client_as("viewer")
    refused = viewer.post(parties, json={"kind": "country", "iso3": "GNB"})
    _conforms(document, "post", parties, refused, 403)


def test_operation_ids_are_unique_and_readable(client: TestClient) -> None:
    ids = [operation["operationId"] for _p, _m, operation in _operations(_document(client))]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    defaults = [i for i in ids if FASTAPI_DEFAULT_ID.search(i)]
    assert not defaults, defaults
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", i) for i in ids)
    for expected in ("list_parties", "get_party", "create_project", "update_working_group"):
        assert expected in ids


def test_schema_names_are_plain(client: TestClient) -> None:
    """Two models of one name come out as ``bakuhub__web__...__RunOut``, which a generated
    client cannot load; every schema keeps its own plain name."""
    names = list(_document(client)["components"]["schemas"])
    assert not [n for n in names if "__" in n], names


@pytest.mark.parametrize(
    ("method", "path", "operation_id"),
    [
        ("get", "/parties", "list_parties"),
        ("delete", "/projects/{ref}", "delete_project"),
        ("get", "/corridor/scenarios/{ref}", "get_scenario"),
        ("post", "/jobs", "submit_job"),
        ("get", "/health", "get_health"),
    ],
)
def test_operation_ids_name_what_the_operation_does(
    client: TestClient, method: str, path: str, operation_id: str
) -> None:
    assert _document(client)["paths"][f"{API}{path}"][method]["operationId"] == operation_id


FILE_ROUTES = {
    f"{API}/csv/{{name}}": ["text/csv"],
    f"{API}/bulk/templates/{{kind}}.csv": ["text/csv"],
    f"{API}/bulk/templates/{{kind}}.xlsx": [
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ],
    f"{API}/iati/activities.xml": ["application/xml"],
    f"{API}/iati/organisation.xml": ["application/xml"],
    f"{API}/corridor/scenarios/{{ref}}.yaml": ["application/yaml"],
    f"{API}/corridor/studies/{{name}}/report": ["text/html"],
    f"{API}/sweeps/{{batch}}/results.csv": ["text/csv"],
    f"{API}/documents/{{document_id}}": ["*/*"],
    f"{API}/jobs/{{job_id}}/result/{{name}}": ["*/*"],
}
"""Operations answering a file, with the media types documented."""


def test_files_are_documented_with_their_media_type_not_json(client: TestClient) -> None:
    paths = _document(client)["paths"]
    for path, media_types in FILE_ROUTES.items():
        assert list(paths[path]["get"]["responses"]["200"]["content"]) == media_types, path
    study_file = paths[f"{API}/corridor/studies/{{name}}/files/{{file}}"]["get"]
    assert {"text/csv", "text/html", "application/vnd.apache.parquet"} <= set(
        study_file["responses"]["200"]["content"]
    )


@pytest.mark.parametrize(
    ("url", "path"),
    [
        (f"{API}/csv/parties", f"{API}/csv/{{name}}"),
        (f"{API}/bulk/templates/budgets.csv", f"{API}/bulk/templates/{{kind}}.csv"),
        (f"{API}/bulk/templates/budgets.xlsx", f"{API}/bulk/templates/{{kind}}.xlsx"),
        (f"{API}/iati/activities.xml", f"{API}/iati/activities.xml"),
        (f"{API}/iati/organisation.xml", f"{API}/iati/organisation.xml"),
    ],
)
def test_a_file_comes_with_the_documented_media_type(
    client: TestClient, session: Session, url: str, path: str
) -> None:
    records.make_record(session)
    session.commit()
    documented = _document(client)["paths"][path]["get"]["responses"]["200"]["content"]
    answer = client.get(url)
    assert answer.status_code == 200, answer.text
    received = answer.headers["content-type"].split(";")[0].strip()
    assert received in documented, (received, list(documented))
    assert received != "application/json"


def test_finance_answers_are_typed_and_conform(client: TestClient, session: Session) -> None:
    records.make_record(session)
    session.commit()
    document = _document(client)
    finance_path = f"{API}/projects/{{ref}}/finance"
    ok = document["paths"][finance_path]["get"]["responses"]["200"]["content"]
    assert ok["application/json"]["schema"] == {"$ref": "#/components/schemas/FinanceOut"}
    finance = _conforms(
        document, "get", finance_path, client.get(f"{API}/projects/FULL-1/finance"), 200
    )
    budget, transaction = finance["budgets"][0], finance["transactions"][0]
    one = client.get(f"{API}/budgets/{budget['id']}")
    assert _conforms(document, "get", f"{API}/budgets/{{budget_id}}", one, 200) == budget
    read = client.get(f"{API}/transactions/{transaction['id']}")
    assert (
        _conforms(document, "get", f"{API}/transactions/{{transaction_id}}", read, 200)["provider"]
        == transaction["provider"]
    )
    rates = client.get(f"{API}/exchange-rates")
    _conforms(document, "get", f"{API}/exchange-rates", rates, 200)


def test_results_answers_are_typed_and_conform(client: TestClient, session: Session) -> None:
    records.make_record(session)
    session.commit()
    document = _document(client)
    framework_path = f"{API}/projects/{{ref}}/results"
    ok = document["paths"][framework_path]["get"]["responses"]["200"]["content"]
    assert ok["application/json"]["schema"] == {"$ref": "#/components/schemas/FrameworkOut"}
    answer = client.get(f"{API}/projects/FULL-1/results")
    result = _conforms(document, "get", framework_path, answer, 200)["results"][0]
    indicator = result["indicators"][0]
    period = indicator["periods"][0]
    one = client.get(f"{API}/results/{result['id']}")
    assert _conforms(document, "get", f"{API}/results/{{result_id}}", one, 200) == result
    read = client.get(f"{API}/indicators/{indicator['id']}")
    detail = _conforms(document, "get", f"{API}/indicators/{{indicator_id}}", read, 200)
    assert detail["result"]["id"] == result["id"]
    moved = client.post(
        f"{API}/periods/{period['id']}/transitions",
        json={"to": "submitted", "version": period["version"]},
    )
    path = f"{API}/periods/{{period_id}}/transitions"
    assert _conforms(document, "post", path, moved, 200)["state"] == "submitted"
    waiting = _conforms(document, "get", f"{API}/review", client.get(f"{API}/review"), 200)
    assert [(p["id"], p["project"]["ref"]) for p in waiting] == [(period["id"], "FULL-1")]
    version = waiting[0]["version"]
    sent = {"to": "approved", "periods": [{"id": period["id"], "version": version}]}
    approved = _conforms(
        document, "post", f"{API}/review", client.post(f"{API}/review", json=sent), 200
    )
    assert approved[0]["state"] == "approved"
    unknown = {"to": "approved", "periods": [{"id": 999999, "version": 1}]}
    _conforms(document, "post", f"{API}/review", client.post(f"{API}/review", json=unknown), 404)
    health = _conforms(document, "get", f"{API}/health", client.get(f"{API}/health"), 200)
    assert health["status"] == "ok"
