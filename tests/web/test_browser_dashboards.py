"""Dashboards in a real browser (Chromium, at desktop width and at 390 px): the public
reads a funder's page, a signed-in reader a country's page with its drafts; the charts
draw offline, download as PNG, and each table downloads as CSV."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from browser_support import PASSWORD, scroll_width, shot, sign_in

FUNDER = "DASH-FUND"
PROJECT = "DASH-NER-WATER"
DRAFT = "DASH-NER-DRAFT"
RATE_SOURCE = "https://www.norges-bank.no/en/topics/Statistics/exchange_rates/"
assert PASSWORD  # the accounts of browser_support


def _post(page: Any, token: str, url: str, body: dict[str, Any]) -> Any:
    answer = page.request.post(f"/api/v1{url}", data=body, headers={"X-CSRF-Token": token})
    assert answer.status in (200, 201), answer.text()
    return answer.json()


def _records(browser: Any, server: str) -> None:
    """The secretariat records a funder, its project in Niger (an approved period at 80 %
    of its target; 1000 USD committed, 5000 NOK disbursed) and a draft project (once)."""
    context = browser.new_context(base_url=server)
    page = context.new_page()
    if page.request.get(f"/api/v1/parties/{FUNDER}").status == 200:
        context.close()
        return
    sign_in(page, "sec")
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    fund = {"kind": "organisation", "ref": FUNDER, "name": "Dashboard Test Fund"}
    _post(page, token, "/parties", {**fund, "org_type": "40"})
    for ref, published in ((PROJECT, True), (DRAFT, False)):
        project = {"ref": ref, "title": f"Water for Niger ({ref})", "status": "2"}
        project.update(published=published, countries=[{"country": "NER", "share": 100}])
        project["organisations"] = [{"party": FUNDER, "role": "funding"}]
        _post(page, token, "/projects", project)
        commitment = {"kind": "commitment", "date": "2025-02-01", "currency": "USD"}
        _post(page, token, f"/projects/{ref}/transactions",
              {**commitment, "value": "1000", "provider": {"party": FUNDER}})  # fmt: skip
    rate = {"currency": "NOK", "quote": "USD", "rate": "0.1", "valid_on": "2016-02-29"}
    _post(page, token, "/exchange-rates", {**rate, "source": RATE_SOURCE})
    _post(page, token, f"/projects/{PROJECT}/transactions",
          {"kind": "disbursement", "date": "2025-03-01", "value": "5000", "currency": "NOK",
           "provider": {"party": FUNDER}})  # fmt: skip
    period = {"start": "2025-01-01", "end": "2025-12-31", "target": 100}
    indicator = {"title": "Wells drilled", "unit": "wells", "periods": [period]}
    result = {"kind": "output", "title": "Water points", "indicators": [indicator]}
    added = _post(page, token, f"/projects/{PROJECT}/results", result)
    pid = added["indicators"][0]["periods"][0]["id"]
    headers = {"X-CSRF-Token": token}
    patched = page.request.patch(
        f"/api/v1/periods/{pid}", data={"version": 1, "actual": 80}, headers=headers
    )
    assert patched.ok, patched.text()
    for version, to in ((2, "submitted"), (3, "approved")):
        _post(page, token, f"/periods/{pid}/transitions", {"to": to, "version": version})
    context.close()


def _width(page: Any) -> str:
    return "phone" if page.viewport_size["width"] < 500 else "desktop"


def test_the_public_reads_a_funders_dashboard(any_page: Any, browser: Any, server: str) -> None:
    _records(browser, server)
    page = any_page
    page.goto("/dashboards")
    page.get_by_role("link", name="Dashboard Test Fund").click()
    page.wait_for_url(f"**/dashboards/funders/{FUNDER}")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("Dashboard Test Fund")
    projects = page.locator("#dash-projects").inner_text()
    assert PROJECT in projects and DRAFT not in projects  # the public sees no draft
    assert page.locator("#total-commitment").inner_text() == "$1,000.00"
    assert page.locator("#total-disbursement").inner_text() == "$500.00"  # 5000 NOK * 0.1
    assert RATE_SOURCE in page.locator("#dash-rates").inner_text()
    row = page.locator("#dash-results tbody tr").first
    assert "80%" in row.inner_text() and row.get_attribute("data-status") == "at-risk"
    assert page.locator("#money-chart .main-svg").count() > 0  # plotly drew, offline
    assert page.locator("#results-chart .main-svg").count() > 0
    assert page.locator("#money-chart .modebar-btn[data-title^='Download plot']").count() == 1
    assert scroll_width(page) <= page.viewport_size["width"], "the page scrolls sideways"
    shot(page, f"dashboard-funder-{_width(page)}")

    download = page.get_by_role("button", name="Download the money chart (PNG)")
    download.focus()
    with page.expect_download() as png:
        page.keyboard.press("Enter")
    assert png.value.suggested_filename == f"funder-{FUNDER}-money.png"
    assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as table:
        page.get_by_role("link", name="Download the money by project (CSV)").click()
    text = Path(table.value.path()).read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("project,budget,commitment,disbursement")
    assert f"{PROJECT},0.00,1000.00,500.00" in text and DRAFT not in text


def test_a_signed_in_reader_sees_a_countrys_dashboard_with_drafts(
    any_page: Any, browser: Any, server: str
) -> None:
    _records(browser, server)
    page = any_page
    sign_in(page, "viewer")
    page.goto("/dashboards")
    page.locator("#dash-countries").get_by_role("link", name="Niger").click()
    page.wait_for_url("**/dashboards/countries/NER")
    page.wait_for_load_state("networkidle")
    projects = page.locator("#dash-projects").inner_text()
    assert PROJECT in projects and DRAFT in projects and "draft" in projects
    money = page.locator("#dash-money").inner_text()
    assert PROJECT in money and DRAFT in money
    assert page.locator("#money-chart .main-svg").count() > 0
    page.get_by_label("Currency of the money").fill("nok")
    page.get_by_label("Currency of the money").press("Enter")
    page.wait_for_url(re.compile(r".*/dashboards/countries/NER\?currency=nok$"))
    # two commitments of 1000 USD (at the inverse of NOK->USD 0.1), 5000 NOK disbursed
    assert page.locator("#total-commitment").inner_text() == "NOK20,000.00"
    assert page.locator("#total-disbursement").inner_text() == "NOK5,000.00"
    assert scroll_width(page) <= page.viewport_size["width"], "the page scrolls sideways"
    shot(page, f"dashboard-country-{_width(page)}")
    page.get_by_label("Currency of the money").fill("krone")
    page.get_by_role("button", name="Show").click()
    error = page.locator("#currency-error")
    assert "type three letters" in error.inner_text()
    assert page.get_by_label("Currency of the money").input_value() == "krone"
