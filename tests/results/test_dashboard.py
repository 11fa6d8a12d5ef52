"""Dashboards of a country and of a funder: projects, results against targets and money
in one currency, with hand-computed figures (``bakuhub.results.dashboard``)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from bakuhub.errors import InvalidInput, NotFound
from bakuhub.results import dashboard
from bakuhub.results.finance import add_budget, add_rate, add_transaction, totals
from bakuhub.results.schemas import BudgetIn, RateIn, ResultIn, TransactionIn, TransitionIn
from bakuhub.results.service import add_result, move_period

from .conftest import make_parties, make_project

SOURCE = "https://example.org/rates (hand-made test table)"


def _rate(session: Session, cur: str, quote: str, rate: str, on: str) -> None:
    data = {"currency": cur, "quote": quote, "rate": rate, "valid_on": on, "source": SOURCE}
    add_rate(session=session, data=RateIn.model_validate(data), author="t")


def _tx(session: Session, project: str, **raw: Any) -> None:
    data = TransactionIn.model_validate(raw)
    add_transaction(session=session, project_ref=project, data=data, author="t")


def _budget(session: Session, project: str, value: str, currency: str) -> None:
    raw = {"period_start": "2025-01-01", "period_end": "2025-12-31"}
    data = BudgetIn.model_validate({**raw, "value": value, "currency": currency})
    add_budget(session=session, project_ref=project, data=data, author="t")


def _result(session: Session, project: str, target: float, actual: float) -> int:
    """A result with one count indicator and one period; the period's id."""
    period = {"start": "2025-01-01", "end": "2025-12-31", "target": target, "actual": actual}
    indicator = {"title": f"People reached by {project}", "unit": "people", "periods": [period]}
    body = {"kind": "output", "title": f"Output of {project}", "indicators": [indicator]}
    made = add_result(
        session=session, project_ref=project, data=ResultIn.model_validate(body), author="t"
    )
    return int(made["indicators"][0]["periods"][0]["id"])


def _approve(session: Session, period_id: int) -> None:
    for version, to in ((1, "submitted"), (2, "approved")):
        move = TransitionIn.model_validate({"to": to, "version": version})
        move_period(session=session, period_id=period_id, data=move, author="t")


@pytest.fixture
def books(session: Session) -> Session:
    """X (TCD 60 %, AZE 40 %; funded by GCF), Y (TCD; funded by GCF and IOM), a draft Z
    (TCD); USD->EUR at 0.9 from 2025-01-01; values in EUR and USD."""
    make_parties(session)
    make_project(
        session,
        "X",
        countries=[{"country": "TCD", "share": 60}, {"country": "AZE", "share": 40}],
        organisations=[
            {"party": "GCF", "role": "funding"},
            {"party": "IOM", "role": "implementing"},
        ],
    )
    make_project(
        session,
        "Y",
        countries=[{"country": "TCD", "share": 100}],
        organisations=[{"party": "GCF", "role": "funding"}, {"party": "IOM", "role": "funding"}],
    )
    make_project(session, "Z", published=False, countries=[{"country": "TCD", "share": 100}])
    _rate(session, "USD", "EUR", "0.9", "2025-01-01")
    _budget(session, "X", "1000", "EUR")
    _budget(session, "Y", "2000", "USD")  # 1800 EUR, half GCF's
    _tx(session, "X", kind="commitment", date="2025-03-01", value="1000", currency="USD",
        provider={"party": "GCF"})  # fmt: skip
    _tx(session, "X", kind="disbursement", date="2025-04-01", value="500", currency="EUR",
        provider={"party": "GCF"})  # fmt: skip
    _tx(session, "X", kind="expenditure", date="2025-05-01", value="200", currency="EUR",
        provider={"party": "IOM"})  # fmt: skip
    _tx(session, "Y", kind="commitment", date="2025-03-01", value="300", currency="EUR",
        provider={"party": "IOM"})  # fmt: skip
    _tx(session, "Z", kind="commitment", date="2025-03-01", value="7000", currency="EUR",
        provider={"party": "GCF"})  # fmt: skip
    return session


def test_a_country_gets_its_share_of_each_project_as_finance_totals_do(books: Session) -> None:
    dash = dashboard.country_dashboard(
        session=books, iso3="tcd", currency="EUR", published_only=True
    )
    assert dash["name"] == "Chad"
    assert [p["ref"] for p in dash["projects"]] == ["X", "Y"]  # the draft Z left out
    assert [p["share"] for p in dash["projects"]] == [60.0, 100.0]
    rows = {r["project"]: r for r in dash["money"]["rows"]}
    # X: 60 % of 1000 EUR budget, of 1000 USD * 0.9 committed, of 500 EUR disbursed
    assert rows["X"]["budget"] == Decimal("600.00")
    assert rows["X"]["commitment"] == Decimal("540.00")
    assert rows["X"]["disbursement"] == Decimal("300.00")
    assert rows["X"]["expenditure"] == Decimal("120.00")
    assert rows["Y"]["budget"] == Decimal("1800.00")
    total = dash["money"]["total"]
    assert total["commitment"] == Decimal("840.00") and total["incomplete"] == []
    group = next(
        g
        for g in totals(session=books, by="country", currency="EUR", published_only=True)["groups"]
        if g["key"] == "TCD"
    )
    for column in ("budget", "commitment", "disbursement", "expenditure"):
        assert total[column] == group[column], column
    assert [(r["currency"], r["quote"], r["source"]) for r in dash["money"]["rates_used"]] == [
        ("USD", "EUR", SOURCE)
    ]
    signed_in = dashboard.country_dashboard(session=books, iso3="TCD", currency="EUR")
    assert [p["ref"] for p in signed_in["projects"]] == ["X", "Y", "Z"]
    assert signed_in["money"]["total"]["commitment"] == Decimal("7840.00")


def test_a_funder_sees_what_it_provided_its_budget_part_and_what_was_spent(
    books: Session,
) -> None:
    dash = dashboard.funder_dashboard(
        session=books, party_ref="GCF", currency="EUR", published_only=True
    )
    assert dash["name"] == "Green Climate Fund"
    assert [(p["ref"], p["roles"]) for p in dash["projects"]] == [
        ("X", ["funding organisation", "provider of transactions"]),
        ("Y", ["funding organisation"]),
    ]
    rows = {r["project"]: r for r in dash["money"]["rows"]}
    assert rows["X"]["commitment"] == Decimal("900.00")  # 1000 USD at 0.9, provided by GCF
    assert rows["X"]["disbursement"] == Decimal("500.00")
    assert rows["X"]["expenditure"] == Decimal("200.00")  # spent by IOM: all sources
    assert rows["X"]["budget"] == Decimal("1000.00")
    assert rows["Y"]["budget"] == Decimal("900.00")  # half of 1800 EUR: two funders
    assert rows["Y"]["commitment"] == Decimal("0.00")  # IOM's commitment is not GCF's
    funder = next(
        g
        for g in totals(session=books, by="funder", currency="EUR", published_only=True)["groups"]
        if g["key"] == "GCF"
    )
    for column in ("commitment", "disbursement"):
        assert dash["money"]["total"][column] == funder[column], column
    iom = dashboard.funder_dashboard(session=books, party_ref="IOM", currency="EUR")
    assert [p["ref"] for p in iom["projects"]] == ["X", "Y"]  # provider of X's expenditure
    assert iom["projects"][0]["roles"] == ["provider of transactions"]


def test_a_missing_rate_leaves_out_only_its_values_and_is_named(books: Session) -> None:
    _tx(books, "X", kind="commitment", date="2024-06-01", value="100", currency="GBP",
        provider={"party": "GCF"})  # fmt: skip
    _tx(books, "X", kind="commitment", date="2025-06-01", value="50", currency="GBP",
        provider={"party": "GCF"})  # fmt: skip
    with pytest.raises(InvalidInput):
        totals(session=books, by="country", currency="EUR")  # finance gives up on all of it
    dash = dashboard.country_dashboard(
        session=books, iso3="TCD", currency="EUR", published_only=True
    )
    money = dash["money"]
    assert money["missing"] == [
        {"currency": "GBP", "quote": "EUR", "on_or_before": dash_date("2024-06-01")}
    ]
    assert money["left_out"] == [{"currency": "GBP", "value": Decimal("90.00")}]  # 60 % of 150
    rows = {r["project"]: r for r in money["rows"]}
    assert rows["X"]["commitment"] == Decimal("540.00")  # the USD commitment, converted
    assert rows["X"]["incomplete"] == ["commitment"]
    assert rows["Y"]["incomplete"] == []
    assert money["total"]["incomplete"] == ["commitment"]
    assert money["total"]["commitment"] == Decimal("840.00")
    assert money["total"]["disbursement"] == Decimal("300.00")  # still computed


def dash_date(text: str) -> Any:
    """A date as the dashboard gives it."""
    import datetime as dt

    return dt.date.fromisoformat(text)


def test_results_against_targets_use_the_rollup_status_and_the_public_sees_approved_only(
    books: Session,
) -> None:
    on_track = _result(books, "X", target=100, actual=95)
    _approve(books, on_track)
    _result(books, "Y", target=200, actual=100)  # draft: 50 % of the way, off track
    _result(books, "Z", target=10, actual=10)  # a draft project
    public = dashboard.country_dashboard(session=books, iso3="TCD", published_only=True)
    assert [(r["project"], r["progress"], r["status"]) for r in public["results"]] == [
        ("X", 95.0, "on-track")
    ]
    assert public["status_counts"]["on-track"] == 1
    staff = dashboard.country_dashboard(session=books, iso3="TCD")
    assert [(r["project"], r["status"], r["state"]) for r in staff["results"]] == [
        ("X", "on-track", "approved"),
        ("Y", "off-track", "draft"),
        ("Z", "on-track", "draft"),
    ]
    assert staff["status_counts"] == {"on-track": 2, "at-risk": 0, "off-track": 1, "no-data": 0}


def test_the_index_lists_countries_with_projects_and_funders(books: Session) -> None:
    _tx(books, "Y", kind="disbursement", date="2025-03-01", value="5", currency="EUR",
        provider={"ref": "XM-DAC-47066"})  # IOM by its IATI id, not linked  # fmt: skip
    public = dashboard.dashboard_index(session=books, published_only=True)
    assert public["countries"] == [
        {"iso3": "TCD", "name": "Chad", "projects": 2},
        {"iso3": "AZE", "name": "Azerbaijan", "projects": 1},
    ]
    assert [(f["ref"], f["projects"]) for f in public["funders"]] == [("GCF", 2), ("IOM", 2)]
    staff = dashboard.dashboard_index(session=books)
    assert staff["countries"][0] == {"iso3": "TCD", "name": "Chad", "projects": 3}
    assert ("GCF", 3) in [(f["ref"], f["projects"]) for f in staff["funders"]]


def test_unknown_country_funder_and_currency_are_refused_in_words(books: Session) -> None:
    with pytest.raises(NotFound, match="no country with ISO 3166 code 'XYZ'"):
        dashboard.country_dashboard(session=books, iso3="XYZ")
    with pytest.raises(NotFound, match="no party with ref 'NOPE'"):
        dashboard.funder_dashboard(session=books, party_ref="NOPE")
    with pytest.raises(InvalidInput, match="type three letters"):
        dashboard.check_currency("dollars")
    assert dashboard.check_currency(" eur ") == "EUR"


def test_csv_tables_neutralise_formula_cells(books: Session) -> None:
    make_project(
        books,
        "EVIL",
        title='=HYPERLINK("http://evil.example","click")',
        countries=[{"country": "TCD", "share": 100}],
    )
    dash = dashboard.country_dashboard(session=books, iso3="TCD", currency="EUR")
    rows = list(csv.DictReader(io.StringIO(dashboard.table_csv(dash, "projects"))))
    evil = next(r for r in rows if r["ref"] == "EVIL")
    assert evil["title"] == '\'=HYPERLINK("http://evil.example","click")'
    money = list(csv.DictReader(io.StringIO(dashboard.table_csv(dash, "money"))))
    assert next(r for r in money if r["project"] == "X")["commitment"] == "540.00"
    rates = list(csv.DictReader(io.StringIO(dashboard.table_csv(dash, "rates"))))
    assert rates == [
        {
            "currency": "USD",
            "quote": "EUR",
            "rate": "0.9000000000",
            "valid_on": "2025-01-01",
            "source": SOURCE,
        }
    ]
    with pytest.raises(NotFound):
        dashboard.table_csv(dash, "secrets")
