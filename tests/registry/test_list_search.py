"""Searching, filtering, sorting and paging the registry's lists through the JSON API
(the same service the pages use), on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from bakuhub.registry import service
from bakuhub.registry.catalog import PROJECTS, countries_matching, country_code
from bakuhub.testing import API, project_body


def _parties(client: TestClient) -> None:
    for body in (
        {"kind": "country", "iso3": "TCD"},
        {"kind": "country", "iso3": "GNB"},
        {
            "kind": "organisation",
            "ref": "IOM",
            "name": "Organisation internationale",
            "org_type": "40",
        },
        {
            "kind": "organisation",
            "ref": "SECRET",
            "name": "Fondation Zébulon",
            "org_type": "60",
            "published": False,
        },
    ):
        assert client.post(f"{API}/parties", json=body).status_code == 201


def _projects(client: TestClient) -> None:
    _parties(client)
    for body in (
        project_body("P-SOL", title="ÉNERGIE solaire à Abéché", description="Pompage de l'eau"),
        project_body(
            "P-GNB",
            title="Mangrove rice in Cacheu",
            countries=[{"country": "GNB", "share": 100}],
            organisations=[{"party": "SECRET", "role": "funding"}],
            planned_start="2026-03-01",
        ),
        project_body(
            "P-PCT",
            title="cash grants 100% digital",
            countries=[],
            organisations=[],
            planned_start="2024-01-01",
        ),
        project_body("P-DRAFT", title="Énergie draft", published=False),
    ):
        r = client.post(f"{API}/projects", json=body)
        assert r.status_code == 201, r.text


def _refs(client: TestClient, **params: Any) -> list[str]:
    resp = client.get(f"{API}/projects", params=params)
    assert resp.status_code == 200, resp.text
    return [p["ref"] for p in resp.json()["items"]]


def test_search_ignores_case_in_any_alphabet(client: TestClient) -> None:
    _projects(client)
    for q in ("énergie", "ÉNERGIE"):
        assert _refs(client, q=q, sort="ref") == ["P-DRAFT", "P-SOL"], q
    for q in ("Énergie SOLAIRE", "abéché", "ABÉCHÉ"):
        assert _refs(client, q=q) == ["P-SOL"], q
    assert _refs(client, q="POMPAGE") == ["P-SOL"]  # the description
    assert _refs(client, q="p-gn") == ["P-GNB"]  # the ref


def test_chad_finds_projects_by_country_and_organisation_names(client: TestClient) -> None:
    _projects(client)
    assert _refs(client, q="Chad", sort="ref") == ["P-DRAFT", "P-SOL"]  # recipient country TCD
    assert _refs(client, q="guinea-bissau") == ["P-GNB"]
    assert _refs(client, q="tcd", sort="ref") == ["P-DRAFT", "P-SOL"]
    assert _refs(client, q="internationale", sort="ref") == ["P-DRAFT", "P-SOL"]  # IOM's name
    assert _refs(client, q="zébulon") == ["P-GNB"]  # a draft organisation, for staff


def test_the_public_never_finds_or_counts_drafts(
    client: TestClient, anon_client: TestClient
) -> None:
    _projects(client)
    public = anon_client.get(f"{API}/projects", params={"q": "énergie"}).json()
    assert [p["ref"] for p in public["items"]] == ["P-SOL"] and public["total"] == 1
    assert anon_client.get(f"{API}/projects").json()["total"] == 3
    # a published project is not found through the name of a draft organisation
    assert anon_client.get(f"{API}/projects", params={"q": "zébulon"}).json()["total"] == 0
    assert client.get(f"{API}/projects").json()["total"] == 4
    # nor through a draft organisation's ref: the public cannot probe for it
    by_ref = {"organisation": "SECRET"}
    assert anon_client.get(f"{API}/projects", params=by_ref).json()["total"] == 0
    assert client.get(f"{API}/projects", params=by_ref).json()["total"] == 1


def test_wildcards_in_the_search_text_are_plain_characters(client: TestClient) -> None:
    _projects(client)
    assert _refs(client, q="100%") == ["P-PCT"]
    assert _refs(client, q="%") == ["P-PCT"]
    assert _refs(client, q="_") == []
    assert _refs(client, q="  ") == _refs(client)  # blank: no search


def test_pages_follow_limit_offset_and_total(client: TestClient) -> None:
    _parties(client)
    for n in range(7):
        body = project_body(f"P-{n}", title=f"Well {n}", planned_start=f"202{n}-01-01")
        assert client.post(f"{API}/projects", json=body).status_code == 201
    page = client.get(f"{API}/projects", params={"sort": "-title", "limit": 3, "offset": 3})
    assert page.status_code == 200
    body = page.json()
    assert [p["ref"] for p in body["items"]] == ["P-3", "P-2", "P-1"]
    assert (body["total"], body["limit"], body["offset"]) == (7, 3, 3)
    past = client.get(f"{API}/projects", params={"limit": 3, "offset": 30}).json()
    assert past["items"] == [] and past["total"] == 7


def test_records_without_the_sort_value_come_last_on_every_database(client: TestClient) -> None:
    _projects(client)
    assert _refs(client, sort="planned_start")[:2] == ["P-PCT", "P-GNB"]
    assert _refs(client, sort="-planned_start")[:2] == ["P-GNB", "P-PCT"]
    # without regard to case: "cash grants..." before "Mangrove..."
    titles = _refs(client, sort="title")
    assert titles.index("P-PCT") < titles.index("P-GNB")
    assert _refs(client, sort="-title").index("P-PCT") > _refs(client, sort="-title").index("P-GNB")


def test_the_country_filter_takes_a_name_or_a_code(client: TestClient) -> None:
    _projects(client)
    by_code = _refs(client, country="TCD", sort="ref")
    assert by_code == ["P-DRAFT", "P-SOL"]
    assert _refs(client, country="Chad", sort="ref") == by_code
    assert _refs(client, country="td", sort="ref") == by_code
    assert _refs(client, country="Guinea-Bissau") == ["P-GNB"]


def test_bad_values_are_refused_naming_each_parameter(client: TestClient) -> None:
    _projects(client)
    cases = {
        "status=9": "status",
        "theme=cooking": "theme",
        "limit=0": "limit",
        "offset=-1": "offset",
        "limit=ten": "limit",
        "q=" + "x" * 201: "q",
    }
    for query, name in cases.items():
        resp = client.get(f"{API}/projects?{query}")
        assert resp.status_code == 422, (query, resp.text)
        assert f"query.{name}" in resp.json()["detail"], (query, resp.json())
    both = client.get(f"{API}/projects", params={"country": "Narnia", "sort": "colour"})
    assert both.status_code == 422
    detail = both.json()["detail"]
    assert "country: 'Narnia' is not a country name or ISO code" in detail
    assert "sort: projects cannot be sorted by 'colour'" in detail
    assert {tuple(e["loc"]) for e in both.json()["errors"]} >= {
        ("query", "country"),
        ("query", "sort"),
    }


def test_the_schema_lists_each_filter_with_its_values(client: TestClient) -> None:
    spec = client.get(f"{API}/openapi.json").json()
    params = {p["name"]: p for p in spec["paths"][f"{API}/projects"]["get"]["parameters"]}
    assert {"q", "sort", "limit", "offset", "status", "theme", "country"} <= set(params)
    status = params["status"]["schema"]
    values = status.get("enum") or next(s["enum"] for s in status["anyOf"] if "enum" in s)
    assert "2" in values and "9" not in values


def test_the_service_searches_the_same_way(client: TestClient, session: Session) -> None:
    _projects(client)
    page = service.list_records(
        session=session, resource=PROJECTS, q="CHAD", published_only=True, sort="ref"
    )
    assert [p["ref"] for p in page.items] == ["P-SOL"] and page.total == 1
    assert "TCD" in countries_matching("cha") and country_code("chad") == "TCD"
