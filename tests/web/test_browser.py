"""Browser tests: Playwright driving Debian's Chromium against a live server on a
fresh SQLite database with the demo record (fixtures in ``browser_support``)."""

from __future__ import annotations

import re
from typing import Any

from browser_support import ARTIFACTS, CSP_WORDS, shot, sign_in


def test_sign_in_and_out(page: Any) -> None:
    sign_in(page, "sec")
    assert page.locator("header .who").inner_text().startswith("sec")
    page.get_by_role("button", name="Sign out").click()
    assert page.get_by_role("link", name="Sign in").is_visible()
    page.goto("/login")
    page.get_by_label("User name").fill("sec")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    assert "wrong" in page.locator("#login-error").inner_text()


def test_focal_point_reports_secretariat_approves_public_sees(
    browser: Any, server: str, page: Any
) -> None:
    sign_in(page, "chad")
    page.goto("/projects/new")
    page.get_by_label("Ref").fill("CHAD-SOLAR-PUMPS")
    page.get_by_label("Title").fill("Solar pumps for Lake Chad villages")
    page.get_by_label("Country (row 1)").select_option("TCD")
    page.get_by_label("Share % (row 1)").fill("100")
    page.get_by_role("button", name="Create project").click()
    page.wait_for_url("**/projects/CHAD-SOLAR-PUMPS")
    assert "draft" in page.locator("h1").inner_text()
    page.get_by_label("Result", exact=True).fill("Villages with water")
    page.get_by_label("Indicator").fill("Households with water")
    page.get_by_label("Period start").fill("2025-01-01")
    page.get_by_label("Period end").fill("2025-12-31")
    page.get_by_label("Target", exact=True).fill("200")
    page.get_by_role("button", name="Add result").click()
    page.wait_for_url("**/projects/CHAD-SOLAR-PUMPS#results")
    page.wait_for_load_state()
    shot(page, "project-result-added")
    actual = page.locator("input[id^='actual-']")
    assert actual.count() == 1, page.locator("main").inner_text()
    actual.fill("150")
    page.get_by_role("button", name="Save values").click()
    page.get_by_role("button", name="Submit", exact=True).click()
    assert page.locator("tr[id^='period-']").first.get_attribute("data-state") == "submitted"
    assert page.get_by_role("button", name="Approve").count() == 0
    shot(page, "project-focal-point")

    staff = browser.new_context(base_url=server).new_page()
    sign_in(staff, "sec")
    staff.goto("/projects/CHAD-SOLAR-PUMPS")
    staff.get_by_role("button", name="Approve").click()
    assert staff.locator("tr[id^='period-']").first.get_attribute("data-state") == "approved"
    public = browser.new_context(base_url=server).new_page()
    assert public.goto("/projects/CHAD-SOLAR-PUMPS").status == 404  # a draft
    assert "Solar pumps" not in public.goto("/projects").text()
    staff.goto("/projects/CHAD-SOLAR-PUMPS/edit")
    staff.get_by_label("Published (the public sees it)").check()
    staff.get_by_role("button", name="Save changes").click()
    staff.wait_for_url("**/projects/CHAD-SOLAR-PUMPS")
    public.goto("/projects/CHAD-SOLAR-PUMPS")
    assert public.locator("tr[id^='period-']").first.get_attribute("data-state") == "approved"
    assert "150" in public.locator("tr[id^='period-']").first.inner_text()
    staff.goto("/audit")
    assert "CHAD-SOLAR-PUMPS" in staff.locator("table.audit").inner_text()
    shot(staff, "audit")


def test_focal_point_cannot_edit_another_partys_project(page: Any) -> None:
    sign_in(page, "chad")
    response = page.goto("/projects/CASPIAN-LINK-FEASIBILITY/edit")
    assert response.status == 403
    assert "does not belong to your party" in page.locator("main").inner_text()
    page.goto("/projects/CASPIAN-LINK-FEASIBILITY")
    assert page.get_by_role("link", name="Edit").count() == 0
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    api = page.request.patch(
        "/api/v1/projects/CASPIAN-LINK-FEASIBILITY",
        data={"version": 1, "title": "taken over"},
        headers={"X-CSRF-Token": token},
    )
    assert api.status == 403
    assert "does not belong to your party" in api.json()["detail"]
    no_csrf = page.request.patch(
        "/api/v1/projects/CASPIAN-LINK-FEASIBILITY", data={"version": 1, "title": "x"}
    )
    assert no_csrf.status == 403 and "CSRF" in no_csrf.json()["detail"]


def test_the_public_sees_published_records_and_no_drafts(page: Any, server: str) -> None:
    import httpx

    refs = {p["ref"] for p in httpx.get(f"{server}/api/v1/projects").json()["items"]}
    page.goto("/projects?per_page=100")
    shown = set(re.findall(r'href="/projects/([^"/?#]+)"', page.content())) - {"new"}
    assert shown == refs
    assert page.get_by_text("draft", exact=True).count() == 0


def test_pages_send_security_headers_and_the_csp_blocks_inline_script(
    browser: Any, server: str
) -> None:
    page = browser.new_context(base_url=server).new_page()
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text))
    response = page.goto("/risk")
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert page.locator("#risk-map .main-svg").count() > 0  # plotly drew under the CSP
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=1>')")
    page.wait_for_timeout(300)
    assert any(w in m for m in seen for w in CSP_WORDS), "an inline handler was not blocked"
    page.context.close()


def test_the_risk_page_recomputes_with_new_weights(page: Any) -> None:
    page.goto("/risk")
    first = page.locator("table.ranking tbody tr").first.get_attribute("data-iso3")
    for code in ("conflict", "displacement", "readiness"):
        page.locator(f"#w_{code}").fill("0")
    page.locator("#w_climate").fill("1")
    page.get_by_role("button", name="Recompute").click()
    page.wait_for_function(
        "first => document.querySelector('table.ranking tbody tr').dataset.iso3 !== first",
        arg=first,
    )
    assert "w_conflict=0" in page.url  # recomputed in place, the address follows
    caption = page.locator("table.ranking caption").inner_text()
    assert "Conflict 0" in caption
    assert page.locator("#risk-map .main-svg").count() > 0  # plotly drew the map offline


def test_a_focal_point_adds_a_meeting_with_the_keyboard(page: Any) -> None:
    sign_in(page, "chad")
    page.goto("/working-groups/jwg-chad")
    page.get_by_role("link", name="Add a meeting").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/working-groups/jwg-chad/meetings/new")
    page.get_by_role("button", name="Add meeting").press("Enter")  # nothing filled in
    assert "required" in page.locator("#err-date").inner_text()
    assert page.get_by_label("Date").get_attribute("aria-describedby") == "err-date"
    page.get_by_label("Date").fill("2025-10-02")
    page.get_by_label("Place").fill("N'Djamena")
    page.get_by_label("Minutes").fill("Work plan of the pilot agreed.")
    shot(page, "working-group-meeting-form")
    page.get_by_role("button", name="Add meeting").press("Enter")
    page.wait_for_url("**/working-groups/jwg-chad#meetings")
    meetings = page.locator("#meetings").inner_text()
    assert "2025-10-02" in meetings and "Work plan of the pilot agreed." in meetings
    shot(page, "working-group-focal-point")
    other = page.goto("/working-groups/jwg-guinea-bissau/meetings/new")
    assert other.status == 403


def test_screenshots_of_the_main_pages(browser: Any, server: str, page: Any) -> None:
    pages = {
        "home": "/",
        "parties": "/parties",
        "agreements": "/agreements",
        "working-groups": "/working-groups",
        "working-group": "/working-groups/baku-hub-partnership",
        "projects": "/projects",
        "project": "/projects/BAKU-HUB-PILOT-TCD",
        "risk": "/risk",
        "country": "/risk/countries/TCD",
        "corridor": "/corridor",
        "corridor-compare": "/corridor?compare=example-low-cable-cost"
        "&compare=example-high-cable-cost#compare",
        "login": "/login",
    }
    for name, path in pages.items():
        response = page.goto(path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
        shot(page, name)
        assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000
    assert page.goto(pages["corridor-compare"]).status == 200
    assert "Total system cost" in page.locator("table.compare").inner_text()
    staff = browser.new_context(base_url=server, viewport={"width": 1280, "height": 900})
    signed_in = staff.new_page()
    sign_in(signed_in, "sec")
    signed_in.goto("/projects/BAKU-HUB-PILOT-TCD")
    if signed_in.locator("input[id^='actual-']").count() == 0:
        signed_in.get_by_label("Result", exact=True).fill("Households with solar pumps")
        signed_in.get_by_label("Indicator").fill("Households reached")
        signed_in.get_by_label("Period start").fill("2025-01-01")
        signed_in.get_by_label("Period end").fill("2025-12-31")
        signed_in.get_by_label("Target", exact=True).fill("400")
        signed_in.get_by_role("button", name="Add result").click()
        signed_in.wait_for_url("**/projects/BAKU-HUB-PILOT-TCD#results")
    assert signed_in.locator("input[id^='actual-']").count() > 0
    signed_in.locator("#results").scroll_into_view_if_needed()
    later: dict[str, str | None] = {"results-entry": None, "audit": "/audit"}
    for name, target in later.items():
        if target:
            signed_in.goto(target)
        signed_in.wait_for_load_state("networkidle")
        shot(signed_in, name)
        assert (ARTIFACTS / f"{name}.png").stat().st_size > 10_000
    staff.close()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    shot(page, "home-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 400, f"the home page scrolls sideways on a phone ({width}px)"
