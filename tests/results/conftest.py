"""Fixtures of the results tests: a small record built through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from bakuhub.registry.catalog import AGREEMENTS, PARTIES, PROJECTS
from bakuhub.registry.service import create_record
from bakuhub.results.finance import add_budget, add_transaction
from bakuhub.results.profile import set_profile
from bakuhub.results.schemas import BudgetIn, ProfileIn, ResultIn, TransactionIn
from bakuhub.results.service import add_result


def make_parties(session: Session) -> None:
    """Two organisations (one with an IATI id) and two countries."""
    for raw in (
        {
            "kind": "organisation",
            "ref": "IOM",
            "name": "International Organization for Migration",
            "org_type": "40",
            "iati_ref": "XM-DAC-47066",
        },
        {"kind": "organisation", "ref": "GCF", "name": "Green Climate Fund", "org_type": "40"},
        {"kind": "country", "iso3": "TCD"},
        {"kind": "country", "iso3": "AZE"},
    ):
        create_record(
            session=session, resource=PARTIES, data=PARTIES.create.model_validate(raw), author="t"
        )


def make_agreement(session: Session, ref: str, parent: str | None = None) -> None:
    raw = {"ref": ref, "title": f"Agreement {ref}", "kind": "agreement", "signed": "2024-11-13"}
    if parent:
        raw.update(kind="implementation-programme", parent=parent)
    create_record(
        session=session, resource=AGREEMENTS, data=AGREEMENTS.create.model_validate(raw), author="t"
    )


def make_project(session: Session, ref: str, **extra: Any) -> None:
    raw: dict[str, Any] = {"ref": ref, "title": f"Project {ref}", "status": "2"}
    raw.update(extra)
    create_record(
        session=session, resource=PROJECTS, data=PROJECTS.create.model_validate(raw), author="t"
    )


def count_indicator(code: str, periods: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "kind": "outcome",
        "title": f"Result measured by {code}",
        "indicators": [
            {
                "code": code,
                "title": f"Indicator {code}",
                "measure": "unit",
                "unit": "people",
                "periods": periods,
                **extra,
            }
        ],
    }


FULL_RESULT: dict[str, Any] = {
    "kind": "outcome",
    "title": "Displaced households are more resilient to drought",
    "description": "Households in camps and host communities.",
    "indicators": [
        {
            "code": "HUB-PEOPLE-REACHED",
            "title": "People reached by climate-resilient livelihoods support",
            "description": "Unique people, counted once.",
            "measure": "unit",
            "unit": "people",
            "ascending": True,
            "baseline_year": 2024,
            "baseline_value": 0,
            "baseline_comment": "No support before the project.",
            "periods": [
                {
                    "start": "2025-01-01",
                    "end": "2025-12-31",
                    "target": 1000,
                    "actual": 800,
                    "target_comment": "Year-one plan.",
                    "actual_comment": "Field reports.",
                    "evidence_url": "https://example.org/reports/2025.pdf",
                    "disaggregations": [
                        {"side": "target", "dimension": "sex", "category": "female", "value": 500},
                        {"side": "target", "dimension": "sex", "category": "male", "value": 500},
                        {"side": "actual", "dimension": "sex", "category": "female", "value": 450},
                        {"side": "actual", "dimension": "sex", "category": "male", "value": 350},
                        {
                            "side": "actual",
                            "dimension": "displacement",
                            "category": "idp",
                            "value": 600,
                        },
                        {
                            "side": "actual",
                            "dimension": "displacement",
                            "category": "host",
                            "value": 200,
                        },
                    ],
                },
                {"start": "2026-01-01", "end": "2026-12-31", "target": 1500},
            ],
        },
        {
            "code": "HUB-HOUSEHOLDS-WATER",
            "title": "Share of households with year-round water",
            "measure": "percentage",
            "unit": "%",
            "baseline_year": 2024,
            "baseline_value": 40,
            "periods": [
                {
                    "start": "2025-01-01",
                    "end": "2025-12-31",
                    "target": 60,
                    "actual": 50,
                    "weight": 300,
                },
            ],
        },
        {
            "title": "Community view of the early-warning system",
            "measure": "qualitative",
            "ascending": False,
            "include_in_rollup": False,
            "periods": [
                {
                    "start": "2025-01-01",
                    "end": "2025-12-31",
                    "target_comment": "Trusted by most villages.",
                    "actual_comment": "Trusted in 7 of 10 villages.",
                },
            ],
        },
    ],
}


def make_full_project(session: Session, ref: str = "FULL-1") -> None:
    """A project that uses every field results, finance and IATI export know."""
    make_project(
        session,
        ref,
        title="Climate-resilient livelihoods for displaced people in Chad",
        description="Livelihoods, water and early warning in eastern Chad.",
        agreement="prog-1",
        themes=["adaptation", "migration-displacement", "humanitarian"],
        planned_start="2025-01-01",
        actual_start="2025-02-15",
        planned_end="2027-12-31",
        actual_end="2027-11-30",
        latitude=13.8,
        longitude=20.8,
        countries=[{"country": "TCD", "share": 60}, {"country": "AZE", "share": 40}],
        organisations=[
            {"party": "IOM", "role": "implementing"},
            {"party": "GCF", "role": "funding"},
        ],
        milestones=[{"title": "Inception", "due": "2025-03-31"}],
    )
    set_profile(
        session=session,
        project_ref=ref,
        author="t",
        data=ProfileIn.model_validate(
            {
                "identifier": f"XM-DAC-47066-{ref}",
                "reporting_org_ref": "XM-DAC-47066",
                "reporting_org_type": "40",
                "reporting_org_name": "International Organization for Migration",
                "default_currency": "EUR",
                "default_lang": "en",
                "humanitarian": True,
                "titles": {"fr": "Moyens de subsistance résilients au Tchad"},
                "descriptions": {"fr": "Moyens de subsistance, eau et alerte précoce."},
                "sectors": [
                    {"vocabulary": "1", "code": "43072", "percentage": 60},
                    {"vocabulary": "1", "code": "14030", "percentage": 40},
                ],
                "policy_markers": [
                    {"marker": "adaptation", "significance": "2"},
                    {"marker": "mitigation", "significance": "0"},
                ],
                "humanitarian_scopes": [
                    {
                        "type": "2",
                        "vocabulary": "2-1",
                        "code": "HTCD24",
                        "narrative": "Chad Humanitarian Response Plan 2024",
                    },
                ],
            }
        ),
    )
    add_result(
        session=session, project_ref=ref, data=ResultIn.model_validate(FULL_RESULT), author="t"
    )
    for kind, status, value in (
        ("original", "indicative", "1200000"),
        ("revised", "committed", "1350000.50"),
    ):
        add_budget(
            session=session,
            project_ref=ref,
            data=BudgetIn(
                kind=kind,
                status=status,
                period_start=dt.date(2025, 1, 1),
                period_end=dt.date(2025, 12, 31),
                value=Decimal(value),
                currency="EUR",
            ),
            author="t",
        )
    transactions = [
        {
            "kind": "incoming-funds",
            "date": "2025-01-10",
            "value": "1000000",
            "currency": "EUR",
            "provider": {"party": "GCF"},
            "receiver": {"party": "IOM"},
            "ref": "GCF-TX-1",
            "description": "First tranche",
        },
        {
            "kind": "commitment",
            "date": "2025-01-20",
            "value": "900000",
            "currency": "EUR",
            "provider": {"party": "IOM"},
            "receiver": {
                "name": "Local NGO",
                "type": "24",
                "ref": "TD-NGO-1",
                "activity": "TD-NGO-1-A",
            },
        },
        {
            "kind": "disbursement",
            "date": "2025-03-01",
            "value": "400000",
            "currency": "USD",
            "value_date": "2025-02-28",
            "provider": {"party": "IOM"},
            "receiver": {"name": "Local NGO", "type": "24", "ref": "TD-NGO-1"},
        },
        {
            "kind": "expenditure",
            "date": "2025-06-30",
            "value": "120000.25",
            "currency": "EUR",
            "description": "Seeds and tools",
        },
    ]
    for raw in transactions:
        add_transaction(
            session=session,
            project_ref=ref,
            data=TransactionIn.model_validate(raw),
            author="t",
        )


@pytest.fixture
def record(session: Session) -> Session:
    """Parties, an agreement with a programme under it, and a full project."""
    make_parties(session)
    make_agreement(session, "agr-1")
    make_agreement(session, "prog-1", parent="agr-1")
    make_full_project(session)
    return session
