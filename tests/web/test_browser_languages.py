"""Browser tests of the languages: a focal point of Chad works in French from sign-in
to a reported period (errors in French), an Arabic page reads right to left, and
switching the language keeps the page. Labels are looked up in the shipped catalogs,
so the test follows the translations and fails where one is missing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import DESKTOP, PASSWORD, shot

from bakuhub import i18n


def fr(message: str, **values: Any) -> str:
    """``message`` in French, as the pages show it; fails when it is not translated."""
    with i18n.use("fr"):
        text = i18n.gettext(message)
    assert text != message or message.isupper(), f"no French for {message!r}"
    return text % values if values else text.replace("%%", "%")


@pytest.fixture
def french(browser: Any, server: str) -> Iterator[Any]:
    """A page of a browser whose preferred language is French (Chad)."""
    context = browser.new_context(base_url=server, viewport=DESKTOP, locale="fr-TD")
    yield context.new_page()
    context.close()


def test_a_focal_point_works_in_french_from_sign_in_to_a_reported_period(french: Any) -> None:
    page = french
    page.goto("/login")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_label(fr("User name")).fill("chad")
    page.get_by_label(fr("Password")).fill(PASSWORD)
    page.get_by_role("button", name=fr("Sign in")).click()
    page.wait_for_url("**/")
    assert page.get_by_role("link", name=fr("Projects"), exact=True).is_visible()

    page.goto("/projects/new")
    page.locator("#f-ref").fill("FR-TCD-1")
    page.locator("#f-planned_start").fill("2025-06-01")
    page.locator("#f-planned_end").fill("2025-01-31")
    page.locator("form button[type=submit]").last.click()
    summary = page.locator("#error-summary").inner_text()
    dates = fr("Planned end ({end}) is before planned start ({start}); correct one of them.")
    assert dates.format(end="2025-01-31", start="2025-06-01") in summary  # in French
    assert "required" not in summary and "Input should" not in summary
    shot(page, "lang-fr-form-errors")

    page.locator("#f-title").fill("Points d'eau au Lac")
    page.locator("#f-planned_end").fill("2025-12-31")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/projects/FR-TCD-1")
    assert "Points d'eau au Lac" in page.locator("h1").inner_text()

    page.get_by_label(fr("Result"), exact=True).fill("Des villages ont de l'eau potable")
    page.get_by_label(fr("Indicator")).fill("Ménages avec un point d'eau")
    page.get_by_label(fr("Unit")).fill("ménages")
    page.get_by_label(fr("Period start")).fill("2025-01-01")
    page.get_by_label(fr("Period end")).fill("2025-12-31")
    page.get_by_label(fr("Target"), exact=True).fill("beaucoup")  # not a number
    page.get_by_role("button", name=fr("Add result")).click()
    error = page.locator("#err-target").inner_text()
    assert error and "number" not in error.lower(), error  # said in French
    page.get_by_label(fr("Target"), exact=True).fill("1250.5")
    page.get_by_role("button", name=fr("Add result")).click()
    page.wait_for_url("**/projects/FR-TCD-1#results")
    indicator = "Ménages avec un point d'eau"
    page.get_by_role("link", name=fr("Add a period to “%(title)s”", title=indicator)).click()
    page.wait_for_url("**/periods/new")
    page.get_by_label(fr("Period start")).fill("2026-01-01")
    page.get_by_label(fr("Period end")).fill("2026-12-31")
    page.get_by_label(fr("Target"), exact=True).fill("1400")
    page.get_by_label(fr("Actual"), exact=True).fill("quatre cents")  # not a number
    page.get_by_role("button", name=fr("Add period")).click()
    wrong = page.locator("#err-actual").inner_text()
    assert wrong and "number" not in wrong.lower(), wrong  # the mistake, said in French
    page.get_by_label(fr("Actual"), exact=True).fill("400")
    page.get_by_role("button", name=fr("Add period")).click()
    page.wait_for_url("**/projects/FR-TCD-1#period-*")
    rows = page.locator("tr[id^='period-']")
    assert rows.count() == 2
    reported = rows.nth(1)
    inputs = reported.locator("input[type=text], input[inputmode], input[type=number]")
    values = [inputs.nth(i).input_value() for i in range(inputs.count())]
    assert "400" in values, values  # the actual reported, kept
    assert fr("off track") in reported.inner_text()  # 400 of 1,400: judged, in French
    shot(page, "lang-fr-project")


def test_an_arabic_page_reads_right_to_left(browser: Any, server: str) -> None:
    context = browser.new_context(base_url=server, viewport=DESKTOP, locale="ar")
    page = context.new_page()
    page.goto("/projects")
    assert page.locator("html").get_attribute("dir") == "rtl"
    header = page.locator("header.top").bounding_box()
    brand = page.locator("a.brand").bounding_box()
    assert header and brand and brand["x"] > header["width"] / 2  # the brand is on the right
    cell = page.locator("table td").first
    assert cell.evaluate("e => getComputedStyle(e).textAlign") in {"start", "right"}
    shot(page, "lang-ar-projects")
    context.close()


def test_switching_the_language_keeps_the_page(page: Any) -> None:
    page.goto("/projects?q=water")
    with page.expect_navigation():
        page.locator("#language-choice").select_option("pt")
    assert page.url.endswith("/projects?q=water")
    assert page.locator("html").get_attribute("lang") == "pt"
    page.goto("/parties")
    assert page.locator("html").get_attribute("lang") == "pt"  # remembered
    with page.expect_navigation():
        page.locator("#language-choice").select_option("en")
    assert page.url.endswith("/parties")
    assert page.locator("html").get_attribute("lang") == "en"
