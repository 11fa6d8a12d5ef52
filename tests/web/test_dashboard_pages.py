"""Dashboard pages: the index, a country's and a funder's page, their CSV tables; the
public sees published projects and approved periods only, signed-in readers drafts too;
a missing exchange rate is named beside the totals that can be computed."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from html import unescape
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from web_helpers import API, result_body

SOURCE = "https://example.org/ecb-reference-rates"


class _ById(HTMLParser):
    """The text inside the element with one id (and its attributes)."""

    def __init__(self, wanted: str) -> None:
        super().__init__(convert_charrefs=True)
        self.wanted, self.depth = wanted, 0
        self.parts: list[str] = []
        self.attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += tag not in ("br", "input", "img", "meta", "link")
        elif dict(attrs).get("id") == self.wanted:
            self.depth, self.attrs = 1, dict(attrs)

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def part(html: str, element_id: str) -> tuple[str, dict[str, str | None]]:
    """(the text, the attributes) of the element ``element_id`` on a page."""
    reader = _ById(element_id)
    reader.feed(html)
    assert reader.attrs, f"no element with id {element_id!r}"
    return " ".join(" ".join(reader.parts).split()), reader.attrs


def _post(client: TestClient, url: str, body: dict[str, object]) -> dict[str, object]:
    r = client.post(f"{API}{url}", json=body)
    assert r.status_code == 201, r.text
    found: dict[str, object] = r.json()
    return found


def _approved_result(client: TestClient, ref: str, actual: float) -> None:
    added = _post(client, f"/projects/{ref}/results", result_body())
    pid = added["indicators"][0]["periods"][0]["id"]  # type: ignore[index]
    assert client.patch(f"{API}/periods/{pid}", json={"version": 1, "actual": actual}).is_success
    for version, to in ((2, "submitted"), (3, "approved")):
        moved = client.post(f"{API}/periods/{pid}/transitions", json={"to": to, "version": version})
        assert moved.status_code == 200, moved.text


@pytest.fixture
def funded(world: TestClient) -> TestClient:
    """The world, with UNDP funding P-TCD and P-DRAFT: 1000 USD committed to each and
    500 EUR disbursed to P-TCD (EUR->USD 1.1 from 2025-01-01), 200 USD spent by IOM;
    an approved period of P-TCD (actual 95 of 100) and a draft one (actual 10)."""
    for ref in ("P-TCD", "P-DRAFT"):
        body = {
            "version": 1,
            "organisations": [
                {"party": "IOM", "role": "implementing"},
                {"party": "UNDP", "role": "funding"},
            ],
        }
        assert world.patch(f"{API}/projects/{ref}", json=body).status_code == 200
        commitment = {"kind": "commitment", "date": "2025-02-01", "value": "1000"}
        _post(world, f"/projects/{ref}/transactions",
              {**commitment, "currency": "USD", "provider": {"party": "UNDP"}})  # fmt: skip
    _post(world, "/exchange-rates",
          {"currency": "EUR", "quote": "USD", "rate": "1.1", "valid_on": "2025-01-01",
           "source": SOURCE})  # fmt: skip
    _post(world, "/projects/P-TCD/transactions",
          {"kind": "disbursement", "date": "2025-03-01", "value": "500", "currency": "EUR",
           "provider": {"party": "UNDP"}})  # fmt: skip
    _post(world, "/projects/P-TCD/transactions",
          {"kind": "expenditure", "date": "2025-04-01", "value": "200", "currency": "USD",
           "provider": {"party": "IOM"}})  # fmt: skip
    _approved_result(world, "P-TCD", 95)
    draft = _post(world, "/projects/P-TCD/results", result_body("2026-01-01", "2026-12-31"))
    pid = draft["indicators"][0]["periods"][0]["id"]  # type: ignore[index]
    assert world.patch(f"{API}/periods/{pid}", json={"version": 1, "actual": 10}).is_success
    return world


def test_the_index_lists_countries_and_funders_of_published_projects(
    funded: TestClient, anon_client: TestClient
) -> None:
    page = anon_client.get("/dashboards")
    assert page.status_code == 200
    countries, _ = part(page.text, "dash-countries")
    assert "Chad TCD 1" in countries and "Guinea-Bissau GNB 1" in countries
    funders, _ = part(page.text, "dash-funders")
    assert "UNDP UNDP 1" in funders  # P-TCD only: P-DRAFT is a draft
    assert "IOM" in funders  # it provided the expenditure
    assert 'href="/dashboards/funders/UNDP"' in page.text
    assert 'aria-current="page"' in page.text.split('href="/dashboards"')[1][:30]


def test_the_public_country_page_counts_published_projects_and_approved_periods(
    funded: TestClient, anon_client: TestClient
) -> None:
    page = anon_client.get("/dashboards/countries/TCD")
    assert page.status_code == 200, page.text
    html = page.text
    assert 'href="/projects/P-TCD"' in html and "P-DRAFT" not in html
    assert part(html, "count-projects")[0] == "1"
    assert part(html, "total-commitment")[0] == "$1,000.00"
    assert part(html, "total-disbursement")[0] == "$550.00"  # 500 EUR at 1.1
    assert part(html, "total-expenditure")[0] == "$200.00"
    rates, _ = part(html, "dash-rates")
    assert "1 EUR USD 1.1 Jan 1, 2025" in rates and SOURCE in rates
    results, _ = part(html, "dash-results")
    assert "95%" in results and "On track" in results
    assert "Jan 1, 2026" not in results  # the draft period
    _, attrs = part(html, "results-chart")
    assert json.loads(attrs["data-figure"] or "")["data"][0]["x"] == [95.0]
    _, money = part(html, "money-chart")
    bars = {t["name"]: t["y"] for t in json.loads(money["data-figure"] or "")["data"]}
    assert bars["Committed"] == [1000.0] and bars["Disbursed"] == [550.0]
    assert '<script src="/static/plotly.min.js">' in html
    for table in ("projects", "results", "money", "rates"):
        assert f'href="/dashboards/countries/TCD/{table}.csv?currency=USD"' in html


def test_signed_in_readers_see_drafts(
    funded: TestClient, client_as: Callable[..., TestClient]
) -> None:
    html = client_as("viewer").get("/dashboards/countries/TCD").text
    assert 'href="/projects/P-DRAFT"' in html
    assert part(html, "total-commitment")[0] == "$2,000.00"
    results, _ = part(html, "dash-results")
    assert "Jan 1, 2026" in results and "draft" in results


def test_a_funder_page_shows_what_it_provided_and_what_was_spent(
    funded: TestClient, anon_client: TestClient
) -> None:
    html = anon_client.get("/dashboards/funders/UNDP?currency=eur").text
    assert "funder dashboard" in part(html, "main")[0]
    projects, _ = part(html, "dash-projects")
    assert "funding organisation, provider of transactions" in projects
    money, _ = part(html, "dash-money")
    assert "Committed by UNDP" in money and "Spent by the projects (all sources)" in money
    # 1000 USD / 1.1 (inverse of EUR->USD) = 909.09 EUR; 200 USD spent = 181.82 EUR
    assert part(html, "total-commitment")[0] == "€909.09"
    assert part(html, "total-disbursement")[0] == "€500.00"
    assert part(html, "total-expenditure")[0] == "€181.82"


def test_a_missing_rate_is_named_and_the_rest_is_still_computed(
    funded: TestClient, anon_client: TestClient, client_as: Callable[..., TestClient]
) -> None:
    _post(funded, "/projects/P-TCD/transactions",
          {"kind": "commitment", "date": "2025-05-01", "value": "300", "currency": "XAF",
           "provider": {"party": "UNDP"}})  # fmt: skip
    page = anon_client.get("/dashboards/countries/TCD")
    assert page.status_code == 200
    assert part(page.text, "total-commitment")[0] == "$1,000.00 (incomplete)"
    assert part(page.text, "total-disbursement")[0] == "$550.00"
    missing, _ = part(page.text, "missing-rates")
    assert "leave out FCFA300.00" in missing
    assert "no XAF → USD rate (nor USD → XAF) valid on or before May 1, 2025" in missing
    assert "exchange-rate table" in missing
    staff, _ = part(client_as("secretariat").get("/dashboards/countries/TCD").text, "missing-rates")
    assert "Add this rate, with its source" in staff


def test_a_wrong_currency_is_explained_beside_its_field(
    funded: TestClient, anon_client: TestClient
) -> None:
    page = anon_client.get("/dashboards/countries/TCD?currency=dollars")
    assert page.status_code == 422
    error, _ = part(page.text, "currency-error")
    assert "'dollars' is not a currency code; type three letters" in error
    _, field = part(page.text, "currency")
    assert field["value"] == "dollars" and field["aria-invalid"] == "true"
    assert "currency-error" in (field["aria-describedby"] or "")
    assert part(page.text, "total-commitment")[0] == "$1,000.00"  # shown in USD meanwhile


def test_csv_exports_hold_the_rows_the_reader_sees(
    funded: TestClient, anon_client: TestClient, client_as: Callable[..., TestClient]
) -> None:
    version = funded.get(f"{API}/projects/P-TCD").json()["version"]
    evil = {"version": version, "title": "=cmd|'/c calc'!A1"}
    assert funded.patch(f"{API}/projects/P-TCD", json=evil).is_success
    r = anon_client.get("/dashboards/countries/TCD/projects.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="country-TCD-projects.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [(x["ref"], x["title"], x["share_percent"]) for x in rows] == [
        ("P-TCD", "'=cmd|'/c calc'!A1", "100.0")
    ]
    money = anon_client.get("/dashboards/funders/UNDP/money.csv?currency=USD").text
    assert next(csv.DictReader(io.StringIO(money)))["commitment"] == "1000.00"
    results = client_as("viewer").get("/dashboards/countries/TCD/results.csv").text
    assert [x["state"] for x in csv.DictReader(io.StringIO(results))] == ["approved", "draft"]
    public = anon_client.get("/dashboards/countries/TCD/results.csv").text
    assert [x["state"] for x in csv.DictReader(io.StringIO(public))] == ["approved"]
    assert anon_client.get("/dashboards/countries/TCD/secrets.csv").status_code == 404
    assert anon_client.get("/dashboards/countries/TCD/money.csv?currency=x").status_code == 422


def test_unknown_and_hidden_dashboards_are_not_found(
    funded: TestClient, anon_client: TestClient, client_as: Callable[..., TestClient]
) -> None:
    page = anon_client.get("/dashboards/countries/XYZ")
    assert page.status_code == 404
    assert "no country with ISO 3166 code 'XYZ'" in unescape(page.text)
    assert anon_client.get("/dashboards/funders/NOPE").status_code == 404
    body: dict[str, object] = {"kind": "organisation", "ref": "SECRET-FUND", "org_type": "40"}
    body.update(name="Secret", published=False)
    _post(funded, "/parties", body)
    assert anon_client.get("/dashboards/funders/SECRET-FUND").status_code == 404
    assert client_as("viewer").get("/dashboards/funders/SECRET-FUND").status_code == 200
    empty = anon_client.get("/dashboards/countries/NER")
    assert empty.status_code == 200 and "No published projects yet." in empty.text
    assert re.search(r"No approved result periods", empty.text)
