"""Nothing the public can reach is derived from drafts: roll-ups, finance totals, the
home page, exports. Signed-in readers see drafts counted too."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from web_helpers import API, result_body

TX = {"kind": "disbursement", "date": "2025-02-01", "currency": "EUR"}


def _approved_result(client: TestClient, ref: str, actual: float) -> int:
    """Add a result with code HH to a project; its period approved with ``actual``."""
    body = result_body()
    body["indicators"][0]["code"] = "HH"
    added = client.post(f"{API}/projects/{ref}/results", json=body)
    assert added.status_code == 201, added.text
    pid = int(added.json()["indicators"][0]["periods"][0]["id"])
    assert client.patch(f"{API}/periods/{pid}", json={"version": 1, "actual": actual}).is_success
    for version, to in ((2, "submitted"), (3, "approved")):
        moved = client.post(f"{API}/periods/{pid}/transitions", json={"to": to, "version": version})
        assert moved.status_code == 200, moved.text
    return pid


@pytest.fixture
def under_agreement(world: TestClient) -> TestClient:
    """P-TCD (published) and P-DRAFT (draft) under agreement AG-1, each with an
    approved HH period (actual 30 and 70), and a draft agreement AG-DRAFT."""
    for ref, published in (("AG-1", True), ("AG-DRAFT", False)):
        body = {"ref": ref, "title": ref, "kind": "agreement", "published": published}
        assert world.post(f"{API}/agreements", json=body).status_code == 201
    for ref in ("P-TCD", "P-DRAFT"):
        r = world.patch(f"{API}/projects/{ref}", json={"version": 1, "agreement": "AG-1"})
        assert r.status_code == 200, r.text
    _approved_result(world, "P-TCD", 30)
    _approved_result(world, "P-DRAFT", 70)
    return world


def test_the_public_roll_up_counts_published_projects_only(
    under_agreement: TestClient, anon_client: TestClient, client_as: Callable[..., TestClient]
) -> None:
    public = anon_client.get(f"{API}/rollups/AG-1/HH")
    assert public.status_code == 200, public.text
    assert (public.json()["target"], public.json()["actual"]) == (100, 30)
    assert [p["project"] for p in public.json()["projects"]] == ["P-TCD"]
    assert "P-DRAFT" not in public.text
    viewer = client_as("viewer").get(f"{API}/rollups/AG-1/HH").json()
    assert (viewer["target"], viewer["actual"]) == (200, 100)


def test_a_draft_agreement_has_no_public_roll_up(
    under_agreement: TestClient, anon_client: TestClient
) -> None:
    r = under_agreement.patch(f"{API}/projects/P-TCD", json={"version": 2, "agreement": "AG-DRAFT"})
    assert r.status_code == 200, r.text
    assert anon_client.get(f"{API}/rollups/AG-DRAFT/HH").status_code == 404
    assert under_agreement.get(f"{API}/rollups/AG-DRAFT/HH").status_code == 200


def test_totals_by_any_grouping_answer_the_public_with_published_money_only(
    under_agreement: TestClient, anon_client: TestClient
) -> None:
    world = under_agreement
    for ref, value in (("P-TCD", "100"), ("P-DRAFT", "900")):
        tx = {**TX, "value": value, "provider": {"party": "IOM"}}
        assert world.post(f"{API}/projects/{ref}/transactions", json=tx).status_code == 201
    for by, key in (("country", "TCD"), ("funder", "IOM"), ("agreement", "AG-1")):
        public = anon_client.get(f"{API}/finance/totals", params={"by": by})
        assert public.status_code == 200, f"by {by}: {public.text}"
        groups = {g["key"]: g["disbursement"] for g in public.json()["groups"]}
        assert groups == {key: "100.00"}, by
        staff = world.get(f"{API}/finance/totals", params={"by": by}).json()
        assert {g["key"]: g["disbursement"] for g in staff["groups"]} == {key: "1000.00"}, by


def test_public_totals_do_not_name_draft_agreements(
    under_agreement: TestClient, anon_client: TestClient
) -> None:
    world = under_agreement
    r = world.patch(f"{API}/projects/P-TCD", json={"version": 2, "agreement": "AG-DRAFT"})
    assert r.status_code == 200, r.text
    assert world.post(f"{API}/projects/P-TCD/transactions", json={**TX, "value": "5"}).is_success
    public = anon_client.get(f"{API}/finance/totals", params={"by": "agreement"}).json()
    assert [g["key"] for g in public["groups"]] == ["(not published)"]
    staff = world.get(f"{API}/finance/totals", params={"by": "agreement"}).json()
    assert [g["key"] for g in staff["groups"]] == ["AG-DRAFT"]
    only = anon_client.get(f"{API}/finance/totals", params={"agreement": "AG-DRAFT"})
    assert only.status_code == 404


def test_the_home_page_counts_no_drafts_for_the_public(
    world: TestClient, anon_client: TestClient
) -> None:
    mali = {"version": 1, "countries": [{"country": "MLI", "share": 100}]}
    assert world.patch(f"{API}/projects/P-DRAFT", json=mali).status_code == 200
    commitment = {**TX, "kind": "commitment", "currency": "USD"}
    assert world.post(
        f"{API}/projects/P-TCD/transactions", json={**commitment, "value": "250"}
    ).is_success
    # the draft's money is in a currency with no rate to USD: only a total over the
    # drafts would need it
    assert world.post(
        f"{API}/projects/P-DRAFT/transactions", json={**commitment, "value": "7", "currency": "XOF"}
    ).is_success
    home = anon_client.get("/").text
    assert re.search(r'id="committed">\$250<', home), "the public total is missing"
    assert "XOF" not in home
    assert "/projects?country=MLI" not in home and "P-DRAFT" not in home  # map and list
    assert "<strong>2</strong> projects" in home
    staff = world.get("/").text
    assert "XOF" in staff  # the signed-in total includes the draft and names the rate
    assert "/projects?country=MLI" in staff and "<strong>3</strong> projects" in staff


def test_the_public_iati_export_has_approved_periods_only(
    world: TestClient, anon_client: TestClient
) -> None:
    added = world.post(f"{API}/projects/P-TCD/results", json=result_body()).json()
    pid = added["indicators"][0]["periods"][0]["id"]
    assert world.patch(f"{API}/periods/{pid}", json={"version": 1, "actual": 42}).is_success

    def actuals(client: TestClient) -> list[str | None]:
        xml = client.get(f"{API}/iati/activities.xml", params={"project": "P-TCD"}).content
        return [a.get("value") for a in ET.fromstring(xml).iter("actual")]

    assert actuals(world) == ["42"]
    assert actuals(anon_client) == []  # a draft period
    for version, to in ((2, "submitted"), (3, "approved")):
        assert world.post(
            f"{API}/periods/{pid}/transitions", json={"to": to, "version": version}
        ).is_success
    assert actuals(anon_client) == ["42"]
