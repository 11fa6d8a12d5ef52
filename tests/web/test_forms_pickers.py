"""Pickers and repeatable rows instead of typed codes, `|` separators and JSON boxes; a
focal point's own party is a visible, removable row, never added silently."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from web_helpers import API, csrf_of, form_values


def _selected(html: str, input_id: str) -> str:
    """The value selected in the select ``input_id`` ('' when none)."""
    found = re.search(rf'<select id="{input_id}".*?</select>', html, re.S)
    assert found, f"no select {input_id}"
    chosen = re.search(r'<option value="([^"]*)" selected', found.group(0))
    return chosen.group(1) if chosen else ""


def test_the_project_form_has_pickers_and_rows_not_codes_or_json(
    world: TestClient, browser_as: Callable[..., TestClient]
) -> None:
    web = browser_as("secretariat")
    html = web.get("/projects/new").text
    assert "<textarea" not in html.split('id="f-description"')[1]  # no JSON boxes after it
    for legacy in ('name="countries"', 'name="organisations"', 'name="milestones"', " | "):
        assert legacy not in html, legacy
    assert re.search(r'<select id="f-countries-0-country" name="countries-0-country"', html)
    assert '<option value="TCD">Chad (TCD)</option>' in html
    assert '<option value="IOM">IOM (IOM)</option>' in html  # parties by name
    assert 'id="f-milestones-0-due" name="milestones-0-due" type="date"' in html
    assert '<label for="f-countries-1-share">Share % <span' in html  # rows for more
    assert "data-add-row hidden>Add a country</button>" in html


def test_rows_create_a_project_and_its_edit_form_shows_them_again(
    world: TestClient, browser_as: Callable[..., TestClient]
) -> None:
    web = browser_as("secretariat")
    form = web.get("/projects/new").text
    rows = {
        "countries-0-country": "TCD",
        "countries-0-share": "60",
        "countries-1-country": "",  # an empty row in between is skipped
        "countries-1-share": "",
        "countries-2-country": "GNB",
        "countries-2-share": "40",
        "organisations-0-party": "IOM",
        "organisations-0-role": "implementing",
        "organisations-1-party": "UNDP",
        "organisations-1-role": "funding",
        "organisations-2-party": "",
        "organisations-2-role": "funding",  # a default role alone leaves the row empty
        "milestones-0-title": "Wells dug",
        "milestones-0-due": "2025-09-30",
        "milestones-0-status": "in-progress",
        "sources-0-source": "https://example.org/a",
        "sources-1-source": "Ministry of Water, letter of 2025-01-10",
    }
    data = {"csrf_token": csrf_of(form), "ref": "P-ROWS", "title": "Rows", "status": "2", **rows}
    created = web.post("/projects/new", data=data, follow_redirects=False)
    assert created.status_code == 303, created.text[-2000:]
    stored = world.get(f"{API}/projects/P-ROWS").json()
    assert stored["countries"] == [
        {"country": "TCD", "share": 60.0},
        {"country": "GNB", "share": 40.0},
    ]
    assert stored["organisations"] == [
        {"party": "IOM", "role": "implementing"},
        {"party": "UNDP", "role": "funding"},
    ]
    assert stored["milestones"][0]["due"] == "2025-09-30"
    assert stored["sources"] == ["https://example.org/a", "Ministry of Water, letter of 2025-01-10"]
    edit = web.get("/projects/P-ROWS/edit").text
    assert _selected(edit, "f-countries-1-country") == "GNB"
    assert 'name="countries-1-share" type="number" value="40"' in edit
    assert _selected(edit, "f-organisations-1-role") == "funding"
    assert _selected(edit, "f-milestones-0-status") == "in-progress"
    saved = web.post("/projects/P-ROWS/edit", data=form_values(edit), follow_redirects=False)
    assert saved.status_code == 303
    again = world.get(f"{API}/projects/P-ROWS").json()
    assert again["version"] == 2
    assert {k: again[k] for k in ("countries", "organisations", "milestones", "sources")} == {
        k: stored[k] for k in ("countries", "organisations", "milestones", "sources")
    }


def test_agreement_parties_and_ratifications_are_rows(
    world: TestClient, browser_as: Callable[..., TestClient]
) -> None:
    web = browser_as("secretariat")
    form = web.get("/agreements/new").text
    assert 'name="ratifications"' not in form and 'id="f-ratifications-0-party"' in form
    data = {
        "csrf_token": csrf_of(form),
        "ref": "AG-ROWS",
        "title": "Memorandum",
        "kind": "memorandum",
        "status": "signed",
        "parties-0-party": "TCD",
        "parties-0-role": "signatory",
        "parties-1-party": "GNB",
        "parties-1-role": "co-lead",
        "ratifications-0-party": "TCD",
        "ratifications-0-date": "2025-03",
        "ratifications-0-body": "National Assembly",
    }
    assert web.post("/agreements/new", data=data, follow_redirects=False).status_code == 303
    stored = world.get(f"{API}/agreements/AG-ROWS").json()
    assert [(p["party"], p["role"]) for p in stored["parties"]] == [
        ("TCD", "signatory"),
        ("GNB", "co-lead"),
    ]
    assert stored["ratifications"][0]["date"] == "2025-03"
    project = web.get("/projects/new").text
    assert '<option value="AG-ROWS">Memorandum (AG-ROWS)</option>' in project  # picker


def test_a_focal_points_own_party_is_a_visible_removable_row(
    world: TestClient, browser_as: Callable[..., TestClient]
) -> None:
    web = browser_as("focal_point", party="TCD", username="chad-rows")
    form = web.get("/projects/new").text
    assert _selected(form, "f-organisations-0-party") == "TCD"
    assert _selected(form, "f-organisations-0-role") == "implementing"
    assert "Your party, TCD, is filled in below. Remove that row" in form
    base = {"csrf_token": csrf_of(form), "ref": "P-FP", "title": "Wells", "status": "2"}
    elsewhere = {"countries-0-country": "GNB", "countries-0-share": "100"}
    refused = web.post("/projects/new", data={**base, **elsewhere})  # her row removed
    assert refused.status_code == 403
    assert re.search(r'id="err-organisations"[^>]*>Your party, TCD, is not named', refused.text)
    assert _selected(refused.text, "f-countries-0-country") == "GNB"  # what was typed is kept
    assert world.get(f"{API}/projects/P-FP").status_code == 404
    partner = {**elsewhere, "organisations-0-party": "TCD", "organisations-0-role": "funding"}
    made = web.post("/projects/new", data={**base, **partner}, follow_redirects=False)
    assert made.status_code == 303, made.text[-1500:]
    home = {"countries-0-country": "TCD", "countries-0-share": "100", "ref": "P-FP2"}
    made = web.post("/projects/new", data={**base, **home}, follow_redirects=False)
    assert made.status_code == 303
    stored = world.get(f"{API}/projects/P-FP2").json()
    assert stored["organisations"] == [] and stored["published"] is False  # nothing added


def test_groups_pick_parties_and_members_pick_countries_by_name(
    world: TestClient, browser_as: Callable[..., TestClient]
) -> None:
    web = browser_as("focal_point", party="TCD")
    form = web.get("/working-groups/new").text
    assert _selected(form, "f-parties-0-party") == "TCD"
    data = {
        "csrf_token": csrf_of(form),
        "ref": "WG-P",
        "name": "Pick",
        "parties-0-party": "TCD",
        "parties-1-party": "GNB",
    }
    assert web.post("/working-groups/new", data=data, follow_redirects=False).status_code == 303
    assert world.get(f"{API}/working-groups/WG-P").json()["parties"] == ["TCD", "GNB"]
    member = web.get("/working-groups/WG-P/members/new").text
    assert re.search(r'<select id="f-country" name="country"', member)
    assert '<option value="GNB">Guinea-Bissau (GNB)</option>' in member
