"""Browser tests of the lists: search, filters, sort and pages, at desktop and 390 px
(Playwright driving Debian's Chromium; fixtures in ``browser_support``). Only the demo
record is read: this file makes no records."""

from __future__ import annotations

import re
from typing import Any

from browser_support import scroll_width, shot, sign_in


def _width(page: Any) -> int:
    return int(page.viewport_size["width"])


def _name(page: Any, what: str) -> str:
    return f"{what}-{'phone' if _width(page) < 600 else 'desktop'}"


def test_the_public_searches_projects_for_chad_with_the_keyboard(any_page: Any) -> None:
    page = any_page
    page.goto("/projects")
    search = page.get_by_label("Search", exact=True)
    search.focus()
    page.keyboard.type("Chad")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/projects\?q=Chad$"))
    count = page.locator("#list-count").inner_text()
    assert re.fullmatch(r"\d+ projects? match(es)?\.", count), count
    rows = page.locator("main table tbody tr").all_inner_texts()
    # Every demo project for Chad is found; other browser files add projects that match
    # by an organisation's name (e.g. "Ministry of Environment of Chad"), not shown here.
    assert any(row.startswith("Baku Hub pilot project: Chad") for row in rows), rows
    assert int(count.split()[0]) == len(rows), (count, rows)
    assert not any(row.rstrip().endswith("Guinea-Bissau") for row in rows)
    assert page.get_by_label("Search", exact=True).input_value() == "Chad"
    shot(page, _name(page, "list-projects-search"))
    assert scroll_width(page) <= _width(page)

    header = page.locator("main table thead").get_by_role("link", name=re.compile(r"^Project \("))
    assert "sorted ascending" in header.inner_text()  # what a screen reader says
    header.click()
    page.wait_for_url(re.compile(r".*q=Chad&sort=-title$"))
    assert page.locator("th[aria-sort=descending]").inner_text().startswith("Project")

    country = page.get_by_label("Country", exact=True)
    country.fill("Narnia")
    country.press("Enter")
    page.wait_for_url(re.compile(r".*country=Narnia.*"))
    error = page.locator("#err-country")
    assert "'Narnia' is not a country name or ISO code" in error.inner_text()
    assert page.get_by_label("Country", exact=True).input_value() == "Narnia"
    assert page.get_by_label("Country", exact=True).get_attribute("aria-invalid") == "true"
    assert "Nothing is listed" in page.locator("#list-count").inner_text()
    shot(page, _name(page, "list-projects-error"))
    assert scroll_width(page) <= _width(page)


def test_a_viewer_pages_through_the_parties_keeping_the_sort(any_page: Any) -> None:
    page = any_page
    sign_in(page, "viewer")
    page.goto("/parties")
    page.get_by_label("Sort by").select_option("-name")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r".*/parties\?sort=-name$"))
    first = page.locator("#list-count").inner_text()
    found = re.fullmatch(r"1\u201320 of (\d+) parties\.", first)
    assert found, first
    total = int(found.group(1))
    names = page.locator("main table tbody tr td:first-child a").all_inner_texts()
    assert names == sorted(names, key=str.lower, reverse=True)
    page.get_by_role("link", name="Next page").click()
    page.wait_for_url(re.compile(r".*/parties\?sort=-name&page=2$"))
    second = page.locator("#list-count").inner_text()
    assert second == f"21\u2013{min(total, 40)} of {total} parties."
    assert page.locator(".pager [aria-current=page]").inner_text().endswith("2")
    later = page.locator("main table tbody tr td:first-child a").all_inner_texts()
    assert later and later[0].lower() <= names[-1].lower()
    shot(page, _name(page, "list-parties-page-2"))
    assert scroll_width(page) <= _width(page)


def test_the_secretariat_filters_the_audit_log(page: Any) -> None:
    sign_in(page, "sec")
    page.goto("/audit")
    page.get_by_label("Record type").fill("agreements")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r".*/audit\?record_type=agreements$"))
    kinds = page.locator("table.audit tbody tr td:nth-child(4) a:first-child").all_inner_texts()
    assert kinds and set(kinds) == {"agreements"}
    assert page.locator("#list-count").inner_text().startswith("Changes 1\u2013")
    shot(page, "audit-filtered")
