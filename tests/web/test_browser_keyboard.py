"""The project form with the keyboard only, as a focal point who uses no mouse:
Tab to each field, type, choose a country by typing its name, submit with Enter."""

from __future__ import annotations

from typing import Any

from browser_support import sign_in

MAX_TABS = 80


def tab_to(page: Any, element_id: str) -> None:
    """Press Tab until the element has the focus (fails if Tab never reaches it)."""
    for _ in range(MAX_TABS):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached #{element_id}")


def test_a_focal_point_creates_a_project_with_the_keyboard_only(any_page: Any) -> None:
    page = any_page
    width = int(page.viewport_size["width"])
    ref = f"KEYS-ONLY-{width}"
    sign_in(page, "chad")
    page.goto("/projects/new")
    tab_to(page, "f-ref")
    page.keyboard.type(ref)
    tab_to(page, "f-title")
    page.keyboard.type("Keyboard-only wells")
    tab_to(page, "f-countries-0-country")
    page.keyboard.type("Chad")  # a select chooses by typing the name
    tab_to(page, "f-countries-0-share")
    page.keyboard.type("100")
    page.keyboard.press("Enter")  # submits the form
    page.wait_for_url(f"**/projects/{ref}")
    assert "Keyboard-only wells" in page.locator("h1").inner_text()
    assert "Chad" in page.locator("main").inner_text()
