"""A PATCH takes null exactly where its schema says a field is nullable: there null
clears the field (or, for the few fields the service reads as "unchanged", leaves it);
elsewhere null is refused with 422, as the schema says (runs on SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from bakuhub.testing import records

API = "/api/v1"
RULES_ACROSS_FIELDS = {
    ("PartyUpdate", "iso3"),  # a country needs iso3
    ("PartyUpdate", "org_type"),  # an organisation needs org_type
    ("ProjectUpdate", "latitude"),  # both or neither
    ("ProjectUpdate", "longitude"),
    ("IndicatorUpdate", "baseline_year"),  # a baseline value needs its year
    ("PeriodUpdate", "target"),  # disaggregated targets need the target
    ("PeriodUpdate", "actual"),
}
"""Nullable fields whose null a whole-record rule refuses on this record (on another
record null is taken: an organisation without iso3, a project without a place)."""


def _nullable(schema: dict[str, Any]) -> bool:
    return any(option.get("type") == "null" for option in schema.get("anyOf", []))


def _targets(client: TestClient) -> dict[str, str]:
    """Operation path -> the address of a record of the demo-like test record."""
    framework = client.get(f"{API}/projects/FULL-1/results").json()["results"][0]
    indicator = framework["indicators"][0]
    finance = client.get(f"{API}/projects/FULL-1/finance").json()
    rate = client.post(
        f"{API}/exchange-rates",
        json={
            "currency": "EUR",
            "quote": "USD",
            "rate": "1.08",
            "valid_on": "2025-01-01",
            "source": "ECB",
        },
    )
    assert rate.status_code == 201, rate.text
    return {
        f"{API}/parties/{{ref}}": f"{API}/parties/IOM",
        f"{API}/agreements/{{ref}}": f"{API}/agreements/agr-1",
        f"{API}/projects/{{ref}}": f"{API}/projects/FULL-1",
        f"{API}/results/{{result_id}}": f"{API}/results/{framework['id']}",
        f"{API}/indicators/{{indicator_id}}": f"{API}/indicators/{indicator['id']}",
        f"{API}/periods/{{period_id}}": f"{API}/periods/{indicator['periods'][0]['id']}",
        f"{API}/budgets/{{budget_id}}": f"{API}/budgets/{finance['budgets'][0]['id']}",
        f"{API}/transactions/{{transaction_id}}": (
            f"{API}/transactions/{finance['transactions'][0]['id']}"
        ),
        f"{API}/exchange-rates/{{rate_id}}": f"{API}/exchange-rates/{rate.json()['id']}",
    }


@pytest.fixture
def record(session: Session) -> Session:
    records.make_record(session)
    session.commit()
    return session


def test_null_is_taken_where_the_schema_says_nullable_and_refused_elsewhere(
    client: TestClient, record: Session
) -> None:
    document = client.get(f"{API}/openapi.json").json()
    schemas = document["components"]["schemas"]
    disagree = []
    for path, address in _targets(client).items():
        body = document["paths"][path]["patch"]["requestBody"]["content"]["application/json"]
        name = body["schema"]["$ref"].split("/")[-1]
        for field, schema in schemas[name]["properties"].items():
            if field in ("version", "stamp"):
                continue
            current = client.get(address).json()
            sent = {field: None}
            sent.update({k: current[k] for k in ("version", "stamp") if k in current})
            answer = client.patch(address, json=sent)
            nullable = _nullable(schema)
            if nullable and answer.status_code != 200:
                if (name, field) in RULES_ACROSS_FIELDS and answer.status_code == 422:
                    continue
                disagree.append(f"{name}.{field}: nullable, answered {answer.text[:120]}")
            if not nullable and answer.status_code != 422:
                disagree.append(f"{name}.{field}: not nullable, answered {answer.status_code}")
            if nullable and answer.status_code == 200 and field in answer.json():
                after = client.get(address).json()[field]
                assert after in (None, "", [], current[field]), (
                    name,
                    field,
                    after,
                )  # cleared or kept
    assert not disagree, "\n".join(disagree)
