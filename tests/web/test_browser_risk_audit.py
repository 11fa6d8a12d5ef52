"""The audit and comparison pages of the risk index (issue 20) in Chromium, as a
visitor, at desktop width and at 390 px: reached from the ranking with the weights
just set, charts drawn offline, tables that scroll in their own box on a phone."""

from __future__ import annotations

import re
from typing import Any

from browser_support import scroll_width, shot


def _fits(page: Any) -> None:
    width = page.viewport_size["width"]
    assert scroll_width(page) <= width, f"{page.url} scrolls sideways ({scroll_width(page)} px)"


def test_audit_page_from_the_ranking(any_page: Any) -> None:
    page = any_page
    page.goto("/risk")
    page.locator("#w_conflict").fill("2")
    page.get_by_role("button", name="Recompute").click()
    page.wait_for_selector("#risk-links a[href*='/risk/audit?'][href*='w_conflict=2']")
    page.get_by_role("link", name="Audit of the index").click()
    page.wait_for_url(re.compile(r".*/risk/audit\?.*w_conflict=2.*"))
    page.wait_for_selector("#corr-map .main-svg")  # plotly drew the heat map offline
    assert "Conflict 2" in page.locator("main p.muted").first.inner_text()
    warnings = page.locator("ul.audit-warnings li")
    texts = " ".join(warnings.all_inner_texts())
    assert "No country has data for People displaced" in texts
    assert "Years with war on the territory" in texts  # skewed: COINr's outlier test
    war = page.locator("#audit-stats tr[data-code='war_years']")
    assert "flagged" in war.inner_text()
    first = page.locator("#audit-shares tbody tr").first
    shares = [
        float(t.strip(" %")) for t in first.locator("td.num").all_inner_texts()[1:] if "%" in t
    ]
    assert abs(sum(shares) - 100) <= len(shares)  # whole percents of one score
    _fits(page)
    shot(page, f"risk-audit-{page.viewport_size['width']}")


def test_compare_page_names_the_weight_and_the_movers(any_page: Any) -> None:
    page = any_page
    page.goto("/risk?preset=hub&w_conflict=2")
    page.get_by_role("link", name="Compare these weights with the index as published").click()
    page.wait_for_url(re.compile(r".*/risk/compare\?.*w_conflict=2.*"))
    settings = page.locator("#compare-settings tbody tr")
    assert settings.count() == 1
    assert re.sub(r"\s+", " ", settings.inner_text()).strip() == "weight of conflict in hub 1 2"
    moves = page.locator("#compare-moves tbody tr")
    assert moves.count() > 0
    top = moves.first.locator("td").all_inner_texts()
    assert int(top[0]) - int(top[1]) == int(top[2])  # rank A - rank B = move
    assert "Years with armed conflict" in moves.first.inner_text()  # why it moved
    assert page.locator("#no-runs, #runs-pick").first.is_visible()  # either, by what is stored
    _fits(page)
    shot(page, f"risk-compare-{page.viewport_size['width']}")


def test_a_missing_run_is_a_clear_404(any_page: Any) -> None:
    page = any_page
    response = page.goto("/risk/compare?a=999998&b=999999")
    assert response.status == 404
    assert "No risk run 999998" in page.locator("main").inner_text()
    _fits(page)
