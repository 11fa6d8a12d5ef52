"""The record forms in Chromium, at desktop and 390 px: every mistake at once with the
keyboard, repeatable rows added with a button; removing a working-group item asks first
and can be undone."""

from __future__ import annotations

import re
from typing import Any

from browser_support import scroll_width, shot, sign_in


def _width(page: Any) -> int:
    return int(page.viewport_size["width"])


def test_the_secretariat_sees_every_mistake_at_once_and_fixes_them_with_the_keyboard(
    any_page: Any,
) -> None:
    page, width = any_page, _width(any_page)
    ref = f"FORMS-ROWS-{width}"
    sign_in(page, "sec")
    page.goto("/projects/new")
    page.get_by_label("Ref").fill(f"forms rows {width}")  # a space: refused
    page.get_by_label("Country (row 1)").select_option("TCD")
    page.get_by_label("Share % (row 1)").fill("60")
    page.get_by_role("button", name="Add a country").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "f-countries-1-country"
    page.keyboard.type("Guinea-B")  # a select chooses by typing the name
    page.get_by_label("Share % (row 2)").fill("30")
    page.get_by_label("Planned start").fill("2025-06-01")
    page.get_by_label("Planned end").fill("2025-01-31")
    page.get_by_label("Planned end").press("Enter")
    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    summary = page.locator("#error-summary li")
    assert summary.count() == 4, page.locator("#error-summary").inner_text()
    text = page.locator("#error-summary").inner_text()
    assert "Title is required" in text and "add up to 90 %" in text
    assert "use only letters, digits" in text and "before planned start" in text
    assert "pattern" not in text and "Input should" not in text
    assert page.get_by_label("Share % (row 2)").input_value() == "30"  # kept
    assert page.get_by_label("Country (row 2)").input_value() == "GNB"
    assert page.get_by_label("Title").get_attribute("aria-describedby") == "err-title"
    assert scroll_width(page) <= width
    shot(page, f"form-errors-{width}")
    rows = page.locator("#f-countries [data-row]")
    assert rows.count() == 3  # the two typed and one empty row (JavaScript drops the rest)
    page.get_by_role("button", name="Remove countries row 1").press("Enter")
    assert rows.count() == 2 and page.get_by_label("Country (row 1)").input_value() == "GNB"
    page.get_by_role("button", name="Add a country").press("Enter")
    page.get_by_label("Country (row 2)").select_option("TCD")
    page.get_by_label("Share % (row 2)").fill("60")
    page.get_by_label("Ref").fill(ref)
    page.get_by_label("Title").fill("Rows in a browser")
    page.get_by_label("Share % (row 1)").fill("40")
    page.get_by_label("Planned end").fill("2025-12-31")
    page.get_by_role("button", name="Create project").press("Enter")
    page.wait_for_url(f"**/projects/{ref}")
    assert "Rows in a browser" in page.locator("h1").inner_text()
    shares = page.request.get(f"/api/v1/projects/{ref}").json()["countries"]
    assert shares == [{"country": "GNB", "share": 40.0}, {"country": "TCD", "share": 60.0}]


def test_a_focal_point_removes_a_group_item_after_confirming_and_undoes_it(
    any_page: Any,
) -> None:
    page, width = any_page, _width(any_page)
    ref = f"forms-wg-{width}"
    sign_in(page, "chad")
    page.goto("/working-groups/new")
    assert page.get_by_label("Party (row 1)").input_value() == "TCD"  # shown, not silent
    assert "Your party, TCD, is filled in below" in page.locator("#f-parties").inner_text()
    page.get_by_label("Ref").fill(ref)
    page.get_by_label(re.compile(r"^Name")).fill("Forms group")
    page.get_by_role("button", name="Create working group").click()
    page.wait_for_url(f"**/working-groups/{ref}")
    for text in ("Meet monthly", "Share the minutes"):
        page.get_by_role("link", name="Add a decision").click()
        page.locator("#f-text").fill(text)  # the decision as taken (others: languages)
        page.get_by_role("button", name="Add decision").click()
        page.wait_for_url(f"**/working-groups/{ref}#decisions")
    page.get_by_role("link", name=re.compile("Remove decision 1")).click()
    page.wait_for_url(f"**/working-groups/{ref}/decisions/1/delete")
    assert "Meet monthly" in page.locator("main").inner_text()
    assert scroll_width(page) <= width
    shot(page, f"group-item-remove-confirm-{width}")
    page.get_by_role("button", name="Remove this decision").click()
    page.wait_for_url(re.compile(r".*removed=decisions.*"))
    assert "Meet monthly" not in page.locator("#decisions").inner_text()
    assert "You removed a decision" in page.locator("#undo").inner_text()
    shot(page, f"group-item-removed-undo-{width}")
    page.get_by_role("button", name="Undo: put the decision back").click()
    page.wait_for_url(f"**/working-groups/{ref}#decisions")
    decisions = page.locator("#decisions li").all_inner_texts()
    assert decisions[0].startswith("Meet monthly") and decisions[1].startswith("Share the")
