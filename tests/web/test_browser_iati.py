"""IATI exchange in a real browser (fixtures in ``browser_support``): the secretariat
uploads a funder's activities file for a Hub project, reads the preview (what matched,
what did not), links the funder to its party by name, imports, and finds the funder's
disbursement on the project page; at desktop width and at 390 px. Records made here
have refs starting with IATI-BROWSER."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from browser_support import PHONE, scroll_width, shot, sign_in

FUNDER_FILE = Path(__file__).parents[1] / "results" / "data" / "funder-activity.xml"


def _funder_file(project_identifier: str, width: int) -> bytes:
    """The test funder file, pointed at this run's project, with its own identifiers and
    ministry (a party of the same name made by the other run would clash)."""
    text = FUNDER_FILE.read_text(encoding="utf-8")
    text = text.replace("XM-DAC-47066-FULL-1", project_identifier)
    text = text.replace("XM-EXAMPLE-FUNDER-FP-777", f"XM-EXAMPLE-FUNDER-FP-{width}")
    text = text.replace("TD-GOV-MEEDD", f"TD-GOV-MEEDD-{width}")
    return text.replace("of Chad<", f"of Chad ({width})<").encode("utf-8")


def _make_project(page: Any, ref: str) -> None:
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    body = {"ref": ref, "title": f"IATI browser project {ref}", "status": "2"}
    answer = page.request.post("/api/v1/projects", data=body, headers={"X-CSRF-Token": token})
    assert answer.ok, answer.text()


def test_staff_import_a_funders_file_through_the_preview(any_page: Any) -> None:
    page = any_page
    width = page.viewport_size["width"]
    ref = f"IATI-BROWSER-{width}"
    sign_in(page, "sec")
    _make_project(page, ref)
    page.get_by_role("link", name="IATI", exact=True).click()
    page.wait_for_url(re.compile(r".*/iati$"))
    assert page.get_by_role("link", name="Activities file").is_visible()
    page.get_by_label(re.compile("IATI activities file")).set_input_files(
        {
            "name": "funder.xml",
            "mimeType": "application/xml",
            "buffer": _funder_file(f"BAKU-HUB-{ref}", width),
        }
    )
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_url(re.compile(r".*/iati/preview$"))
    assert "Nothing is imported yet" in page.get_by_role("status").inner_text()
    ministry = page.locator("tr", has_text="Ministry of Environment of Chad")
    assert "Not matched" in ministry.inner_text()
    iom = page.locator("tr", has_text="International Organization for Migration")
    assert "Matched: party IOM has this identifier" in iom.inner_text()
    target = page.get_by_label("Import this activity into")
    assert target.input_value() == ref  # found through the file's related-activity
    page.get_by_label("What happens to Green Climate Fund").select_option("name")
    if width == PHONE["width"]:
        assert scroll_width(page) <= width, "the preview scrolls sideways at 390 px"
    shot(page, f"iati-preview-{width}")
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_url(re.compile(r".*/iati/import$"))
    done = page.get_by_role("status").inner_text()
    assert "1 with a funder's report" in done and "1 organisation added" in done
    page.get_by_role("link", name=ref).first.click()
    page.wait_for_url(re.compile(rf".*/projects/{ref}$"))
    row = page.locator("tr", has_text=re.compile("incoming", re.IGNORECASE))
    text = row.first.inner_text()
    assert "Green Climate Fund" in text and "400,000" in text, text
    shot(page, f"iati-project-{width}")
