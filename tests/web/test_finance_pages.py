"""The finance pages as a browser uses them (cookie sessions, CSRF tokens): budgets and
transactions added, corrected and deleted by the project's focal point, every mistake
at once beside its field, stale forms refused; the exchange-rate table kept by the
secretariat; converted totals with their rates, and a missing rate named to the right
people instead of replacing the home page's figures."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from web_helpers import API, csrf_of, form_values

from bakuhub.audit.service import list_entries

TX = {"kind": "commitment", "date": "2025-02-01", "value": "250", "currency": "USD"}
RATE = {"currency": "EUR", "quote": "USD", "rate": "1.1", "valid_on": "2025-01-01"}


def _submit(
    web: TestClient, url: str, form_url: str | None = None, **fields: str
) -> httpx.Response:
    """Open the form at ``form_url`` (default ``url``), change ``fields``, send it."""
    page = web.get(form_url or url)
    assert page.status_code == 200, page.text
    data: dict[str, Any] = {k: v[0] for k, v in form_values(page.text).items()}
    data.update(fields, csrf_token=csrf_of(page.text))
    return web.post(url, data=data, follow_redirects=False)


def _error(html: str, name: str) -> str:
    """The error shown beside input ``name`` (its id is in the input's aria-describedby)."""
    found = re.search(rf'<p class="error" id="err-{name}">([^<]*)</p>', html)
    assert found, f"no error beside {name}"
    assert re.search(rf'id="f-{name}"[^>]*aria-describedby="err-{name}', html)
    return found.group(1)


@pytest.fixture
def chad(world: TestClient, browser_as: Callable[..., TestClient]) -> TestClient:
    """Chad's focal point, signed in through the form, with a commitment on P-TCD."""
    assert world.post(f"{API}/projects/P-TCD/transactions", json=TX).status_code == 201
    return browser_as("focal_point", party="TCD", username="amina")


def test_a_focal_point_adds_a_budget_with_every_mistake_shown_at_once(
    chad: TestClient, session: Session
) -> None:
    page = chad.get("/projects/P-TCD").text
    assert 'href="/projects/P-TCD/budgets/new"' in page
    refused = _submit(
        chad,
        "/projects/P-TCD/budgets/new",
        period_start="",
        period_end="2025-12-31",
        value="12,5",
        currency="EURO",
    )
    assert refused.status_code == 422
    html = refused.text
    assert "Enter the period start" in _error(html, "period_start")
    assert "dot for decimals" in _error(html, "value")
    assert "not an ISO 4217 currency code" in _error(html, "currency")
    assert 'value="12,5"' in html and 'value="EURO"' in html  # what was typed is kept
    assert "these 3 fields" in html
    wrong_way = _submit(
        chad,
        "/projects/P-TCD/budgets/new",
        period_start="2025-12-31",
        period_end="2025-01-01",
        value="5000",
        currency="eur",
    )
    assert "ends before it starts" in _error(wrong_way.text, "period_end")
    added = _submit(
        chad,
        "/projects/P-TCD/budgets/new",
        period_start="2025-01-01",
        period_end="2025-12-31",
        value="5000",
        currency="eur",
    )
    assert added.status_code == 303
    shown = chad.get(added.headers["location"]).text
    assert "The budget was added." in shown
    assert re.search(r"Jan 1, 2025 to Dec 31, 2025</td><td class=\"num\">€5,000.00", shown)
    (entry,) = list_entries(session=session, actor="amina", record_type="budgets")
    assert entry.action == "create"


def test_a_transaction_is_corrected_and_a_stale_form_refused(
    chad: TestClient, world: TestClient
) -> None:
    tx = world.get(f"{API}/projects/P-TCD/finance").json()["transactions"][0]
    edit = f"/projects/P-TCD/transactions/{tx['id']}/edit"
    form = chad.get(edit).text
    assert '<option value="IOM">' in form  # providers are picked, not typed as codes
    version = re.search(r'name="version" value="(\d+)"', form)
    assert version and version.group(1) == "1"
    # someone else changes it meanwhile
    assert world.patch(
        f"{API}/transactions/{tx['id']}", json={"version": 1, "value": "260"}
    ).is_success
    stale = _submit(chad, edit, form_url=None, value="-100", version="1")
    assert stale.status_code == 422
    assert "changed by someone else" in stale.text and 'value="-100"' in stale.text
    assert f'href="{edit}"' in stale.text  # a link to the current version
    saved = _submit(chad, edit, value="275", provider_party="IOM", description="Tranche 1")
    assert saved.status_code == 303
    after = world.get(f"{API}/transactions/{tx['id']}").json()
    assert (after["value"], after["provider"]["party"], after["version"]) == ("275.0000", "IOM", 3)
    gone = _submit(chad, f"/projects/P-TCD/transactions/{tx['id']}/delete")
    assert gone.status_code == 303
    assert "The transaction was deleted." in chad.get(gone.headers["location"]).text
    assert world.get(f"{API}/transactions/{tx['id']}").status_code == 404


def test_who_may_open_the_finance_forms(
    chad: TestClient, browser_as: Callable[..., TestClient], anon_client: TestClient
) -> None:
    gnb = browser_as("focal_point", party="GNB", username="joao")
    viewer = browser_as("viewer", username="vera")
    for web in (gnb, viewer):
        assert web.get("/projects/P-TCD/transactions/new").status_code == 403
        assert "/transactions/new" not in web.get("/projects/P-TCD").text
    asked = anon_client.get("/projects/P-TCD/budgets/new", follow_redirects=False)
    assert asked.headers["location"] == "/login?next=/projects/P-TCD/budgets/new"
    public = anon_client.get("/projects/P-TCD").text
    assert "$250.00" in public and "/edit" not in public
    assert chad.get("/exchange-rates/new").status_code == 403
    assert chad.get("/projects/P-GNB/budgets/new").status_code == 403


def test_the_secretariat_keeps_the_rate_table_in_the_browser(
    world: TestClient, browser_as: Callable[..., TestClient], anon_client: TestClient
) -> None:
    sec = browser_as("secretariat", username="sara")
    source = "https://data.ecb.europa.eu/rates"
    added = _submit(sec, "/exchange-rates/new", **RATE, source=source)
    assert added.status_code == 303
    table = anon_client.get("/exchange-rates").text
    assert "EUR → USD" in table and f'href="{source}"' in table and "Jan 1, 2025" in table
    assert "/exchange-rates/new" not in table  # the public reads it only
    twice = _submit(sec, "/exchange-rates/new", **RATE, source="again")
    assert twice.status_code == 422
    assert "already starts that day" in _error(twice.text, "valid_on")
    same = _submit(
        sec, "/exchange-rates/new", **{**RATE, "quote": "EUR", "valid_on": "2025-02-01"}, source="x"
    )
    assert "two different currencies" in _error(same.text, "quote")
    rate = world.get(f"{API}/exchange-rates").json()[0]
    edited = _submit(sec, f"/exchange-rates/{rate['id']}/edit", rate="1.09")
    assert edited.status_code == 303
    assert world.get(f"{API}/exchange-rates/{rate['id']}").json()["rate"].startswith("1.09")
    deleted = _submit(sec, f"/exchange-rates/{rate['id']}/delete")
    assert deleted.status_code == 303 and world.get(f"{API}/exchange-rates").json() == []


def test_a_missing_rate_is_named_to_the_right_people_and_the_totals_stay(
    chad: TestClient,
    world: TestClient,
    browser_as: Callable[..., TestClient],
    anon_client: TestClient,
) -> None:
    xof = {**TX, "value": "1000", "currency": "XOF", "date": "2025-03-15"}
    assert world.post(f"{API}/projects/P-TCD/transactions", json=xof).status_code == 201
    eur = {**TX, "value": "100", "currency": "EUR"}
    assert world.post(f"{API}/projects/P-GNB/transactions", json=eur).status_code == 201
    assert world.post(f"{API}/exchange-rates", json={**RATE, "source": "ECB"}).is_success
    public = anon_client.get("/").text
    assert re.search(r'id="committed">\$360<', public)  # 250 USD + 100 EUR at 1.1
    assert "Some amounts in XOF are not included" in public
    assert "/exchange-rates/new" not in public and "Mar 15, 2025" not in public
    assert "1 EUR = 1.1 USD from Jan 1, 2025 (ECB)" in public  # the rate beside the total
    viewer = browser_as("viewer", username="vera").get("/").text
    assert "XOF to USD rate valid on or before Mar 15, 2025 is missing" in viewer
    assert "The secretariat adds exchange rates" in viewer and "/exchange-rates/new" not in viewer
    sec = browser_as("secretariat", username="sara").get("/").text
    assert "/exchange-rates/new?currency=XOF&amp;quote=USD&amp;valid_on=2025-03-15" in sec
    form = browser_as("secretariat", username="sara2").get(
        "/exchange-rates/new?currency=XOF&quote=USD&valid_on=2025-03-15"
    )
    assert 'id="f-currency" name="currency"' in form.text and 'value="XOF"' in form.text
    project = chad.get("/projects/P-TCD").text
    assert 'id="total-commitment">$250.00' in project and "XOF to USD" in project
