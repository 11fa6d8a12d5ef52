"""Finance in a real browser (Chromium, fixtures in ``browser_support``): a focal point
enters a transaction with the keyboard alone, at desktop width and at 390 px; the
secretariat adds the exchange rate the home page names as missing, from the link
beside the totals; the public reads totals with a plain note instead of commands.
Records made here have refs starting with FIN-BROWSER."""

from __future__ import annotations

import re
from typing import Any

from browser_support import shot, sign_in

API = "/api/v1"


def _api(page: Any, method: str, url: str, body: dict[str, Any]) -> Any:
    """A JSON API call with the page's session cookie and CSRF token."""
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    answer = page.request.fetch(
        f"{API}{url}", method=method, data=body, headers={"X-CSRF-Token": token}
    )
    assert answer.ok, answer.text()
    return answer.json()


def _tab_to(page: Any, element_id: str, limit: int = 60) -> None:
    """Press Tab until the element with this id has the focus (keyboard only)."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def _tab_to_link(page: Any, text: str, limit: int = 80) -> None:
    """Press Tab until the focused element is the link with this text."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == text:
            return
    raise AssertionError(f"Tab never reached the link '{text}'")


def _retype(page: Any, text: str) -> None:
    """Replace the focused input's text by typing."""
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    page.keyboard.type(text)


def test_a_focal_point_enters_a_transaction_with_the_keyboard_only(any_page: Any) -> None:
    page = any_page
    width = page.viewport_size["width"]
    ref = f"FIN-BROWSER-KEYS-{width}"
    sign_in(page, "chad")
    project = {"ref": ref, "title": "Boreholes in Kanem", "status": "2"}
    _api(page, "POST", "/projects", {**project, "countries": [{"country": "TCD", "share": 100}]})
    page.goto(f"/projects/{ref}")
    _tab_to_link(page, "Add a transaction")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/projects/{ref}/transactions/new")
    _tab_to(page, "f-kind")
    page.keyboard.type("d")  # Disbursement, picked by its first letter
    _tab_to(page, "f-date")
    page.keyboard.type("03152025")  # the date input's month, day and year
    _tab_to(page, "f-value")
    page.keyboard.type("12,500.50")  # a thousands separator: refused, kept, explained
    _tab_to(page, "f-currency")
    page.keyboard.type("usd")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the form is sent from the keyboard
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    error = page.locator("#err-value").inner_text()
    assert "dot for decimals" in error
    assert "err-value" in (page.locator("#f-value").get_attribute("aria-describedby") or "")
    assert page.locator("#f-value").input_value() == "12,500.50"
    assert page.locator("#f-kind").input_value() == "disbursement"
    assert page.locator("#f-date").input_value() == "2025-03-15"
    shot(page, f"finance-transaction-errors-{width}")
    _tab_to(page, "f-value")
    _retype(page, "12500.50")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf".*/projects/{ref}\?finance=transaction-added#finance$"))
    assert page.locator("#finance-done").inner_text() == "The transaction was added."
    row = page.locator("tr[id^='transaction-']").first.inner_text()
    assert "Mar 15, 2025" in row and "$12,500.50" in row and "Disbursement" in row
    assert page.locator("#total-disbursement").inner_text() == "$12,500.50"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"project-finance-{width}")


def test_the_secretariat_adds_the_rate_the_home_page_names(
    any_page: Any, browser: Any, server: str
) -> None:
    page = any_page
    width = page.viewport_size["width"]
    money = "XOF" if width > 390 else "XAF"  # each run its own missing rate
    sign_in(page, "sec")
    ref = f"FIN-BROWSER-RATES-{width}"
    body = {"ref": ref, "title": "Grain stores in Gabu", "status": "2"}
    _api(page, "POST", "/projects", {**body, "countries": [{"country": "GNB", "share": 100}]})
    tx = {"kind": "commitment", "date": "2025-04-01", "value": "6550000", "currency": money}
    _api(page, "POST", f"/projects/{ref}/transactions", tx)
    _api(page, "POST", f"/projects/{ref}/transactions", {**tx, "value": "5000", "currency": "USD"})

    public = browser.new_context(base_url=server)
    reader = public.new_page()
    reader.goto("/")
    note = reader.locator("#finance-missing").inner_text()
    assert f"Some amounts in {money} are not included" in note
    assert "rate-add" not in reader.content() and "/exchange-rates/new" not in reader.content()
    assert reader.locator("#committed").is_visible()

    page.goto("/")
    link = page.get_by_role("link", name=f"add the {money} to USD rate")
    assert "Apr 1, 2025" in page.locator("#finance-missing").inner_text()
    shot(page, f"home-finance-missing-rate-{width}")
    link.click()
    page.wait_for_url(f"**/exchange-rates/new?currency={money}&quote=USD&valid_on=2025-04-01")
    assert page.get_by_label("From currency").input_value() == money
    assert page.get_by_label("Valid from").input_value() == "2025-04-01"
    page.get_by_label(re.compile(r"^Rate")).fill("0.00165")
    page.get_by_label("Source").fill(
        "https://www.bceao.int/en/cours/cours-des-devises-contre-franc-cfa"
    )
    shot(page, f"finance-rate-form-{width}")
    page.get_by_role("button", name="Add the exchange rate").click()
    page.wait_for_url(re.compile(r".*/exchange-rates\?changed=\d+#rate-\d+$"))
    changed = page.locator("tr.changed").inner_text()
    assert f"{money} → USD" in changed and "0.00165" in changed and "Apr 1, 2025" in changed
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"exchange-rates-{width}")
    reader.goto("/")
    missing = reader.locator("#finance-missing")
    assert missing.count() == 0 or money not in missing.inner_text()
    used = reader.locator(".rates-used").inner_text()
    assert f"1 {money} = 0.00165 USD from Apr 1, 2025" in used
    committed = reader.locator("#committed").inner_text()
    assert re.fullmatch(r"\$[\d,]+", committed) and int(committed[1:].replace(",", "")) >= 15807
    public.close()
