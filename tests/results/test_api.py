"""The results, finance and IATI API, as a client uses it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from .conftest import count_indicator, make_agreement, make_full_project, make_parties

API = "/api/v1"


def _project(client: TestClient, ref: str, **extra: Any) -> None:
    body = {"ref": ref, "title": f"Project {ref}", "status": "2", **extra}
    assert client.post(f"{API}/projects", json=body).status_code == 201


def test_framework_through_the_api(client: TestClient) -> None:
    _project(client, "P-1")
    periods = [{"start": "2025-01-01", "end": "2025-12-31", "target": 10, "actual": 9}]
    created = client.post(f"{API}/projects/P-1/results", json=count_indicator("PEOPLE", periods))
    assert created.status_code == 201, created.text
    period = created.json()["indicators"][0]["periods"][0]
    assert period["status"] == "on-track" and period["state"] == "draft"
    bad = client.patch(
        f"{API}/periods/{period['id']}",
        json={
            "version": 1,
            "disaggregations": [
                {"side": "actual", "dimension": "sex", "category": "female", "value": 5}
            ],
        },
    )
    assert bad.status_code == 422
    assert "adds up to 5, not to the actual 9" in bad.json()["detail"]
    assert bad.json()["errors"][0]["loc"][-1] == "disaggregations"
    unchanged = client.get(f"{API}/periods/{period['id']}").json()
    assert (unchanged["disaggregations"], unchanged["actual"], unchanged["version"]) == ([], 9, 1)
    stale = client.patch(f"{API}/periods/{period['id']}", json={"version": 7, "actual": 10})
    assert stale.status_code == 409
    moved = client.post(
        f"{API}/periods/{period['id']}/transitions", json={"to": "submitted", "version": 1}
    )
    assert moved.status_code == 200 and moved.json()["state"] == "submitted"
    framework = client.get(f"{API}/projects/P-1/results").json()
    assert framework["results"][0]["indicators"][0]["periods"][0]["version"] == 2
    assert client.get(f"{API}/projects/NOPE/results").status_code == 404


def test_finance_and_totals_through_the_api(client: TestClient) -> None:
    _project(client, "P-1", countries=[{"country": "TCD", "share": 100}])
    rate = {
        "currency": "USD",
        "quote": "EUR",
        "rate": "0.9",
        "valid_on": "2025-01-01",
        "source": "https://example.org/rates",
    }
    assert client.post(f"{API}/exchange-rates", json=rate).status_code == 201
    tx = {"kind": "disbursement", "date": "2025-02-01", "value": "100", "currency": "usd"}
    assert client.post(f"{API}/projects/P-1/transactions", json=tx).status_code == 201
    budget = {
        "period_start": "2025-01-01",
        "period_end": "2026-06-30",
        "value": "5",
        "currency": "EUR",
    }
    too_long = client.post(f"{API}/projects/P-1/budgets", json=budget)
    assert too_long.status_code == 422 and "at most one year" in too_long.json()["detail"]
    totals = client.get(f"{API}/finance/totals", params={"by": "country", "currency": "EUR"})
    assert totals.status_code == 200
    # money is exact: decimal strings, never floats
    assert totals.json()["groups"] == [
        {
            "key": "TCD",
            "budget": "0.00",
            "incoming-funds": "0.00",
            "commitment": "0.00",
            "disbursement": "90.00",
            "expenditure": "0.00",
        }
    ]
    missing = client.get(f"{API}/finance/totals", params={"currency": "GBP"})
    assert missing.status_code == 422 and "USD->GBP" in missing.json()["detail"]


def test_iati_export_and_import_through_the_api(
    client: TestClient, session: Session, shared_data: Path
) -> None:
    make_parties(session)
    make_agreement(session, "prog-1")
    make_full_project(session)
    exported = client.get(f"{API}/iati/activities.xml", params={"project": "FULL-1"})
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(exported.content)
    assert root.find("iati-activity/iati-identifier").text == "XM-DAC-47066-FULL-1"  # type: ignore[union-attr]
    assert client.get(f"{API}/iati/activities.xml", params={"project": "NOPE"}).status_code == 404
    example = (shared_data / "iati-2.03" / "worked-example.xml").read_bytes()
    imported = client.post(
        f"{API}/iati/activities", content=example, headers={"content-type": "application/xml"}
    )
    assert imported.status_code == 200, imported.text
    body = imported.json()
    assert body["created"] == ["www.example.org-activities-12345.xml"]
    assert body["activities"][0]["mapped"]["transactions"] == 2
    assert {s["element"] for s in body["activities"][0]["skipped"]} >= {"total-cost"}
    garbage = client.post(
        f"{API}/iati/activities", content=b"<nope", headers={"content-type": "application/xml"}
    )
    assert garbage.status_code == 422 and "not well-formed" in garbage.json()["detail"]
    profile = client.get(f"{API}/projects/FULL-1/iati").json()
    assert profile["export_identifier"] == "XM-DAC-47066-FULL-1"
    assert profile["policy_markers"][0] == {"marker": "adaptation", "significance": "2"}


def test_rollup_through_the_api_as_its_schema_says(client: TestClient, session: Session) -> None:
    make_agreement(session, "agr-1")
    for ref, target, actual in (("P-1", 10, 9), ("P-2", 20, 12)):
        _project(client, ref, agreement="agr-1")
        periods = [{"start": "2025-01-01", "end": "2025-12-31", "target": target, "actual": actual}]
        made = client.post(f"{API}/projects/{ref}/results", json=count_indicator("PEOPLE", periods))
        assert made.status_code == 201, made.text
    answer = client.get(f"{API}/rollups/agr-1/PEOPLE", params={"approved_only": True})
    assert answer.status_code == 200
    body = answer.json()
    # draft periods are left out when only approved ones count: each is listed with why
    assert [(e["project"], "period" in e, "indicator" in e) for e in body["excluded"]] == [
        ("P-1", True, False),
        ("P-2", True, False),
    ]
    assert (body["target"], body["actual"], body["status"]) == (None, None, "no-data")
    body = client.get(f"{API}/rollups/agr-1/PEOPLE").json()
    # counts add up: T = 10 + 20, A = 9 + 12, progress 21 / 30 = 0.7 (at risk: 0.6-0.9)
    assert (body["method"], body["target"], body["actual"]) == ("sum", 30, 21)
    assert body["progress"] == pytest.approx(0.7) and body["status"] == "at-risk"
    assert body["projects"] == [
        {"project": "P-1", "target": 10, "actual": 9, "periods": 1},
        {"project": "P-2", "target": 20, "actual": 12, "periods": 1},
    ]
    assert body["excluded"] == []
    schema = client.get(f"{API}/openapi.json").json()["components"]["schemas"]["RollupOut"]
    assert set(body) == set(schema["properties"]) == set(schema["required"])
