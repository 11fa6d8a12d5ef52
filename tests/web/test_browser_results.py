"""Browser tests of results frameworks: a focal point adds a result with a baseline and
a second period with disaggregations (errors beside their field first), and the
secretariat approves several periods at once and returns one with a comment the focal
point then reads; at desktop width and at 390 px."""

from __future__ import annotations

from typing import Any

from browser_support import scroll_width, shot, sign_in

API = "/api/v1"


def _api(page: Any, url: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST to the JSON API with the signed-in page's cookie and CSRF token."""
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    answer = page.request.post(f"{API}{url}", data=body, headers={"X-CSRF-Token": token})
    assert answer.ok, answer.text()
    out: dict[str, Any] = answer.json()
    return out


def _project(page: Any, ref: str) -> None:
    body = {
        "ref": ref,
        "title": f"Water points {ref}",
        "status": "2",
        "countries": [{"country": "TCD", "share": 100}],
    }
    _api(page, "/projects", body)


def _fits(page: Any) -> None:
    width = page.viewport_size["width"]
    assert scroll_width(page) <= width + 1, f"{page.url} scrolls sideways at {width}px"


def test_a_focal_point_builds_a_framework_with_a_second_period(any_page: Any) -> None:
    page = any_page
    width = page.viewport_size["width"]
    ref = f"RES-FP-{width}"
    sign_in(page, "chad")
    _project(page, ref)
    page.goto(f"/projects/{ref}")
    page.get_by_label("Result", exact=True).fill("Villages have safe water")
    page.get_by_label("Indicator").fill("Households with a water point")
    page.get_by_label("Unit").fill("households")
    page.get_by_label("Baseline year").fill("2024")
    page.get_by_label("Baseline value").fill("40")
    page.get_by_label("Period start").fill("2025-01-01")
    page.get_by_label("Period end").fill("2025-12-31")
    page.get_by_label("Target", exact=True).fill("200")
    page.get_by_role("button", name="Add result").click()
    page.wait_for_url(f"**/projects/{ref}#results")
    assert "baseline 40 in 2024" in page.locator("#results ~ section").first.inner_text()

    page.get_by_role("link", name="Add a period to “Households with a water point”").click()
    page.wait_for_url("**/periods/new")
    page.get_by_label("Period start").fill("2025-06-01")
    page.get_by_label("Period end").fill("2026-12-31")
    page.get_by_label("Target", exact=True).fill("lots")
    page.get_by_role("button", name="Add period").click()
    assert "Enter a number" in page.locator("#err-target").inner_text()
    assert page.get_by_label("Target", exact=True).input_value() == "lots"
    page.get_by_label("Target", exact=True).fill("300")
    page.get_by_role("button", name="Add period").click()
    assert "overlaps the period from 2025-01-01" in page.locator("#err-start").inner_text()
    _fits(page)
    shot(page, f"results-period-errors-{width}")

    page.get_by_label("Period start").fill("2026-01-01")
    page.get_by_label("Actual", exact=True).fill("120")
    page.locator("#d-side-0").select_option("actual")
    page.locator("#d-dimension-0").select_option("sex")
    page.locator("#d-category-0").fill("female")
    page.locator("#d-value-0").fill("70")
    page.locator("#d-side-1").select_option("actual")
    page.locator("#d-dimension-1").select_option("sex")
    page.locator("#d-category-1").fill("male")
    page.locator("#d-value-1").fill("50")
    page.get_by_role("button", name="Add a row").click()
    assert page.locator("#d-category-2").is_visible()
    page.get_by_role("button", name="Add period").click()
    page.wait_for_url(f"**/projects/{ref}#period-*")
    rows = page.locator("tr[id^='period-']")
    assert rows.count() == 2
    assert "female: 70" in rows.nth(1).inner_text()
    _fits(page)
    shot(page, f"results-framework-{width}")


def test_the_secretariat_approves_several_and_returns_one(any_page: Any, browser: Any) -> None:
    page = any_page
    width = page.viewport_size["width"]
    ref = f"RES-REV-{width}"
    sign_in(page, "sec")
    _project(page, ref)
    periods = [
        {"start": f"{y}-01-01", "end": f"{y}-12-31", "target": 100, "actual": 90}
        for y in (2023, 2024, 2025)
    ]
    result = {
        "kind": "outcome",
        "title": "Girls in school",
        "indicators": [{"title": f"Girls enrolled {ref}", "unit": "girls", "periods": periods}],
    }
    made = _api(page, f"/projects/{ref}/results", result)
    for period in made["indicators"][0]["periods"]:
        _api(page, f"/periods/{period['id']}/transitions", {"to": "submitted", "version": 1})

    page.goto("/review")
    for year in (2023, 2024):
        page.get_by_label(
            f"Select {ref}, Girls enrolled {ref}, Jan 1, {year} to Dec 31, {year}"
        ).check()
    shot(page, f"results-review-{width}")
    _fits(page)
    page.get_by_role("button", name="Approve selected").click()
    assert "2 periods approved." in page.get_by_role("status").inner_text()
    page.get_by_label(f"Select {ref}, Girls enrolled {ref}, Jan 1, 2025 to Dec 31, 2025").check()
    page.get_by_role("button", name="Return selected").click()
    assert "Write what the focal point should correct" in page.locator("#err-comment").inner_text()
    page.get_by_label("Comment (required to return)").fill("Attach the enrolment register")
    page.get_by_role("button", name="Return selected").click()
    assert "1 period returned." in page.get_by_role("status").inner_text()
    page.goto(f"/projects/{ref}")
    states = page.locator("tr[id^='period-']")
    assert [states.nth(i).get_attribute("data-state") for i in range(3)] == [
        "approved",
        "approved",
        "returned",
    ]
    assert "Approved by sec on" in states.nth(0).inner_text()

    chad = browser.new_context(base_url=page.url.split("/projects")[0], viewport=page.viewport_size)
    focal = chad.new_page()
    sign_in(focal, "chad")
    focal.goto("/review")
    returned = focal.locator("#returned ~ ul").inner_text()
    assert "Attach the enrolment register" in returned and f"Girls enrolled {ref}" in returned
    _fits(focal)
    shot(focal, f"results-returned-{width}")
    chad.close()
