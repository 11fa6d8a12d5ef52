"""Results frameworks through the JSON API and the pages: indicators and periods added,
edited and deleted, errors beside their field, bulk review, who reviewed when."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from web_helpers import API, csrf_of, result_body

SECOND = {"start": "2026-01-01", "end": "2026-12-31", "target": 120, "actual": 60}


def _result(world: TestClient, ref: str = "P-TCD") -> dict[str, Any]:
    r = world.post(f"{API}/projects/{ref}/results", json=result_body())
    assert r.status_code == 201, r.text
    out: dict[str, Any] = r.json()
    return out


def _submit(client: TestClient, period: dict[str, Any]) -> dict[str, Any]:
    move = {"to": "submitted", "version": period["version"]}
    r = client.post(f"{API}/periods/{period['id']}/transitions", json=move)
    assert r.status_code == 200, r.text
    out: dict[str, Any] = r.json()
    return out


def _post(web: TestClient, path: str, data: dict[str, Any]) -> Any:
    token = csrf_of(web.get("/account").text)
    return web.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


# ---- the JSON API ---------------------------------------------------------------------------


def test_api_adds_a_second_period_and_an_indicator_with_a_baseline(
    world: TestClient, client_as: Callable[..., TestClient], anon_client: TestClient
) -> None:
    result = _result(world)
    indicator = result["indicators"][0]
    chad = client_as("focal_point", party="TCD", username="tcd")
    r = chad.post(f"{API}/indicators/{indicator['id']}/periods", json=SECOND)
    assert r.status_code == 201, r.text
    r = chad.post(
        f"{API}/results/{result['id']}/indicators",
        json={
            "title": "Girls enrolled",
            "measure": "percentage",
            "baseline_year": 2024,
            "baseline_value": 35,
        },
    )
    assert r.status_code == 201, r.text
    r = chad.patch(f"{API}/indicators/{r.json()['id']}", json={"baseline_value": 37})
    assert r.json()["baseline_value"] == 37
    assert chad.patch(f"{API}/results/{result['id']}", json={"title": "Water"}).status_code == 200
    framework = chad.get(f"{API}/projects/P-TCD/results").json()["results"][0]
    assert framework["title"] == "Water"
    assert [len(i["periods"]) for i in framework["indicators"]] == [2, 0]
    assert [i["baseline_value"] for i in framework["indicators"]] == [None, 37]
    assert anon_client.get(f"{API}/indicators/{indicator['id']}").json()["periods"] == []


def test_api_refuses_another_party_before_reading_the_body(
    world: TestClient, client_as: Callable[..., TestClient]
) -> None:
    indicator = _result(world)["indicators"][0]
    gnb = client_as("focal_point", party="GNB", username="gnb")
    r = gnb.post(f"{API}/indicators/{indicator['id']}/periods", json={"nonsense": 1})
    assert r.status_code == 403 and "does not belong to your party" in r.text
    viewer = client_as("viewer", username="v")
    assert viewer.delete(f"{API}/indicators/{indicator['id']}").status_code == 403
    assert world.get(f"{API}/indicators/{indicator['id']}").status_code == 200


def test_api_deletes_a_period_at_its_version(world: TestClient) -> None:
    period = _result(world)["indicators"][0]["periods"][0]
    stale = world.delete(f"{API}/periods/{period['id']}", params={"version": 9})
    assert stale.status_code == 409 and "reload" in stale.json()["detail"]
    r = world.delete(f"{API}/periods/{period['id']}", params={"version": period["version"]})
    assert r.status_code == 204
    assert world.get(f"{API}/periods/{period['id']}").status_code == 404


def test_api_bulk_review_is_all_or_nothing_and_names_the_reviewer(
    world: TestClient, client_as: Callable[..., TestClient], anon_client: TestClient
) -> None:
    indicator = _result(world)["indicators"][0]
    world.post(f"{API}/indicators/{indicator['id']}/periods", json=SECOND)
    periods = world.get(f"{API}/indicators/{indicator['id']}").json()["periods"]
    chad = client_as("focal_point", party="TCD", username="tcd")
    submitted = [_submit(chad, p) for p in periods]
    waiting = world.get(f"{API}/review").json()
    assert [p["id"] for p in waiting] == [p["id"] for p in submitted]
    assert waiting[0]["project"]["ref"] == "P-TCD"
    refs = [{"id": p["id"], "version": p["version"]} for p in submitted]
    assert chad.post(f"{API}/review", json={"to": "approved", "periods": refs}).status_code == 403
    stale = [refs[0], {**refs[1], "version": 1}]
    r = world.post(f"{API}/review", json={"to": "approved", "periods": stale})
    assert r.status_code == 409 and "No period was approved" in r.text
    assert [p["state"] for p in world.get(f"{API}/review").json()] == ["submitted"] * 2
    sec = client_as("secretariat", username="sec")
    r = sec.post(f"{API}/review", json={"to": "approved", "periods": refs})
    assert r.status_code == 200, r.text
    public = anon_client.get(f"{API}/periods/{refs[0]['id']}").json()
    assert public["state"] == "approved" and public["reviewed_by"] == "sec"
    assert public["reviewed_at"] is not None
    assert world.get(f"{API}/review").json() == []


# ---- the pages ------------------------------------------------------------------------------


def test_a_focal_point_adds_a_period_with_parts_on_its_page(
    world: TestClient, browser_as: Callable[..., TestClient]
) -> None:
    indicator = _result(world)["indicators"][0]
    chad = browser_as("focal_point", party="TCD", username="chad")
    form = chad.get(f"/indicators/{indicator['id']}/periods/new")
    assert form.status_code == 200 and 'for="d-category-0"' in form.text
    r = _post(
        chad,
        f"/indicators/{indicator['id']}/periods/new",
        {
            "full": "1",
            "start": "2026-01-01",
            "end": "2026-12-31",
            "target": "120",
            "actual": "60",
            "d-side-0": "actual",
            "d-dimension-0": "sex",
            "d-category-0": "female",
            "d-value-0": "35",
            "d-side-1": "actual",
            "d-dimension-1": "sex",
            "d-category-1": "male",
            "d-value-1": "25",
        },
    )
    assert r.status_code == 303, r.text
    page = chad.get("/projects/P-TCD").text
    assert "Jan 1, 2026 to Dec 31, 2026" in page and "female: 35" in page


def test_every_error_of_a_period_form_shows_beside_its_field(
    world: TestClient, browser_as: Callable[..., TestClient]
) -> None:
    indicator = _result(world)["indicators"][0]
    chad = browser_as("focal_point", party="TCD", username="chad")
    r = _post(
        chad,
        f"/indicators/{indicator['id']}/periods/new",
        {
            "full": "1",
            "start": "2026-01-01",
            "end": "",
            "target": "lots",
            "evidence_url": "report.pdf",
        },
    )
    assert r.status_code == 422
    for name, words in (
        ("end", "Enter a date as YYYY-MM-DD"),
        ("target", "Enter a number"),
        ("evidence_url", "starts with http:// or https://"),
    ):
        field = re.search(rf'id="f-{name}"[^>]*aria-describedby="err-{name}', r.text)
        assert field, f"{name} has no error linked to it"
        error = re.search(rf'id="err-{name}"[^>]*>([^<]*)<', r.text)
        assert error and words in error.group(1), name
    assert 'value="lots"' in r.text and 'value="report.pdf"' in r.text
    r = _post(
        chad,
        f"/indicators/{indicator['id']}/periods/new",
        {"full": "1", "start": "2025-06-01", "end": "2026-05-31"},
    )
    assert r.status_code == 422 and "overlaps the period from 2025-01-01" in r.text


def test_the_add_result_form_takes_a_baseline_and_keeps_what_was_typed(
    world: TestClient, browser_as: Callable[..., TestClient]
) -> None:
    chad = browser_as("focal_point", party="TCD", username="chad")
    typed = {
        "kind": "output",
        "title": "Water",
        "indicator": "Households",
        "measure": "unit",
        "baseline_year": "",
        "baseline_value": "12",
        "start": "2025-01-01",
        "end": "2025-12-31",
        "target": "200",
    }
    r = _post(chad, "/projects/P-TCD/results/new", typed)
    assert r.status_code == 422 and 'id="err-baseline_year"' in r.text
    assert 'value="Households"' in r.text and 'value="12"' in r.text
    r = _post(chad, "/projects/P-TCD/results/new", {**typed, "baseline_year": "2024"})
    assert r.status_code == 303
    indicator = world.get(f"{API}/projects/P-TCD/results").json()["results"][0]["indicators"][0]
    assert (indicator["baseline_value"], indicator["baseline_year"]) == (12, 2024)
    assert "baseline 12 in 2024" in chad.get("/projects/P-TCD").text


def test_deleting_needs_the_confirmation_tick(
    world: TestClient, browser_as: Callable[..., TestClient]
) -> None:
    result = _result(world)
    chad = browser_as("focal_point", party="TCD", username="chad")
    r = _post(chad, f"/results/{result['id']}/delete", {})
    assert r.status_code == 422 and "Tick the box to confirm" in r.text
    assert len(world.get(f"{API}/projects/P-TCD/results").json()["results"]) == 1
    r = _post(chad, f"/results/{result['id']}/delete", {"confirm": "yes"})
    assert r.status_code == 303
    assert world.get(f"{API}/projects/P-TCD/results").json()["results"] == []


def test_the_secretariat_approves_several_on_the_review_page(
    world: TestClient, browser_as: Callable[..., TestClient], client_as: Callable[..., TestClient]
) -> None:
    indicator = _result(world)["indicators"][0]
    world.post(f"{API}/indicators/{indicator['id']}/periods", json=SECOND)
    periods = world.get(f"{API}/indicators/{indicator['id']}").json()["periods"]
    chad_api = client_as("focal_point", party="TCD", username="tcd")
    submitted = [_submit(chad_api, p) for p in periods]
    sec = browser_as("secretariat", username="sec")
    page = sec.get("/review")
    assert page.status_code == 200 and page.text.count('name="period"') == 2
    r = _post(sec, "/review", {"to": "approved"})
    assert r.status_code == 422 and "none was ticked" in r.text
    ticks = [f"{p['id']}:{p['version']}" for p in submitted]
    token = csrf_of(sec.get("/review").text)
    r = sec.post(
        "/review",
        data={"to": "approved", "period": ticks, "csrf_token": token},
        follow_redirects=True,
    )
    assert "2 periods approved." in r.text and "No period is waiting" in r.text
    project = sec.get("/projects/P-TCD").text
    assert project.count('data-state="approved"') == 2 and "Approved by sec on" in project


def test_a_returned_period_shows_the_comment_to_its_focal_point(
    world: TestClient, browser_as: Callable[..., TestClient], client_as: Callable[..., TestClient]
) -> None:
    period = _result(world)["indicators"][0]["periods"][0]
    period = _submit(client_as("focal_point", party="TCD", username="tcd"), period)
    sec = browser_as("secretariat", username="sec")
    r = _post(
        sec, f"/periods/{period['id']}/move", {"to": "returned", "version": str(period["version"])}
    )
    assert r.status_code == 422 and 'aria-describedby="err-comment"' in r.text
    token = csrf_of(sec.get("/review").text)
    r = sec.post(
        "/review",
        data={
            "to": "returned",
            "period": f"{period['id']}:{period['version']}",
            "comment": "Attach the survey report",
            "csrf_token": token,
        },
    )
    assert r.status_code == 200 and "1 period returned." in r.text
    chad = browser_as("focal_point", party="TCD", username="chad")
    mine = chad.get("/review").text
    assert "Returned to you for correction" in mine and "Attach the survey report" in mine
    project = chad.get("/projects/P-TCD").text
    assert "Returned for correction: “Attach the survey report”" in project
    assert "Returned by sec on" in project
    assert (
        "Attach the survey report"
        not in browser_as("focal_point", party="GNB", username="gnb").get("/review").text
    )
