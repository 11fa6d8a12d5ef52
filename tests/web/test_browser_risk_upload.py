"""The risk page in Chromium (issue 20): a signed-in user picks a construction choice,
ranks with UNHCR and IDMC displacement files and stores the ranking, all without the
CLI or the JSON API; at desktop width and at 390 px, where nothing scrolls sideways."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from browser_support import scroll_width, shot, sign_in

FIXTURES = Path(__file__).resolve().parents[1] / "risk" / "fixtures"


def _fits(page: Any) -> None:
    """Nothing scrolls sideways once the map is drawn (plotly fits it to the page)."""
    page.wait_for_selector("#risk-map .main-svg")
    try:
        page.wait_for_function("document.documentElement.scrollWidth <= window.innerWidth")
    except Exception:
        raise AssertionError(f"{page.url} scrolls sideways ({scroll_width(page)} px)") from None


def test_choose_upload_and_store_in_the_browser(any_page: Any) -> None:
    page = any_page
    sign_in(page, "viewer")
    page.goto("/risk")
    page.get_by_label("Normalisation", exact=True).select_option("rank")
    page.get_by_role("button", name="Recompute").click()
    page.wait_for_url(re.compile(r".*/risk\?.*normalisation=rank.*"))
    page.wait_for_selector("#ranking-caption:has-text('rank (percentile)')")
    _fits(page)
    page.get_by_label("UNHCR population statistics (CSV)").set_input_files(
        str(FIXTURES / "unhcr_population.csv")
    )
    page.get_by_label("IDMC displacement export (.xlsx or CSV)").set_input_files(
        str(FIXTURES / "idmc_gidd.csv")
    )
    page.get_by_role("button", name="Rank with these files").click()
    page.wait_for_url(re.compile(r".*/risk/displacement$"))
    assert "IDMC" in page.locator("#upload-source").inner_text()
    assert "2023 figures" in page.locator("#upload-vintage").inner_text()
    assert "rank (percentile)" in page.locator("#ranking-caption").inner_text()
    sudan = page.locator("tr[data-iso3='SDN'] td.num")
    cells = [t.strip() for t in sudan.all_inner_texts()]  # score, then the four pillars
    assert len(cells) == 5 and all(re.fullmatch(r"\d+\.\d+", t) for t in cells), cells
    _fits(page)
    shot(page, f"risk-upload-{page.viewport_size['width']}")
    page.get_by_role("button", name="Store this ranking").click()
    page.wait_for_url(re.compile(r".*/risk\?.*stored=\d+.*"))
    stored = page.locator("#stored-run").inner_text()
    assert re.search(r"Stored as run \d+: .* by viewer", stored), stored
    assert page.get_by_label("Normalisation", exact=True).input_value() == "rank"
    _fits(page)  # the stored runs' picker too
