"""The scenario editor in a real browser, at desktop and 390 px: a focal point forks a
shipped scenario, changes its cable cost and CO2 price, sees a refused field's sentence
beside it (the other values kept), fixes it, saves, and comments on the saved scenario.
No solve is started here (tests/web/test_scenario_pages.py runs one through a stand-in
runner; tests/jobs/ solve for real)."""

from __future__ import annotations

import re
from typing import Any

from browser_support import scroll_width, shot, sign_in


def test_a_focal_point_forks_edits_fixes_saves_and_comments(any_page: Any) -> None:
    page = any_page
    width = page.viewport_size["width"]
    ref = f"browser-fork-{width}"
    sign_in(page, "chad")
    page.goto("/corridor/scenarios")
    page.get_by_role("link", name="New from reference-2030").click()
    page.wait_for_url(re.compile(r".*/corridor/scenarios/new\?from=reference-2030$"))
    page.get_by_label("Reference", exact=True).fill(ref)
    page.get_by_label("Submarine cable cost level").select_option("low")
    page.get_by_label("CO2 price (EUR per tonne)").fill("150")
    page.get_by_label("Time resolution").fill("fortnightly")
    page.get_by_role("button", name="Save the scenario").click()

    beside = page.locator("#err-resolution")
    assert "is not a resolution" in beside.inner_text()
    assert page.locator("#f-resolution").get_attribute("aria-invalid") == "true"
    assert page.locator("#error-summary").is_visible()
    assert page.get_by_label("CO2 price (EUR per tonne)").input_value() == "150"
    assert page.get_by_label("Submarine cable cost level").input_value() == "low"
    assert scroll_width(page) <= width, "the editor scrolls sideways"
    shot(page, f"scenario-editor-error-{width}")

    page.get_by_label("Time resolution").fill("segments:48")
    page.get_by_role("button", name="Save the scenario").click()
    page.wait_for_url(re.compile(rf".*/corridor/scenarios/{ref}$"))
    facts = page.locator("main").inner_text()
    assert "draft" in facts and "low (1,008 EUR/MW/km)" in facts and "150" in facts
    assert page.get_by_role("link", name="reference-2030").first.is_visible()  # its parent

    page.get_by_label("Your comment").fill("Is the **low** cable cost credible?")
    page.get_by_role("button", name="Add the comment").click()
    page.wait_for_url(re.compile(rf".*/corridor/scenarios/{ref}#comments$"))
    said = page.locator("#comments .comment").last
    assert said.locator(".body strong").inner_text() == "low"
    assert "chad" in said.inner_text()
    assert scroll_width(page) <= width, "the scenario page scrolls sideways"
    shot(page, f"scenario-page-{width}")
