"""Reading in a real browser (issue 22): nothing is fetched from another server, the
reading pages fit a phone, and the risk page's indexes, weights and country profiles
behave as their words say. Run anonymously (the public reads these pages) and as a
viewer for the account page."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from browser_support import ARTIFACTS, PHONE, shot, sign_in

PUBLIC = [
    "/",
    "/parties",
    "/agreements",
    "/working-groups",
    "/projects",
    "/parties/ALLATRA",
    "/agreements/baku-green-energy-2024",
    "/working-groups/baku-hub-partnership",
    "/projects/BAKU-HUB-PILOT-TCD",
    "/risk",
    "/risk?preset=ndgain",
    "/risk/countries/TCD",
    "/corridor",
    "/login",
    "/api/v1/docs",
    "/dashboards",
    "/dashboards/countries/TCD",
    "/exchange-rates",
]
SIGNED_IN = ["/account", "/projects/BAKU-HUB-PILOT-TCD", "/review"]
PHONE_PAGES = {
    "home-map-phone": "/",
    "risk-phone": "/risk",
    "risk-ndgain-phone": "/risk?preset=ndgain&order=reverse",
    "agreement-phone": "/agreements/baku-green-energy-2024",
    "party-sources-phone": "/parties/ALLATRA",
    "country-phone": "/risk/countries/TCD?preset=hub&w_conflict=2",
}


def _visit_all(page: Any, paths: list[str], origin: str) -> list[str]:
    """Load each page; the requests that went anywhere but ``origin``."""
    foreign: list[str] = []

    def seen(request: Any) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return  # made inside the page, fetched from nowhere
        if f"{parts.scheme}://{parts.netloc}" != origin:
            foreign.append(f"{request.resource_type} {request.url}")

    page.on("request", seen)
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        page.wait_for_load_state("networkidle")
    return foreign


def test_every_page_loads_only_from_its_own_server(page: Any, server: str) -> None:
    origin = f"{urlsplit(server).scheme}://{urlsplit(server).netloc}"
    foreign = _visit_all(page, PUBLIC, origin)
    sign_in(page, "viewer")
    foreign += _visit_all(page, SIGNED_IN, origin)
    assert foreign == [], f"pages fetched from other servers: {foreign}"
    page.goto("/api/v1/docs")
    page.wait_for_load_state("networkidle")
    assert page.locator(".swagger-ui").count() > 0  # the docs drew from local assets


def test_the_reading_pages_fit_a_phone(page: Any) -> None:
    page.set_viewport_size(PHONE)
    for name, path in PHONE_PAGES.items():
        page.goto(path)
        page.wait_for_load_state("networkidle")
        drawn = int(page.evaluate("document.documentElement.scrollWidth"))
        assert drawn <= PHONE["width"], f"{path} scrolls sideways on a phone ({drawn} px)"
        shot(page, name)
        assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000
        if path == "/":
            assert page.locator("#home-map .colorbar").count() == 1  # plotly's colour bar
            legend = page.locator("#home-map-legend")
            assert legend.is_visible() and "Projects per country" in legend.inner_text()
        if path == "/risk":  # the ranking is wider than a phone: it scrolls in its own box
            assert page.locator(".table-scroll").evaluate("e => e.scrollWidth > e.clientWidth")
        if path.startswith("/agreements/"):
            link = page.locator("ul.sources a").first
            assert link.get_attribute("href").startswith("https://")
            box = link.bounding_box()
            assert box["x"] + box["width"] <= PHONE["width"]  # a long address wraps


def test_risk_indexes_weights_and_profiles(any_page: Any) -> None:
    page = any_page
    page.goto("/risk")
    page.locator("#w_conflict").fill("2")
    page.get_by_role("button", name="Recompute").click()
    page.wait_for_function("() => location.search.includes('w_conflict=2')")
    page.wait_for_selector("a[href*='/risk/countries/TCD?'][href*='w_conflict=2']")
    row = page.locator("tr[data-iso3='TCD']")
    rank = row.locator("td").first.inner_text()
    row.get_by_role("link", name="Chad").click()
    page.wait_for_url(re.compile(r".*/risk/countries/TCD\?.*w_conflict=2.*"))
    facts = page.locator("dl.facts").inner_text()
    assert re.search(rf"Rank \(1 = most at risk\)\s+{rank} of \d+", facts), facts
    assert re.search(r"Rank interval\s+\d+ to \d+", facts), facts
    assert "None" not in facts
    page.get_by_role("link", name="Back to the ranking").click()
    assert page.locator("#w_conflict").input_value() == "2"  # the weights came back

    page.get_by_label("Index").select_option("ndgain")
    assert page.locator("#w_climate").is_disabled()  # they would do nothing for ND-GAIN
    assert page.locator("#preset-note").is_visible()
    page.get_by_role("button", name="Recompute").click()
    page.wait_for_url(re.compile(r".*preset=ndgain.*"))
    assert page.locator("#w_climate").count() == 0
    assert "no weights to change" in page.locator("#weights-help").inner_text()
    header = page.locator("table.ranking thead").inner_text()
    assert "ND-GAIN score (0-100, higher = more ready)" in header and "Class" not in header
    assert page.locator("#risk-map .colorbar").count() == 1
    if page.viewport_size["width"] > 500:
        shot(page, "risk-ndgain")
