"""Numbers of results and finance are finite: NaN and infinity are refused at the
edge (API, pages, IATI import) with a 422 naming the input, and the IATI export
never writes a non-finite value, even one stored before the inputs were checked."""

from __future__ import annotations

import asyncio
import json
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from bakuhub.results import models as m

API = "/api/v1"
PERIOD = {"start": "2025-01-01", "end": "2025-12-31"}


def _send(client: TestClient, method: str, path: str, body: Any) -> Any:
    """``body`` as JSON with NaN and Infinity literals (as Python's json writes them)."""
    content = json.dumps(body)  # allow_nan: NaN, Infinity, -Infinity
    headers = {"Content-Type": "application/json"}
    return client.request(method, f"{API}/{path}", content=content, headers=headers)


def _result(**indicator: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"title": "Households reached", "periods": [{**PERIOD, "target": 100}]}
    return {"kind": "output", "title": "Solar pumps", "indicators": [{**base, **indicator}]}


@pytest.fixture
def project(client: TestClient) -> TestClient:
    """A published project P-1 with one result whose period has target 100."""
    r = client.post(f"{API}/projects", json={"ref": "P-1", "title": "Project 1"})
    assert r.status_code == 201, r.text
    r = client.post(f"{API}/projects/P-1/results", json=_result())
    assert r.status_code == 201, r.text
    return client


def _period(client: TestClient) -> dict[str, Any]:
    framework = client.get(f"{API}/projects/P-1/results").json()
    period: dict[str, Any] = framework["results"][0]["indicators"][0]["periods"][0]
    return period


BAD = [math.nan, math.inf, -math.inf, 1e308]


@pytest.mark.parametrize("bad", BAD, ids=["nan", "inf", "-inf", "1e308"])
@pytest.mark.parametrize(
    ("field", "result"),
    [
        ("target", lambda v: _result(periods=[{**PERIOD, "target": v}])),
        ("actual", lambda v: _result(periods=[{**PERIOD, "actual": v}])),
        ("weight", lambda v: _result(periods=[{**PERIOD, "weight": v}])),
        ("baseline_value", lambda v: _result(baseline_year=2020, baseline_value=v)),
        (
            "value",
            lambda v: _result(
                periods=[
                    {
                        **PERIOD,
                        "disaggregations": [
                            {"side": "target", "dimension": "sex", "category": "f", "value": v}
                        ],
                    }
                ]
            ),
        ),
    ],
)
def test_a_result_with_a_non_finite_number_is_refused(
    project: TestClient, field: str, result: Callable[[float], dict[str, Any]], bad: float
) -> None:
    r = _send(project, "POST", "projects/P-1/results", result(bad))
    assert r.status_code == 422, r.text
    assert field in r.json()["detail"]
    assert "finite number" in r.json()["detail"] or "less than or equal" in r.json()["detail"]
    results = project.get(f"{API}/projects/P-1/results").json()["results"]
    assert len(results) == 1, "nothing was added"


@pytest.mark.parametrize("bad", BAD, ids=["nan", "inf", "-inf", "1e308"])
def test_a_period_update_with_a_non_finite_number_is_refused(
    project: TestClient, bad: float
) -> None:
    period = _period(project)
    for field in ("target", "actual", "weight"):
        r = _send(project, "PATCH", f"periods/{period['id']}", {"version": 1, field: bad})
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["loc"] == [field]
    after = _period(project)
    assert (after["target"], after["actual"], after["version"]) == (100, None, 1)


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-Infinity", "sNaN", "inf"])
def test_money_and_rates_refuse_non_finite_values(project: TestClient, bad: str) -> None:
    budget = {"period_start": "2025-01-01", "period_end": "2025-12-31", "currency": "EUR"}
    tx = {"kind": "disbursement", "date": "2025-02-01", "currency": "EUR"}
    rate = {"currency": "EUR", "quote": "USD", "valid_on": "2025-01-01", "source": "ECB"}
    for path, body in (
        ("projects/P-1/budgets", {**budget, "value": bad}),
        ("projects/P-1/transactions", {**tx, "value": bad}),
        ("exchange-rates", {**rate, "rate": bad}),
    ):
        r = project.post(f"{API}/{path}", json=body)
        assert r.status_code == 422, f"{path}: {r.text}"
        assert "finite number" in r.json()["detail"], r.text
    money = project.get(f"{API}/projects/P-1/finance").json()
    assert (money["budgets"], money["transactions"]) == ([], [])
    assert project.get(f"{API}/exchange-rates").json() == []


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_iati_details_and_corridor_actuals_refuse_non_finite_values(
    project: TestClient, bad: float
) -> None:
    sectors = {"sectors": [{"code": "23210", "percentage": bad}]}
    r = _send(project, "PUT", "projects/P-1/iati", sectors)
    assert r.status_code == 422, r.text
    assert "sectors.0.percentage" in r.json()["detail"]
    summary = {
        "scenario": "s",
        "scenario_hash": "h",
        "year": 2030,
        "capacity_built_mw": {"AZE/solar": bad},
        "export_twh": 1.0,
        "co2_avoided_mt": bad,
    }
    r = _send(project, "POST", "projects/P-1/corridor-actuals", summary)
    assert r.status_code == 422, r.text
    assert "co2_avoided_mt" in r.json()["detail"]
    assert "capacity_built_mw" in r.json()["detail"]


def test_the_period_form_refuses_non_finite_values(project: TestClient) -> None:
    period = _period(project)
    for text in ("nan", "inf", "-Infinity"):
        page = project.post(
            f"/periods/{period['id']}/values",
            data={"version": "1", "actual": text},
            follow_redirects=False,
        )
        assert page.status_code == 422, page.text
        assert "finite number" in page.text
    added = project.post(
        "/projects/P-1/results/new",
        data={"title": "More", "start": "2025-01-01", "end": "2025-12-31", "target": "NaN"},
        follow_redirects=False,
    )
    assert added.status_code == 422, added.text
    after = _period(project)
    assert (after["actual"], after["version"]) == (None, 1)
    assert len(project.get(f"{API}/projects/P-1/results").json()["results"]) == 1


def test_the_period_form_still_saves_a_finite_value(project: TestClient) -> None:
    period = _period(project)
    saved = project.post(
        f"/periods/{period['id']}/values",
        data={"version": "1", "actual": "42.5"},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    assert _period(project)["actual"] == 42.5


ACTIVITY = """<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity default-currency="EUR">
  <iati-identifier>XM-TEST-1</iati-identifier>
  <title><narrative>Water points</narrative></title>
  <activity-status code="2"/>
  <recipient-country code="TD" percentage="{share}"/>
  <budget type="1" status="1">
   <period-start iso-date="2025-01-01"/><period-end iso-date="2025-12-31"/>
   <value value-date="2025-01-01">{money}</value>
  </budget>
  <result type="1">
   <title><narrative>Water</narrative></title>
   <indicator measure="1">
    <title><narrative>Points built</narrative></title>
    <baseline year="2020" value="{baseline}"/>
    <period>
     <period-start iso-date="2025-01-01"/><period-end iso-date="2025-12-31"/>
     <target value="{target}"/>
    </period>
   </indicator>
  </result>
 </iati-activity>
</iati-activities>
"""
GOOD = {"share": "100", "money": "1000", "baseline": "0", "target": "10"}


def _import(client: TestClient, **values: str) -> Any:
    xml = ACTIVITY.format(**{**GOOD, **values}).encode()
    headers = {"Content-Type": "application/xml"}
    return client.post(f"{API}/iati/activities", content=xml, headers=headers)


@pytest.mark.parametrize(
    ("field", "bad", "element"),
    [
        ("target", "NaN", "result/indicator/period/target/@value"),
        ("target", "INF", "result/indicator/period/target/@value"),
        ("baseline", "-Infinity", "result/indicator/baseline/@value"),
        ("money", "NaN", "budget/value"),
        ("money", "1e999", "budget/value"),
        ("share", "nan", "recipient-country/@percentage"),
    ],
)
def test_an_iati_file_with_a_non_finite_value_is_refused(
    client: TestClient, field: str, bad: str, element: str
) -> None:
    r = _import(client, **{field: bad})
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    assert "XM-TEST-1" in detail and element in detail and "not a finite number" in detail
    assert client.get(f"{API}/projects", params={"q": "water"}).json()["total"] == 0


def test_an_iati_file_with_finite_values_imports(client: TestClient) -> None:
    r = _import(client)
    assert r.status_code == 200, r.text
    ref = r.json()["created"][0]
    period = client.get(f"{API}/projects/{ref}/results").json()["results"][0]["indicators"][0]
    assert period["periods"][0]["target"] == 10


def test_the_export_never_writes_a_stored_non_finite_value(
    project: TestClient, session: Session
) -> None:
    """Values stored before the checks existed (written here behind the API's back)."""
    row = session.get(m.IndicatorPeriod, _period(project)["id"])
    assert row is not None
    row.target, row.actual = math.inf, -math.inf
    row.indicator.baseline_year, row.indicator.baseline_value = 2020, math.inf
    session.commit()
    r = project.get(f"{API}/iati/activities.xml", params={"project": "P-1"})
    assert r.status_code == 200, r.text
    assert not re.search(r"(?i)\b(nan|inf|infinity)\b", r.text), r.text
    values = [el.get("value") for el in ET.fromstring(r.content).iter() if el.get("value")]
    assert all(math.isfinite(float(v)) for v in values if v is not None)
    assert int(r.headers["X-Bakuhub-Notes"]) >= 3


def test_the_project_form_posts_run_their_sql_off_the_event_loop(
    project: TestClient, engine: Engine
) -> None:
    """add_result, period_values and period_move await the form, then work in a thread."""
    on_loop: list[str] = []

    def record(*args: Any) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return  # a worker thread: fine
        on_loop.append(str(args[2]).split("\n")[0][:80])

    period = _period(project)
    event.listen(engine, "before_cursor_execute", record)
    try:
        posts = (
            (f"/periods/{period['id']}/values", {"version": "1", "actual": "7"}),
            (f"/periods/{period['id']}/move", {"version": "2", "to": "submitted"}),
            (
                "/projects/P-1/results/new",
                {"title": "More", "start": "2025-01-01", "end": "2025-12-31"},
            ),
        )
        for path, form in posts:
            r = project.post(path, data=form, follow_redirects=False)
            assert r.status_code == 303, f"{path}: {r.text}"
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert on_loop == [], f"SQL on the event loop: {on_loop}"
    assert (_period(project)["actual"], _period(project)["state"]) == (7, "submitted")
