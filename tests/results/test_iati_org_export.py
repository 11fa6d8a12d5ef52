"""The Hub's IATI organisation file: valid against the 2.03 organisations schema (and the
Standard's rules when ``bakuhub.iati.rules`` is there), budgets that add up to the
projects' budgets per calendar year (checked by hand on a small record), no draft for
the public, and no period longer than a year."""

from __future__ import annotations

import datetime as dt
import importlib
import xml.etree.ElementTree as ET
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from bakuhub.errors import InvalidInput
from bakuhub.registry.catalog import PARTIES
from bakuhub.registry.seed import seed_demo
from bakuhub.registry.service import create_record
from bakuhub.results.finance import add_budget, add_rate, add_transaction
from bakuhub.results.iati_org_export import export_organisation, year_parts
from bakuhub.results.iati_org_schema import check_org_valid, org_schema_errors
from bakuhub.results.schemas import BudgetIn, RateIn, TransactionIn
from bakuhub.testing import make_parties, make_project

HUB = {"kind": "organisation", "ref": "BAKU-HUB", "name": "Baku Hub", "org_type": "15"}
TCD_AZE = [{"country": "TCD", "share": 60}, {"country": "AZE", "share": 40}]


def _budget(session: Session, project: str, start: str, end: str, value: str, **extra: Any) -> None:
    data = {"period_start": start, "period_end": end, "value": value, "currency": "EUR", **extra}
    add_budget(session=session, project_ref=project, data=BudgetIn(**data), author="t")


def _spend(session: Session, project: str, kind: str, day: str, value: str) -> None:
    data = TransactionIn(kind=kind, date=day, value=value, currency="EUR")
    add_transaction(session=session, project_ref=project, data=data, author="t")


@pytest.fixture
def hub_record(session: Session) -> Session:
    """The Hub and four projects with budgets (see each test for the sums by hand).

    - HUB-A (Hub accountable, TCD 60 % / AZE 40 %): 1000 EUR for 2025 (committed);
      730 EUR for 2025-07-01..2026-06-30 (184 days in 2025, 181 in 2026); 500 USD for
      2025 (committed); an expenditure of 300 and a disbursement of 200 EUR in 2025, a
      commitment of 1000 EUR (not spending).
    - HUB-B (Hub accountable, TCD 100 %): 200 EUR for 2025 (committed); for 2026 an
      original 100 EUR replaced by a revised 150 EUR.
    - HUB-DRAFT (Hub accountable, a draft): 999 EUR for 2025.
    - IOM-X (IOM accountable, reported by IOM): 5000 EUR for 2025.
    """
    make_parties(session)
    create_record(
        session=session, resource=PARTIES, data=PARTIES.create.model_validate(HUB), author="t"
    )
    hub = [{"party": "BAKU-HUB", "role": "accountable"}]
    make_project(session, "HUB-A", organisations=hub, countries=TCD_AZE)
    make_project(session, "HUB-B", organisations=hub, countries=[{"country": "TCD", "share": 100}])
    make_project(session, "HUB-DRAFT", organisations=hub, published=False)
    make_project(session, "IOM-X", organisations=[{"party": "IOM", "role": "accountable"}])
    _budget(session, "HUB-A", "2025-01-01", "2025-12-31", "1000", status="committed")
    _budget(session, "HUB-A", "2025-07-01", "2026-06-30", "730")
    _budget(session, "HUB-A", "2025-01-01", "2025-12-31", "500", currency="USD", status="committed")
    _spend(session, "HUB-A", "expenditure", "2025-03-01", "300")
    _spend(session, "HUB-A", "disbursement", "2025-05-01", "200")
    _spend(session, "HUB-A", "commitment", "2025-02-01", "1000")
    _budget(session, "HUB-B", "2025-01-01", "2025-12-31", "200", status="committed")
    _budget(session, "HUB-B", "2026-01-01", "2026-12-31", "100")
    _budget(session, "HUB-B", "2026-01-01", "2026-12-31", "150", kind="revised")
    _budget(session, "HUB-DRAFT", "2025-01-01", "2025-12-31", "999")
    _budget(session, "IOM-X", "2025-01-01", "2025-12-31", "5000")
    return session


def _org(xml: bytes) -> ET.Element:
    org = ET.fromstring(xml).find("iati-organisation")
    assert org is not None
    return org


def _periods(org: ET.Element, tag: str) -> dict[tuple[str, ...], tuple[Decimal, str | None]]:
    """(country code?, year, currency) -> (value, status) of every ``tag`` element."""
    out: dict[tuple[str, ...], tuple[Decimal, str | None]] = {}
    for el in org.findall(tag):
        start = el.find("period-start")
        value = el.find("value")
        assert start is not None and value is not None
        country = el.find("recipient-country")
        where = () if country is None else (country.get("code", ""),)
        key = (*where, start.get("iso-date", "")[:4], value.get("currency", ""))
        out[key] = (Decimal(value.text or ""), el.get("status"))
    return out


def test_public_budgets_are_the_sums_of_the_projects_budgets_by_year(hub_record: Session) -> None:
    result = export_organisation(session=hub_record, published_only=True)
    assert result.projects == ["HUB-A", "HUB-B"]  # no draft, not IOM's project
    org = _org(result.xml)
    assert org.findtext("organisation-identifier") == "BAKU-HUB"
    assert org.find("reporting-org").get("type") == "15"  # type: ignore[union-attr]
    # 2025 EUR: 1000 + 730 * 184/365 (= 368) + 200; 2026 EUR: 730 * 181/365 (= 362) + 150
    assert _periods(org, "total-budget") == {
        ("2025", "EUR"): (Decimal("1568"), "1"),  # one indicative part: indicative
        ("2026", "EUR"): (Decimal("512"), "1"),
        ("2025", "USD"): (Decimal("500"), "2"),  # committed only
    }
    # HUB-A's EUR parts 60/40 to TCD/AZE, HUB-B's all to TCD
    assert _periods(org, "recipient-country-budget") == {
        ("TD", "2025", "EUR"): (Decimal("1020.80"), "1"),  # 1368 * 0.6 + 200
        ("AZ", "2025", "EUR"): (Decimal("547.20"), "1"),  # 1368 * 0.4
        ("TD", "2026", "EUR"): (Decimal("367.20"), "1"),  # 362 * 0.6 + 150
        ("AZ", "2026", "EUR"): (Decimal("144.80"), "1"),  # 362 * 0.4
        ("TD", "2025", "USD"): (Decimal("300"), "2"),
        ("AZ", "2025", "USD"): (Decimal("200"), "2"),
    }
    # disbursement 200 + expenditure 300; the commitment is not spending
    assert _periods(org, "total-expenditure") == {("2025", "EUR"): (Decimal("500"), None)}
    assert any("HUB-B: original budget" in n for n in result.notes)
    assert any("HUB-A: budget" in n and "2025: 368" in n for n in result.notes)


def test_staff_file_counts_draft_projects(hub_record: Session) -> None:
    result = export_organisation(session=hub_record)
    assert result.projects == ["HUB-A", "HUB-B", "HUB-DRAFT"]
    budgets = _periods(_org(result.xml), "total-budget")
    assert budgets[("2025", "EUR")] == (Decimal("2567"), "1")  # 1568 + the draft's 999


def test_file_is_schema_valid_and_no_period_is_longer_than_a_year(
    hub_record: Session, shared_data: Path
) -> None:
    xml = export_organisation(session=hub_record).xml
    assert org_schema_errors(xml) == []  # the copy shipped in datasets/iati
    assert org_schema_errors(xml, shared_data / "iati-2.03") == []  # the upstream one
    org = _org(xml)
    elements = [e for e in org if e.find("period-start") is not None]
    assert len(elements) == 10
    for el in elements:
        start = dt.date.fromisoformat(el.find("period-start").get("iso-date", ""))  # type: ignore[union-attr]
        end = dt.date.fromisoformat(el.find("period-end").get("iso-date", ""))  # type: ignore[union-attr]
        assert start < end < start.replace(year=start.year + 1)


def test_schema_check_catches_a_broken_file(hub_record: Session) -> None:
    xml = export_organisation(session=hub_record).xml
    broken = xml.replace(b"<organisation-identifier>BAKU-HUB</organisation-identifier>", b"")
    assert any("organisation-identifier" in e for e in org_schema_errors(broken))
    with pytest.raises(InvalidInput, match=r"does not validate against the 2\.03 schema"):
        check_org_valid(broken)
    activities = b'<iati-activities version="2.03"/>'
    assert any("iati-activities" in e for e in org_schema_errors(activities))


def test_converted_file_uses_the_rate_table_and_names_its_source(hub_record: Session) -> None:
    with pytest.raises(InvalidInput, match=r"USD->EUR on or before 2025-01-01"):
        export_organisation(session=hub_record, published_only=True, currency="eur")
    rate = RateIn.model_validate(
        {
            "currency": "USD",
            "quote": "EUR",
            "rate": "0.9",
            "valid_on": "2024-12-31",
            "source": "ECB",
        }
    )
    add_rate(session=hub_record, data=rate, author="t")
    result = export_organisation(session=hub_record, published_only=True, currency="eur")
    org = _org(result.xml)
    assert org.get("default-currency") == "EUR"
    # 1568 EUR + 500 USD * 0.9
    assert _periods(org, "total-budget")[("2025", "EUR")] == (Decimal("2018"), "1")
    assert [r["source"] for r in result.rates_used] == ["ECB"]
    assert any("(source: ECB)" in n for n in result.notes)


def test_a_wrong_currency_is_named() -> None:
    with pytest.raises(InvalidInput, match=r"currency: 'EUROS' is not an ISO 4217"):
        export_organisation(session=None, currency="EUROS")  # type: ignore[arg-type]


def test_year_parts_add_up_exactly() -> None:
    parts = year_parts(dt.date(2024, 10, 1), dt.date(2025, 9, 30), Decimal("100"))
    assert parts == [(2024, Decimal("25.21")), (2025, Decimal("74.79"))]  # 92 / 365 days
    assert sum(p for _, p in parts) == Decimal("100")


def test_demo_record_gives_a_valid_file_of_the_hubs_projects(session: Session) -> None:
    seed_demo(session=session, author="t")
    result = export_organisation(session=session, published_only=True)
    assert org_schema_errors(result.xml) == []
    assert result.projects == ["BAKU-HUB-PILOT-GNB", "BAKU-HUB-PILOT-IRQ", "BAKU-HUB-PILOT-TCD"]
    assert _org(result.xml).findtext("name/narrative") == "Baku Climate and Peace Action Hub"


def _rules() -> Any:
    """``bakuhub.iati.rules`` (the Standard's ruleset), or skip while it is not there."""
    try:
        rules = importlib.import_module("bakuhub.iati.rules")
    except ImportError:
        rules = None
    if not hasattr(rules, "check_organisations"):
        pytest.skip("bakuhub.iati.rules.check_organisations is not there yet")
    return rules


def _blocking(xml: bytes) -> list[str]:
    findings = _rules().check_organisations(xml)
    return [f"{f.severity}: {f.message}" for f in findings if f.severity in ("critical", "error")]


def test_demo_record_has_no_critical_or_error_finding(session: Session) -> None:
    _rules()  # skip before seeding while the rules are not there
    seed_demo(session=session, author="t")
    assert _blocking(export_organisation(session=session, published_only=True).xml) == []


def test_budgets_file_has_no_critical_or_error_finding(hub_record: Session) -> None:
    xml = export_organisation(session=hub_record).xml
    assert _blocking(xml) == []
    broken = xml.replace(b'iso-date="2026-12-31"', b'iso-date="2027-06-30"', 1)
    assert _blocking(broken), "a period of 18 months is an error (rule 7.5.3)"


def test_api_public_and_staff_files(
    hub_record: Session, client_as: Callable[..., TestClient]
) -> None:
    url = "/api/v1/iati/organisation.xml"
    public = client_as(None).get(url)
    assert public.status_code == 200, public.text
    assert public.headers["content-type"].startswith("application/xml")
    assert public.headers["x-bakuhub-projects"] == "2"
    budgets = _periods(_org(public.content), "total-budget")
    assert budgets[("2025", "EUR")] == (Decimal("1568"), "1")  # not the draft's 999
    staff = client_as("secretariat").get(url)
    assert staff.headers["x-bakuhub-projects"] == "3"
    bad = client_as(None).get(url, params={"currency": "XYZ"})
    assert bad.status_code == 422
    assert "'XYZ' is not an ISO 4217 currency code" in bad.text
