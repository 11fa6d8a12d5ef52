"""The scenario editor in a real browser: a focal point sets up an ammonia export (the
hydrogen group switched on, ammonia plants, a yearly target shipped from Anaklia), is
told beside the input what the target lacks, fills it in and saves; the saved
scenario's page states the export. No solve is started here."""

from __future__ import annotations

import re
from typing import Any

from browser_support import scroll_width, shot, sign_in


def test_a_focal_point_sets_up_an_ammonia_export_and_saves(page: Any) -> None:
    ref = "browser-ammonia-export"
    sign_in(page, "chad")
    page.goto("/corridor/scenarios/new?from=reference-2030")
    page.get_by_label("Reference", exact=True).fill(ref)
    page.get_by_label("Model hydrogen and ammonia").check()
    page.get_by_label("Ammonia: Haber-Bosch plants and ammonia tanks at the nodes").check()
    page.get_by_label("Export mode (hydrogen or ammonia)").select_option("target")
    page.get_by_label("Port of export").select_option("GE_ANA")
    page.get_by_label("Sea route to the buyer (km; ammonia only)").fill("2500")
    page.get_by_role("button", name="Save the scenario").click()

    beside = page.locator("#err-molecules-export-target_twh")
    assert "a target export needs the quantity a year" in beside.inner_text()
    assert page.get_by_label("Port of export").input_value() == "GE_ANA"  # kept
    assert page.get_by_label("Sea route to the buyer (km; ammonia only)").input_value() == "2500"
    shot(page, "scenario-editor-ammonia-error")

    page.get_by_label("Quantity to deliver (TWh a year").fill("4")
    page.get_by_role("button", name="Save the scenario").click()
    page.wait_for_url(re.compile(rf".*/corridor/scenarios/{ref}$"))
    export = page.locator("#h-molecules_export").locator("xpath=..").inner_text()
    assert "target: deliver a quantity a year" in export and "GE_ANA" in export
    assert "2500" in export and "4" in export
    assert scroll_width(page) <= page.viewport_size["width"], "the page scrolls sideways"
