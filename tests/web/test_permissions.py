"""The JSON API applies the roles: who reads drafts, who changes which record."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from web_helpers import API, csrf_of, project_body, result_body


def test_the_public_reads_published_records_only(
    world: TestClient, anon_client: TestClient
) -> None:
    refs = {p["ref"] for p in anon_client.get(f"{API}/projects").json()["items"]}
    assert refs == {"P-TCD", "P-GNB"}
    assert anon_client.get(f"{API}/projects/P-DRAFT").status_code == 404
    assert anon_client.get(f"{API}/projects/P-DRAFT/results").status_code == 404
    assert "P-DRAFT" not in anon_client.get(f"{API}/csv/projects").text
    assert "P-DRAFT" not in anon_client.get(f"{API}/iati/activities.xml").text
    assert world.get(f"{API}/projects/P-DRAFT").json()["published"] is False


def test_a_viewer_reads_drafts_and_changes_nothing(
    world: TestClient, client_as: Callable[..., TestClient]
) -> None:
    viewer = client_as("viewer")
    assert viewer.get(f"{API}/projects/P-DRAFT").status_code == 200
    r = viewer.patch(f"{API}/projects/P-TCD", json={"version": 1, "title": "x"})
    assert r.status_code == 403
    assert "viewer" in r.json()["detail"]


def test_anonymous_writes_are_refused(world: TestClient, anon_client: TestClient) -> None:
    r = anon_client.post(f"{API}/projects", json=project_body("P-X"))
    assert r.status_code == 401
    assert "Sign in" in r.json()["detail"]


def test_a_focal_point_edits_only_its_own_partys_projects(
    world: TestClient, client_as: Callable[..., TestClient]
) -> None:
    chad = client_as("focal_point", party="TCD", username="chad-fp")
    ok = chad.patch(f"{API}/projects/P-TCD", json={"version": 1, "title": "Chad solar pumps"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["updated_by"] == "chad-fp"
    other = chad.patch(f"{API}/projects/P-GNB", json={"version": 1, "title": "taken over"})
    assert other.status_code == 403
    assert "does not belong to your party" in other.json()["detail"]
    assert world.get(f"{API}/projects/P-GNB").json()["title"] == "Project P-GNB"
    give_away = chad.patch(
        f"{API}/projects/P-TCD",
        json={"version": 2, "countries": [{"country": "GNB", "share": 100}]},
    )
    assert give_away.status_code == 403
    assert chad.delete(f"{API}/projects/P-TCD").status_code == 403
    assert chad.post(f"{API}/parties", json={"kind": "country", "iso3": "MLI"}).status_code == 403


def test_an_organisation_focal_point_owns_the_projects_it_takes_part_in(
    world: TestClient, client_as: Callable[..., TestClient]
) -> None:
    undp = client_as("focal_point", party="UNDP")
    assert undp.patch(f"{API}/projects/P-GNB", json={"version": 1, "title": "y"}).status_code == 200
    assert undp.patch(f"{API}/projects/P-TCD", json={"version": 1, "title": "y"}).status_code == 403


def test_a_focal_points_new_project_is_a_draft_until_the_secretariat_publishes_it(
    world: TestClient, client_as: Callable[..., TestClient], anon_client: TestClient
) -> None:
    chad = client_as("focal_point", party="TCD", username="chad-fp")
    made = chad.post(f"{API}/projects", json=project_body("P-NEW", published=True))
    assert made.status_code == 201, made.text
    assert made.json()["published"] is False
    assert anon_client.get(f"{API}/projects/P-NEW").status_code == 404
    refused = chad.patch(f"{API}/projects/P-NEW", json={"version": 1, "published": True})
    assert refused.status_code == 403
    foreign = chad.post(
        f"{API}/projects",
        json=project_body(
            "P-FOREIGN",
            countries=[{"country": "GNB", "share": 100}],
            organisations=[{"party": "UNDP", "role": "implementing"}],
        ),
    )
    assert foreign.status_code == 403
    secretariat = client_as("secretariat")
    assert (
        secretariat.patch(f"{API}/projects/P-NEW", json={"version": 1, "published": True})
    ).status_code == 200
    assert anon_client.get(f"{API}/projects/P-NEW").status_code == 200


def test_results_focal_point_submits_secretariat_approves(
    world: TestClient, client_as: Callable[..., TestClient], anon_client: TestClient
) -> None:
    chad = client_as("focal_point", party="TCD", username="chad-fp")
    gnb = client_as("focal_point", party="GNB")
    secretariat = client_as("secretariat")
    added = chad.post(f"{API}/projects/P-TCD/results", json=result_body())
    assert added.status_code == 201, added.text
    period = added.json()["indicators"][0]["periods"][0]
    pid = period["id"]
    assert gnb.post(f"{API}/projects/P-TCD/results", json=result_body()).status_code == 403
    assert gnb.patch(f"{API}/periods/{pid}", json={"version": 1, "actual": 5}).status_code == 403
    assert chad.patch(f"{API}/periods/{pid}", json={"version": 1, "actual": 80}).status_code == 200
    assert anon_client.get(f"{API}/periods/{pid}").status_code == 404
    moved = chad.post(f"{API}/periods/{pid}/transitions", json={"to": "submitted", "version": 2})
    assert moved.status_code == 200 and moved.json()["state"] == "submitted"
    approve = {"to": "approved", "version": 3}
    assert chad.post(f"{API}/periods/{pid}/transitions", json=approve).status_code == 403
    done = secretariat.post(f"{API}/periods/{pid}/transitions", json=approve)
    assert done.status_code == 200 and done.json()["state"] == "approved"
    public = anon_client.get(f"{API}/projects/P-TCD/results").json()
    assert public["results"][0]["indicators"][0]["periods"][0]["actual"] == 80


def test_every_change_is_in_the_audit_log_for_the_secretariat(
    world: TestClient, client_as: Callable[..., TestClient]
) -> None:
    chad = client_as("focal_point", party="TCD", username="chad-fp")
    chad.patch(f"{API}/projects/P-TCD", json={"version": 1, "title": "Renamed"})
    assert chad.get(f"{API}/audit").status_code == 403
    entries = client_as("secretariat").get(
        f"{API}/audit", params={"record_type": "projects", "record_ref": "P-TCD"}
    )
    assert entries.status_code == 200
    latest = entries.json()[0]
    assert latest["actor"] == "chad-fp"
    assert latest["action"] == "update"
    assert latest["before"]["title"] == "Project P-TCD"
    assert latest["after"]["title"] == "Renamed"
    created = entries.json()[-1]
    assert created["action"] == "create" and created["actor"] == "admin"


def test_a_refused_change_leaves_no_audit_entry(world: TestClient) -> None:
    before = len(world.get(f"{API}/audit").json())
    stale = world.patch(f"{API}/projects/P-TCD", json={"version": 9, "title": "x"})
    assert stale.status_code == 409
    assert len(world.get(f"{API}/audit").json()) == before


def test_a_token_acts_with_at_most_its_scoped_role(
    world: TestClient, client_as: Callable[..., TestClient], browser_as: Callable[..., TestClient]
) -> None:
    secretariat = browser_as("secretariat", username="sec-web")
    csrf = {"X-CSRF-Token": csrf_of(secretariat.get("/account").text)}
    body = {"name": "read-only", "role": "viewer"}
    made = secretariat.post(f"{API}/tokens", json=body, headers=csrf)
    assert made.status_code == 201
    reader = client_as(None)
    reader.headers["Authorization"] = f"Bearer {made.json()['token']}"
    assert reader.get(f"{API}/me").json()["role"] == "viewer"
    assert reader.patch(f"{API}/projects/P-TCD", json={"version": 1}).status_code == 403
    viewer = browser_as("viewer", username="viewer-web")
    csrf_v = {"X-CSRF-Token": csrf_of(viewer.get("/account").text)}
    too_much = viewer.post(
        f"{API}/tokens", json={"name": "x", "role": "secretariat"}, headers=csrf_v
    )
    assert too_much.status_code == 403 and "more rights" in too_much.json()["detail"]
    gone = secretariat.delete(f"{API}/tokens/{made.json()['id']}", headers=csrf)
    assert gone.status_code == 204
    assert reader.get(f"{API}/me").status_code == 401


def test_a_bad_token_is_refused_with_a_sentence(anon_client: TestClient) -> None:
    r = anon_client.get(f"{API}/projects", headers={"Authorization": "Bearer bkh_nope"})
    assert r.status_code == 401
    assert "token is unknown" in r.json()["detail"]


def test_the_public_sees_no_money_of_draft_projects(
    world: TestClient, anon_client: TestClient
) -> None:
    tx = {"kind": "disbursement", "date": "2025-02-01", "value": "100", "currency": "EUR"}
    for ref in ("P-TCD", "P-DRAFT"):
        assert world.post(f"{API}/projects/{ref}/transactions", json=tx).status_code == 201
    assert anon_client.get(f"{API}/projects/P-DRAFT/finance").status_code == 404
    public = anon_client.get(f"{API}/finance/totals", params={"by": "project"}).json()
    assert [g["key"] for g in public["groups"]] == ["P-TCD"]
    staff = world.get(f"{API}/finance/totals", params={"by": "project"}).json()
    assert {g["key"] for g in staff["groups"]} == {"P-TCD", "P-DRAFT"}
    by_country = anon_client.get(f"{API}/finance/totals", params={"by": "country"})
    assert by_country.status_code == 200, by_country.text
    assert [(g["key"], g["disbursement"]) for g in by_country.json()["groups"]] == [
        ("TCD", "100.00")
    ]
