"""An anonymous reader never learns that a draft agreement or organisation exists:
published records read through the API, the pages, the CSV and the public IATI
export leave out every reference to a draft. Signed-in readers see everything."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

API = "/api/v1"
SECRETS = ("DRAFTORG", "Secret Fund", "XM-SECRET", "AG-DRAFT", "Secret pact")
"""Everything that names the draft party DRAFTORG and the draft agreement AG-DRAFT."""


def _post(client: TestClient, path: str, body: dict[str, Any]) -> None:
    r = client.post(f"{API}/{path}", json=body)
    assert r.status_code == 201, r.text


@pytest.fixture
def mixed(client: TestClient) -> TestClient:
    """Published records that refer to a draft party DRAFTORG and a draft agreement AG-DRAFT."""
    _post(client, "parties", {"kind": "country", "iso3": "TCD"})
    _post(
        client, "parties", {"kind": "organisation", "ref": "IOM", "name": "IOM", "org_type": "40"}
    )
    secret = {"kind": "organisation", "ref": "DRAFTORG", "name": "Secret Fund", "org_type": "60"}
    _post(client, "parties", {**secret, "iati_ref": "XM-SECRET", "published": False})
    draft = {"ref": "AG-DRAFT", "title": "Secret pact", "kind": "agreement", "signed": "2023-05-02"}
    _post(client, "agreements", {**draft, "published": False})
    _post(
        client,
        "agreements",
        {
            "ref": "AG-PUB",
            "title": "Public accord",
            "kind": "agreement",
            "parent": "AG-DRAFT",
            "parties": [
                {"party": "TCD", "role": "signatory"},
                {"party": "DRAFTORG", "role": "financier"},
            ],
            "ratifications": [{"party": "TCD"}, {"party": "DRAFTORG", "date": "2024"}],
        },
    )
    group = {
        "ref": "WG-1",
        "name": "Water",
        "agreement": "AG-DRAFT",
        "parties": ["TCD", "DRAFTORG"],
    }
    _post(client, "working-groups", group)
    project = {
        "ref": "P-PUB",
        "title": "Solar pumps",
        "agreement": "AG-DRAFT",
        "countries": [{"country": "TCD", "share": 100}],
        "organisations": [
            {"party": "DRAFTORG", "role": "accountable"},
            {"party": "IOM", "role": "implementing"},
        ],
    }
    _post(client, "projects", project)
    tx = {"kind": "disbursement", "date": "2025-02-01", "currency": "EUR", "value": "100"}
    _post(client, "projects/P-PUB/transactions", {**tx, "provider": {"party": "DRAFTORG"}})
    return client


def _clean(text: str, where: str = "") -> None:
    for secret in SECRETS:
        assert secret not in text, f"the public learns '{secret}' {where}"


def _named(text: str) -> None:
    for secret in ("DRAFTORG", "AG-DRAFT"):
        assert secret in text, f"a signed-in reader should see '{secret}'"


def test_the_api_names_no_draft_to_the_public(
    mixed: TestClient, anon_client: TestClient, client_as: Callable[..., TestClient]
) -> None:
    project = anon_client.get(f"{API}/projects/P-PUB")
    assert project.status_code == 200, project.text
    assert project.json()["agreement"] is None
    assert project.json()["organisations"] == [{"party": "IOM", "role": "implementing"}]
    agreement = anon_client.get(f"{API}/agreements/AG-PUB").json()
    assert agreement["parent"] is None
    assert agreement["parties"] == [{"party": "TCD", "role": "signatory"}]
    assert [r["party"] for r in agreement["ratifications"]] == ["TCD"]
    group = anon_client.get(f"{API}/working-groups/WG-1").json()
    assert (group["agreement"], group["parties"]) == (None, ["TCD"])
    for path in ("projects", "agreements", "working-groups", "parties"):
        listed = anon_client.get(f"{API}/{path}")
        assert listed.status_code == 200, listed.text
        _clean(listed.text)
    for path in ("projects/P-PUB", "agreements/AG-PUB", "working-groups/WG-1"):
        _clean(anon_client.get(f"{API}/{path}").text)
    viewer = client_as("viewer")
    seen = viewer.get(f"{API}/projects/P-PUB").json()
    assert seen["agreement"] == "AG-DRAFT"
    assert {o["party"] for o in seen["organisations"]} == {"DRAFTORG", "IOM"}
    _named(viewer.get(f"{API}/agreements/AG-PUB").text)
    _named(viewer.get(f"{API}/working-groups/WG-1").text)


def test_finance_and_iati_details_name_no_draft_party_to_the_public(
    mixed: TestClient, anon_client: TestClient
) -> None:
    money = anon_client.get(f"{API}/projects/P-PUB/finance")
    assert money.status_code == 200, money.text
    assert [t["provider"] for t in money.json()["transactions"]] == [None]
    assert [t["value"] for t in money.json()["transactions"]] == ["100.0000"]
    details = anon_client.get(f"{API}/projects/P-PUB/iati")
    assert details.status_code == 200, details.text
    assert details.json()["export_reporting_org"]["name"] == "IOM"
    for text in (money.text, details.text):
        _clean(text)
    staff = mixed.get(f"{API}/projects/P-PUB/finance").json()
    assert staff["transactions"][0]["provider"]["party"] == "DRAFTORG"
    assert mixed.get(f"{API}/projects/P-PUB/iati").json()["export_identifier"] == "XM-SECRET-P-PUB"


def test_record_pages_name_no_draft_to_the_public(
    mixed: TestClient, anon_client: TestClient, client_as: Callable[..., TestClient]
) -> None:
    pages = ("/projects/P-PUB", "/agreements/AG-PUB", "/working-groups/WG-1")
    for path in pages:
        page = anon_client.get(path)
        assert page.status_code == 200, f"{path}: {page.status_code}"
        _clean(page.text, f"on {path}")
    project = anon_client.get("/projects/P-PUB").text
    assert "IOM" in project and "Solar pumps" in project
    viewer = client_as("viewer")
    _named(viewer.get("/projects/P-PUB").text)
    assert "DRAFTORG" in viewer.get("/agreements/AG-PUB").text


def test_list_pages_offer_no_draft_agreement_to_the_public(
    mixed: TestClient, anon_client: TestClient
) -> None:
    for path in ("/projects", "/agreements", "/working-groups", "/parties"):
        page = anon_client.get(path)
        assert page.status_code == 200, f"{path}: {page.status_code}"
        _clean(page.text, f"on {path}")  # the agreement filter of /projects included
    assert 'value="AG-DRAFT"' in mixed.get("/projects").text


def test_the_public_csv_names_no_draft(mixed: TestClient, anon_client: TestClient) -> None:
    for kind in ("projects", "agreements", "working-groups"):
        public = anon_client.get(f"{API}/csv/{kind}")
        assert public.status_code == 200, public.text
        _clean(public.text)
        _named(mixed.get(f"{API}/csv/{kind}").text)


def _export(client: TestClient) -> ET.Element:
    r = client.get(f"{API}/iati/activities.xml", params={"project": "P-PUB"})
    assert r.status_code == 200, r.text
    return ET.fromstring(r.content)


def test_the_public_iati_export_names_no_draft(mixed: TestClient, anon_client: TestClient) -> None:
    public = _export(anon_client)
    _clean(ET.tostring(public, encoding="unicode"))
    activity = public.find("iati-activity")
    assert activity is not None
    reporting = activity.find("reporting-org")
    assert reporting is not None and reporting.get("ref") == "IOM"
    assert activity.findtext("iati-identifier") == "IOM-P-PUB"
    orgs = [(o.get("ref"), o.get("role")) for o in activity.iter("participating-org")]
    assert orgs == [("IOM", "4")]
    transaction = activity.find("transaction")
    assert transaction is not None and transaction.find("provider-org") is None
    start = activity.find("activity-date")
    assert start is not None and start.get("iso-date") != "2023-05-02"  # the draft's signing

    staff = _export(mixed)
    text = ET.tostring(staff, encoding="unicode")
    assert 'ref="XM-SECRET"' in text and "Secret Fund" in text
    assert staff.findtext("iati-activity/iati-identifier") == "XM-SECRET-P-PUB"
    assert staff.find("iati-activity/activity-date").get("iso-date") == "2023-05-02"  # type: ignore[union-attr]


def test_a_draft_project_is_not_in_the_public_export_even_by_name(
    mixed: TestClient, anon_client: TestClient
) -> None:
    body = {"ref": "P-HIDDEN", "title": "Hidden", "published": False}
    _post(mixed, "projects", body)
    r = anon_client.get(f"{API}/iati/activities.xml", params={"project": "P-HIDDEN"})
    assert r.status_code == 404
    assert "P-HIDDEN" not in anon_client.get(f"{API}/iati/activities.xml").text
    assert "P-HIDDEN" in mixed.get(f"{API}/iati/activities.xml").text
