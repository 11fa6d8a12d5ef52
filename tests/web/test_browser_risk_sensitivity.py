"""The risk sensitivity page in a real browser (issue 20), at desktop and 390 px: the
table of choices per country, the chart drawn offline under the CSP, nothing wider
than the screen, and another index chosen through the form."""

from __future__ import annotations

import re
from typing import Any

from browser_support import shot

ADDRESS = "/risk/sensitivity?preset=hub&n=256"


def test_the_page_shows_which_choice_moves_each_country(any_page: Any) -> None:
    page = any_page
    page.goto(ADDRESS, timeout=60_000)
    page.wait_for_load_state("networkidle")
    width = page.viewport_size["width"]
    rows = page.locator("table.sens-table tbody tr")
    assert rows.count() > 150
    first = rows.first
    assert first.locator("td").first.inner_text() == "1"
    driver = first.locator("td.driver").inner_text()
    heads = page.locator("table.sens-table thead th").all_inner_texts()
    marked = first.locator("td.top")
    assert marked.count() == 1
    assert heads[int(marked.evaluate("e => e.cellIndex"))] == driver  # marked under its name
    assert page.locator("#sens-chart .main-svg").count() > 0  # plotly drew it offline
    assert "Not analysed" in page.locator("#sens-excluded").inner_text()
    assert int(page.evaluate("document.documentElement.scrollWidth")) <= width
    box = page.locator("table.sens-table").locator("xpath=..")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # the table scrolls in its box
    shot(page, f"risk-sensitivity-{width}")


def test_another_index_is_chosen_through_the_form(page: Any) -> None:
    page.goto(ADDRESS, timeout=60_000)
    page.get_by_label("Index").select_option("ndgain")
    page.get_by_label("Base samples").select_option("256")
    page.get_by_role("button", name="Analyse").click()
    page.wait_for_url(re.compile(r".*preset=ndgain.*"), timeout=60_000)
    heads = page.locator("table.sens-table thead th").all_inner_texts()
    assert "Conflict window" not in heads
    assert any(h.startswith("Weight of Readiness") for h in heads)
