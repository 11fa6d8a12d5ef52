"""Budgets, transactions and exchange rates changed and removed: the version (or stamp)
check, validation as a whole, who may (API), the audit log, and totals that leave a
value without a rate out and name the rate."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from bakuhub import testing
from bakuhub.audit.service import list_entries
from bakuhub.errors import Conflict, InvalidInput, StaleVersion
from bakuhub.results import exchange, finance, finance_edit
from bakuhub.results.finance_schemas import BudgetUpdate, RateUpdate, TransactionUpdate
from bakuhub.results.schemas import BudgetIn, RateIn, TransactionIn

from .conftest import make_parties, make_project

API = "/api/v1"
BUDGET = {
    "period_start": "2025-01-01",
    "period_end": "2025-12-31",
    "value": "1000",
    "currency": "EUR",
}
TX = {"kind": "disbursement", "date": "2025-03-01", "value": "-100", "currency": "USD"}
RATE = {"currency": "USD", "quote": "EUR", "rate": "0.9", "valid_on": "2025-01-01", "source": "ECB"}


@pytest.fixture
def books(session: Session) -> Session:
    """Project X with a 1000 EUR budget and a mistaken -100 USD disbursement from IOM."""
    make_parties(session)
    make_project(session, "X")
    finance.add_budget(
        session=session, project_ref="X", data=BudgetIn.model_validate(BUDGET), author="t"
    )
    tx = {**TX, "provider": {"party": "IOM"}}
    finance.add_transaction(
        session=session, project_ref="X", data=TransactionIn.model_validate(tx), author="t"
    )
    return session


def _ids(session: Session) -> tuple[int, int]:
    money = finance.project_finance(session=session, project_ref="X")
    return money["budgets"][0]["id"], money["transactions"][0]["id"]


def test_a_budget_change_checks_the_version_and_is_audited(books: Session) -> None:
    budget_id, _ = _ids(books)
    change = BudgetUpdate.model_validate({"version": 1, "value": "1200", "status": "committed"})
    out = finance_edit.update_budget(
        session=books, budget_id=budget_id, data=change, author="amina"
    )
    assert (out["value"], out["status"], out["version"]) == (Decimal("1200"), "committed", 2)
    assert out["period_end"].isoformat() == "2025-12-31"  # fields not sent stay
    (entry,) = list_entries(session=books, actor="amina")
    assert (entry.action, entry.record_type, entry.record_ref) == (
        "update",
        "budgets",
        f"X/{budget_id}",
    )
    assert entry.before is not None and entry.before["value"] == "1000.0000"
    assert entry.after is not None and entry.after["status"] == "committed"
    with pytest.raises(StaleVersion, match="changed by someone else"):
        finance_edit.update_budget(session=books, budget_id=budget_id, data=change, author="bob")
    longer = BudgetUpdate.model_validate({"version": 2, "period_end": "2026-06-30"})
    with pytest.raises(InvalidInput, match="at most one year"):
        finance_edit.update_budget(session=books, budget_id=budget_id, data=longer, author="bob")
    stored = finance_edit.get_budget(session=books, budget_id=budget_id)
    assert (stored["value"], stored["version"]) == (Decimal("1200"), 2)  # refused: unchanged
    assert list_entries(session=books, actor="bob") == []


def test_a_mistaken_transaction_is_corrected_then_deleted(books: Session) -> None:
    _, tx_id = _ids(books)
    fix = {"version": 1, "value": "100", "provider": {"party": "GCF"}, "receiver": {"name": "Town"}}
    out = finance_edit.update_transaction(
        session=books, transaction_id=tx_id, data=TransactionUpdate.model_validate(fix), author="a"
    )
    assert out["value"] == Decimal("100") and out["version"] == 2
    assert out["provider"]["party"] == "GCF" and out["receiver"]["name"] == "Town"
    out = finance_edit.update_transaction(
        session=books,
        transaction_id=tx_id,
        data=TransactionUpdate.model_validate({"version": 2, "provider": None}),
        author="a",
    )
    assert out["provider"] is None and out["receiver"]["name"] == "Town"
    with pytest.raises(StaleVersion):
        finance_edit.delete_transaction(session=books, transaction_id=tx_id, version=1, author="a")
    finance_edit.delete_transaction(session=books, transaction_id=tx_id, version=3, author="a")
    assert finance.project_finance(session=books, project_ref="X")["transactions"] == []
    actions = [(e.action, e.record_type) for e in list_entries(session=books, actor="a")]
    assert actions == [("delete", "transactions"), *[("update", "transactions")] * 2]


def test_a_rate_change_needs_the_stamp_read_and_stays_unique(books: Session) -> None:
    usd = exchange.add_rate(session=books, data=RateIn.model_validate(RATE), author="sec")
    later = {**RATE, "valid_on": "2025-06-01", "rate": "0.8"}
    exchange.add_rate(session=books, data=RateIn.model_validate(later), author="sec")
    moved = RateUpdate.model_validate({"stamp": usd["stamp"], "valid_on": "2025-06-01"})
    with pytest.raises(Conflict, match="already exists"):
        exchange.update_rate(session=books, rate_id=usd["id"], data=moved, author="sec")
    fixed = RateUpdate.model_validate({"stamp": usd["stamp"], "rate": "0.92", "source": "ECB 2"})
    out = exchange.update_rate(session=books, rate_id=usd["id"], data=fixed, author="sec")
    assert (out["rate"], out["source"]) == (Decimal("0.92"), "ECB 2")
    assert out["stamp"] != usd["stamp"]
    with pytest.raises(StaleVersion):
        exchange.update_rate(session=books, rate_id=usd["id"], data=fixed, author="sec")
    with pytest.raises(StaleVersion):
        exchange.delete_rate(session=books, rate_id=usd["id"], stamp=usd["stamp"], author="sec")
    exchange.delete_rate(session=books, rate_id=usd["id"], stamp=out["stamp"], author="sec")
    entries = list_entries(session=books, actor="sec", record_type="exchange-rates")
    assert [e.action for e in entries] == ["delete", "update", "create", "create"]


def test_partial_totals_leave_out_what_has_no_rate_and_name_it(books: Session) -> None:
    with pytest.raises(InvalidInput, match="/exchange-rates"):
        finance.totals(session=books, by="project", currency="EUR")
    out = finance.totals(session=books, by="project", currency="EUR", partial=True)
    assert out["groups"][0]["budget"] == Decimal("1000.00")  # EUR: no rate needed
    assert out["groups"][0]["disbursement"] == 0
    assert out["missing"] == [
        {
            "currency": "USD",
            "quote": "EUR",
            "on_or_before": out["missing"][0]["on_or_before"],
            "values": 1,
            "amount": Decimal("-100"),
        }
    ]
    assert out["missing"][0]["on_or_before"].isoformat() == "2025-03-01"
    exchange.add_rate(session=books, data=RateIn.model_validate(RATE), author="sec")
    done = finance.totals(session=books, by="project", currency="EUR", partial=True)
    assert done["missing"] == [] and done["groups"][0]["disbursement"] == Decimal("-90.00")
    assert [r["source"] for r in done["rates_used"]] == ["ECB"]


# ---- the API ---------------------------------------------------------------------------


@pytest.fixture
def tcd(client: TestClient) -> dict[str, Any]:
    """The world of the web tests, with a budget and a transaction on Chad's project."""
    testing.make_world(client)
    budget = client.post(f"{API}/projects/P-TCD/budgets", json=BUDGET)
    tx = client.post(f"{API}/projects/P-TCD/transactions", json=TX)
    assert budget.status_code == tx.status_code == 201, (budget.text, tx.text)
    return {"budget": budget.json(), "transaction": tx.json()}


def test_focal_points_change_their_partys_finance_through_the_api(
    tcd: dict[str, Any], client_as: Callable[..., TestClient], anon_client: TestClient
) -> None:
    chad = client_as("focal_point", party="TCD", username="amina")
    gnb = client_as("focal_point", party="GNB", username="joao")
    viewer = client_as("viewer", username="vera")
    url = f"{API}/budgets/{tcd['budget']['id']}"
    change = {"version": 1, "value": "1500"}
    assert anon_client.patch(url, json=change).status_code == 401
    assert viewer.patch(url, json=change).status_code == 403
    refused = gnb.patch(url, json=change)
    assert refused.status_code == 403 and "GNB" in refused.json()["detail"]
    done = chad.patch(url, json=change)
    assert done.status_code == 200, done.text
    assert Decimal(done.json()["value"]) == 1500 and done.json()["version"] == 2
    stale = chad.patch(url, json=change)
    assert stale.status_code == 409 and "version 2" in stale.json()["detail"]
    bad = chad.patch(url, json={"version": 2, "value": "-5", "currency": "EURO"})
    assert bad.status_code == 422
    assert {e["loc"][-1] for e in bad.json()["errors"]} >= {"value", "currency"}
    tx_url = f"{API}/transactions/{tcd['transaction']['id']}"
    assert gnb.delete(tx_url, params={"version": 1}).status_code == 403
    assert chad.delete(tx_url, params={"version": 9}).status_code == 409
    assert chad.delete(tx_url, params={"version": 1}).status_code == 204
    assert chad.get(tx_url).status_code == 404
    assert anon_client.get(url).json()["version"] == 2  # the public reads a published project


def test_only_the_secretariat_changes_exchange_rates_through_the_api(
    tcd: dict[str, Any], client: TestClient, client_as: Callable[..., TestClient]
) -> None:
    rate = client.post(f"{API}/exchange-rates", json=RATE).json()
    chad = client_as("focal_point", party="TCD", username="amina")
    sec = client_as("secretariat", username="sara")
    url = f"{API}/exchange-rates/{rate['id']}"
    assert chad.patch(url, json={"rate": "1"}).status_code == 403
    assert chad.delete(url).status_code == 403
    changed = sec.patch(url, json={"stamp": rate["stamp"], "rate": "0.95"})
    assert changed.status_code == 200 and Decimal(changed.json()["rate"]) == Decimal("0.95")
    assert sec.patch(url, json={"stamp": rate["stamp"], "rate": "0.9"}).status_code == 409
    totals = client.get(f"{API}/finance/totals", params={"currency": "EUR"}).json()
    assert totals["groups"][0]["disbursement"] == "-95.00"
    assert sec.delete(url, params={"stamp": changed.json()["stamp"]}).status_code == 204
    assert client.get(f"{API}/exchange-rates").json() == []
