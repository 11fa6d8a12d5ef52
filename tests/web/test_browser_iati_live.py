"""The IATI checks while editing, in Chromium at desktop width and at 390 px: a focal
point saves a project whose actual end comes before its actual start (the form takes
it, IATI rule 11.1.3 does not), lands on the project page that says "IATI check: ...",
follows the finding's link and reads it beside the date, announced with the input.
Records made here have refs starting with IATI-LIVE."""

from __future__ import annotations

import re
from typing import Any

from browser_support import scroll_width, shot, sign_in


def test_a_focal_point_saves_dates_out_of_order_and_reads_the_finding_at_the_field(
    any_page: Any,
) -> None:
    page = any_page
    width = int(page.viewport_size["width"])
    ref = f"IATI-LIVE-{width}"
    sign_in(page, "chad")
    page.goto("/projects/new")
    page.get_by_label("Ref").fill(ref)
    page.get_by_label("Title").fill("Dates out of order")
    page.get_by_label("Actual start").fill("2024-05-01")
    page.get_by_label("Actual end").fill("2024-03-01")
    page.get_by_role("button", name="Create project").click()
    page.wait_for_url(f"**/projects/{ref}")  # saved: IATI findings never block a save

    summary = page.locator("#iati")
    heading = summary.get_by_role("heading", level=2).inner_text()
    assert re.fullmatch(r"IATI check: \d+ errors?, \d+ warnings?", heading), heading
    assert "(IATI rule 11.1.3)" in summary.inner_text()
    assert scroll_width(page) <= width
    summary.locator('a[href$="/edit#f-actual_start"]').click()
    page.wait_for_url(f"**/projects/{ref}/edit#f-actual_start")

    for label in ("Actual start", "Actual end"):
        date = page.get_by_label(label, exact=True)
        described = (date.get_attribute("aria-describedby") or "").split()
        notes = [page.locator(f"#{note}") for note in described if note.startswith("iati-")]
        assert notes, f"{label}: no IATI finding in its aria-describedby"
        text = notes[0].inner_text()
        assert text.startswith("IATI error:") and "(IATI rule 11.1.3)" in text
        assert "must be before the actual end date" in text
        assert notes[0].is_visible()
    assert (
        page.locator("#iati-record")
        .get_by_role("heading")
        .inner_text()
        .startswith("IATI check of this project as saved:")
    )
    assert scroll_width(page) <= width
    shot(page, f"iati-live-{width}")
