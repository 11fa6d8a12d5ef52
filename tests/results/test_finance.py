"""Finance totals in one currency with the user's dated rates (hand-computed)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from bakuhub.errors import Conflict, InvalidInput
from bakuhub.results.finance import add_budget, add_rate, add_transaction, totals
from bakuhub.results.schemas import BudgetIn, RateIn, TransactionIn

from .conftest import make_agreement, make_parties, make_project

SOURCE = "Test table, hand-made"


def _rate(session: Session, cur: str, quote: str, rate: str, on: str) -> None:
    data = RateIn.model_validate(
        {"currency": cur, "quote": quote, "rate": rate, "valid_on": on, "source": SOURCE}
    )
    add_rate(session=session, data=data, author="t")


def _tx(session: Session, project: str, **raw: Any) -> None:
    add_transaction(
        session=session, project_ref=project, data=TransactionIn.model_validate(raw), author="t"
    )


@pytest.fixture
def books(session: Session) -> Session:
    make_parties(session)
    make_agreement(session, "agr-1")
    make_project(
        session,
        "X",
        agreement="agr-1",
        countries=[{"country": "TCD", "share": 60}, {"country": "AZE", "share": 40}],
        organisations=[
            {"party": "GCF", "role": "funding"},
            {"party": "IOM", "role": "implementing"},
        ],
    )
    make_project(session, "Y", countries=[{"country": "TCD", "share": 100}])
    _rate(session, "USD", "EUR", "0.9", "2025-01-01")
    _rate(session, "USD", "EUR", "0.8", "2025-06-01")
    _rate(session, "EUR", "GBP", "0.85", "2025-01-01")
    budget = BudgetIn.model_validate(
        {
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "value": "1000",
            "currency": "EUR",
        }
    )
    add_budget(session=session, project_ref="X", data=budget, author="t")
    # 1000 USD at 0.9 = 900 EUR; 500 USD after June at 0.8 = 400 EUR; 850 GBP / 0.85 = 1000 EUR
    _tx(
        session,
        "X",
        kind="commitment",
        date="2025-03-01",
        value="1000",
        currency="USD",
        provider={"party": "IOM"},
    )
    _tx(
        session,
        "X",
        kind="disbursement",
        date="2025-07-01",
        value="500",
        currency="USD",
        provider={"party": "IOM"},
    )
    _tx(
        session,
        "X",
        kind="incoming-funds",
        date="2025-02-01",
        value="850",
        currency="GBP",
        provider={"party": "GCF"},
    )
    _tx(session, "Y", kind="expenditure", date="2025-02-01", value="100", currency="EUR")
    return session


def _groups(out: dict[str, Any]) -> dict[str, dict[str, Decimal]]:
    return {g["key"]: {k: v for k, v in g.items() if k != "key" and v} for g in out["groups"]}


def test_totals_per_project_in_euro(books: Session) -> None:
    out = totals(session=books, by="project", currency="EUR")
    assert _groups(out) == {
        "X": {"budget": 1000, "commitment": 900, "disbursement": 400, "incoming-funds": 1000},
        "Y": {"expenditure": 100},
    }
    assert {(r["currency"], r["quote"], str(r["valid_on"])) for r in out["rates_used"]} == {
        ("USD", "EUR", "2025-01-01"),
        ("USD", "EUR", "2025-06-01"),
        ("EUR", "GBP", "2025-01-01"),
    }
    assert all(r["source"] == SOURCE for r in out["rates_used"])


def test_totals_per_country_agreement_and_funder(books: Session) -> None:
    countries = _groups(totals(session=books, by="country", currency="EUR"))
    assert countries == {
        "TCD": {
            "budget": 600,
            "commitment": 540,
            "disbursement": 240,
            "incoming-funds": 600,
            "expenditure": 100,
        },
        "AZE": {"budget": 400, "commitment": 360, "disbursement": 160, "incoming-funds": 400},
    }
    agreements = _groups(totals(session=books, by="agreement", currency="EUR"))
    assert agreements["agr-1"]["commitment"] == 900
    assert agreements["(no agreement)"] == {"expenditure": 100}
    funders = _groups(totals(session=books, by="funder", currency="EUR"))
    assert funders == {
        "GCF": {"budget": 1000, "incoming-funds": 1000},
        "IOM": {"commitment": 900, "disbursement": 400},
        "(no provider)": {"expenditure": 100},
    }
    # in pounds: rates are not chained through a third currency, USD->GBP is missing
    with pytest.raises(InvalidInput, match="USD->GBP on or before 2025-03-01"):
        totals(session=books, by="project", currency="GBP")
    _rate(books, "USD", "GBP", "0.75", "2025-01-01")
    pounds = _groups(totals(session=books, by="project", currency="GBP"))
    # 1000 EUR * 0.85 = 850; 1000 USD * 0.75 = 750; 850 GBP stays 850
    assert pounds["X"] == {
        "budget": 850,
        "commitment": 750,
        "disbursement": 375,
        "incoming-funds": 850,
    }


def test_a_missing_rate_refuses_the_total(books: Session) -> None:
    _tx(books, "Y", kind="expenditure", date="2025-03-01", value="5000", currency="JPY")
    _tx(books, "Y", kind="expenditure", date="2024-12-01", value="10", currency="USD")
    with pytest.raises(InvalidInput) as refused:
        totals(session=books, by="project", currency="EUR")
    message = refused.value.message
    assert "JPY->EUR on or before 2025-03-01" in message
    assert "USD->EUR on or before 2024-12-01" in message  # rates are dated: none before 2025
    assert "never mix currencies" in message


def test_rates_are_cited_and_unique_per_date(books: Session) -> None:
    with pytest.raises(Conflict, match="already exists"):
        _rate(books, "USD", "EUR", "0.95", "2025-01-01")
    with pytest.raises(ValueError, match="source"):
        RateIn.model_validate(
            {"currency": "USD", "quote": "EUR", "rate": "1", "valid_on": "2025-01-01"}
        )
    with pytest.raises(ValueError, match="ISO 4217"):
        RateIn.model_validate(
            {
                "currency": "USX",
                "quote": "EUR",
                "rate": "1",
                "valid_on": "2025-01-01",
                "source": "x",
            }
        )
