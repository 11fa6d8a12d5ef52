"""The pages, as a browser without JavaScript sees them (TestClient, both databases)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from web_helpers import csrf_of, form_values, summary, write_study

from bakuhub.config import Settings
from bakuhub.registry.seed import seed_demo

PAGES = ["/", "/parties", "/agreements", "/working-groups", "/projects", "/risk", "/corridor"]


def test_home_shows_the_demo_record(session: Session, anon_client: TestClient) -> None:
    seed_demo(session=session, author="demo-seed")
    session.commit()
    home = anon_client.get("/")
    assert home.status_code == 200
    assert "<strong>4</strong> projects" in home.text
    assert "Caspian" in home.text
    assert "Chad" in home.text  # a country with projects
    assert 'href="/risk/countries/' in home.text  # top of the risk ranking
    for path in PAGES:
        page = anon_client.get(path)
        assert page.status_code == 200, path
        assert "<h1>" in page.text and 'lang="en"' in page.text
        scripts = re.findall(r'<script src="([^"]+)"', page.text)
        assert all(s.startswith("/static/") for s in scripts), scripts  # no CDN
    assert anon_client.get("/static/plotly.min.js").status_code == 200


def test_every_record_of_the_demo_has_a_page(session: Session, anon_client: TestClient) -> None:
    seed_demo(session=session, author="demo-seed")
    session.commit()
    for kind in ("parties", "agreements", "working-groups", "projects"):
        listing = anon_client.get(f"/{kind}").text
        refs = set(re.findall(rf'href="/{kind}/([^"/?#]+)"', listing)) - {"new"}
        assert refs, kind
        for ref in refs:
            assert anon_client.get(f"/{kind}/{ref}").status_code == 200, f"/{kind}/{ref}"


def test_drafts_stay_off_the_public_pages(world: TestClient, anon_client: TestClient) -> None:
    assert "P-DRAFT" not in anon_client.get("/projects").text
    assert anon_client.get("/projects/P-DRAFT").status_code == 404
    assert "Project P-DRAFT" in world.get("/projects").text  # the administrator sees it


def test_form_errors_are_shown_beside_the_field(browser_as: Callable[..., TestClient]) -> None:
    web = browser_as("secretariat")
    form = web.get("/projects/new")
    assert form.status_code == 200 and 'label for="f-title"' in form.text
    r = web.post(
        "/projects/new",
        data={
            "csrf_token": csrf_of(form.text),
            "ref": "P-1",
            "title": "",
            "status": "2",
            "countries": "TCD 100",
        },
    )
    assert r.status_code == 422
    assert re.search(r'id="err-countries"[^>]*>[^<]*not written as country:share', r.text)
    assert 'aria-describedby="err-countries"' in r.text
    again = web.post(
        "/projects/new",
        data={"csrf_token": csrf_of(form.text), "ref": "P-1", "title": "", "status": "2"},
    )
    assert re.search(r'id="err-title"[^>]*>[^<]*required; fill it in', again.text)


def test_a_focal_point_cannot_open_anothers_project_form(
    world: TestClient, browser_as: Callable[..., TestClient]
) -> None:
    web = browser_as("focal_point", party="GNB")
    assert web.get("/projects/P-GNB/edit").status_code == 200
    page = web.get("/projects/P-TCD/edit")
    assert page.status_code == 403
    assert "does not belong to your party" in page.text
    assert "Edit</a>" not in web.get("/projects/P-TCD").text


def test_risk_weights_recompute_the_ranking(anon_client: TestClient) -> None:
    default = anon_client.get("/risk/table").text
    climate_only = anon_client.get(
        "/risk/table",
        params={"w_climate": 1, "w_conflict": 0, "w_displacement": 0, "w_readiness": 0},
    ).text

    def first(html: str) -> str:
        return re.findall(r'<tr data-iso3="([A-Z]{3})"', html)[0]

    assert first(default) != first(climate_only)
    bad = anon_client.get("/risk/table", params={"w_climate": "lots"}).text
    assert "is not a number" in bad


def test_the_corridor_page_lists_studies_and_serves_their_reports(
    settings: Settings, anon_client: TestClient
) -> None:
    study = Path(settings.data_dir) / "studies" / "reference-2030"
    study.mkdir(parents=True)
    summary = {"scenario": "reference-2030", "year": 2030, "total_system_cost_eur_a": 1.5e10}
    (study / "summary.json").write_text(json.dumps(summary))
    (study / "report.html").write_text("<html><h1>Study report</h1></html>")
    page = anon_client.get("/corridor")
    assert "reference-2030" in page.text
    assert "<code>reference-2035</code> (2035)" in page.text  # a shipped scenario
    assert anon_client.get("/corridor/studies/reference-2030/report.html").text.startswith("<html>")
    assert anon_client.get("/corridor/studies/..%2F..%2Fetc/report.html").status_code == 404


def test_the_corridor_page_compares_two_studies(
    settings: Settings, anon_client: TestClient
) -> None:
    root = Path(settings.data_dir) / "studies"
    write_study(root, "cheap", summary("reference-2030", 2e10, 10, 0))
    write_study(root, "dear", summary("reference-2030", 2.5e10, 14, 2000))
    write_study(root, "third", summary("reference-2030", 1e10, 1, 0))
    page = anon_client.get("/corridor", params=[("compare", "cheap"), ("compare", "dear")])
    assert page.status_code == 200
    table = page.text[page.text.index('<table class="compare">') :]
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th>((?:<td[^>]*>[^<]*</td>)+)', table))
    cells = [re.findall(r">([^<]*)</td>", rows[k]) for k in ("Total system cost (bn EUR/a)",)]
    assert cells == [["20", "25", "+5"]]
    caspian = re.findall(r">([^<]*)</td>", rows["Caspian cable (MW)"])
    assert caspian == ["0", "2,000", "+2,000"]
    one = anon_client.get("/corridor", params={"compare": "cheap"}).text
    assert 'id="compare-error"' in one and "Tick two or more" in one


def test_the_audit_page_is_for_the_secretariat(
    world: TestClient, browser_as: Callable[..., TestClient]
) -> None:
    assert browser_as("focal_point", party="TCD").get("/audit").status_code == 403
    page = browser_as("secretariat").get("/audit")
    assert page.status_code == 200 and "P-TCD" in page.text


def test_anonymous_visitors_are_sent_to_the_sign_in_page(anon_client: TestClient) -> None:
    r = anon_client.get("/projects/new", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/login?next=/projects/new"


def test_every_demo_record_saves_unchanged_through_its_edit_form(
    session: Session, browser_as: Callable[..., TestClient]
) -> None:
    seed_demo(session=session, author="demo-seed")
    session.commit()
    web = browser_as("secretariat")
    for kind in ("parties", "agreements", "working-groups", "projects"):
        refs = set(re.findall(rf'href="/{kind}/([^"/?#]+)"', web.get(f"/{kind}").text)) - {"new"}
        for ref in sorted(refs)[:4]:
            form = web.get(f"/{kind}/{ref}/edit")
            assert form.status_code == 200, f"{kind}/{ref}"
            before = web.get(f"/api/v1/{kind}/{ref}").json()
            saved = web.post(
                f"/{kind}/{ref}/edit", data=form_values(form.text), follow_redirects=False
            )
            assert saved.status_code == 303, f"{kind}/{ref}: {saved.text[-3000:]}"
            after = web.get(f"/api/v1/{kind}/{ref}").json()
            skip = {"version", "updated_at", "updated_by"}
            assert {k: v for k, v in after.items() if k not in skip} == {
                k: v for k, v in before.items() if k not in skip
            }, f"{kind}/{ref} changed by saving its form unchanged"


def test_changes_are_committed_before_the_answer_is_sent(app: FastAPI) -> None:
    """A browser follows a form's redirect at once: the commit must not wait until
    after the answer (FastAPI's default for dependencies with yield)."""
    from fastapi.dependencies.models import Dependant
    from fastapi.routing import APIRoute, iter_route_contexts

    from bakuhub.web.deps import get_session

    def sessions(dependant: Dependant) -> list[Dependant]:
        found = [dependant] if dependant.call is get_session else []
        for sub in dependant.dependencies:
            found += sessions(sub)
        return found

    checked = 0
    for context in iter_route_contexts(app.routes):
        if isinstance(context.route, APIRoute):
            for dependant in sessions(context.route.dependant):
                assert dependant.scope == "function", context.path
                checked += 1
    assert checked > 100


def test_the_api_documentation_works_offline(anon_client: TestClient) -> None:
    """Swagger UI comes from bakuhub itself (the swagger-ui-bundle package), not a CDN."""
    page = anon_client.get("/api/v1/docs")
    assert page.status_code == 200 and "SwaggerUIBundle" in page.text
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert assets and all(a.startswith(("/", "data:")) for a in assets), assets
    for asset in (a for a in assets if a.startswith("/")):
        served = anon_client.get(asset)
        assert served.status_code == 200 and len(served.content) > 10_000, asset
    assert "cdn" not in page.headers["content-security-policy"]
