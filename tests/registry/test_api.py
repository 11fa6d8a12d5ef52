"""The registry's JSON API, as a client uses it (runs on SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

API = "/api/v1"


def _seed_parties(client: TestClient) -> None:
    for body in (
        {"kind": "country", "iso3": "TCD"},
        {"kind": "country", "iso3": "gw"},
        {
            "kind": "organisation",
            "ref": "IOM",
            "name": "International Organization for Migration",
            "org_type": "40",
        },
    ):
        assert client.post(f"{API}/parties", json=body).status_code == 201


def _project(ref: str, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "ref": ref,
        "title": f"Project {ref}",
        "status": "2",
        "themes": ["adaptation", "peacebuilding"],
        "countries": [{"country": "TCD", "share": 60}, {"country": "GNB", "share": 40}],
        "organisations": [{"party": "IOM", "role": "implementing"}],
        "milestones": [{"title": "Inception report", "due": "2026-01-31"}],
        "sources": ["https://example.org/report"],
    }
    body.update(extra)
    return body


def test_country_party_is_validated_and_named_from_iso(client: TestClient) -> None:
    _seed_parties(client)
    chad = client.get(f"{API}/parties/TCD").json()
    assert chad["name"] == "Chad"
    assert chad["iso2"] == "TD"
    gnb = client.get(f"{API}/parties/GNB").json()
    assert gnb["iso3"] == "GNB"
    bad = client.post(f"{API}/parties", json={"kind": "country", "iso3": "XX"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["iso3"]
    assert "ISO 3166" in bad.json()["detail"]


def test_organisation_needs_an_iati_type(client: TestClient) -> None:
    resp = client.post(
        f"{API}/parties", json={"kind": "organisation", "name": "X", "org_type": "99"}
    )
    assert resp.status_code == 422
    assert "IATI organisation type" in resp.json()["detail"]


def test_project_crud_round_trip(client: TestClient) -> None:
    _seed_parties(client)
    created = client.post(f"{API}/projects", json=_project("P-1"))
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["version"] == 1
    assert body["created_by"] == "admin"
    assert body["countries"] == [
        {"country": "TCD", "share": 60.0},
        {"country": "GNB", "share": 40.0},
    ]
    assert body["organisations"] == [{"party": "IOM", "role": "implementing"}]

    got = client.get(f"{API}/projects/P-1").json()
    assert got["milestones"][0]["title"] == "Inception report"

    changed = client.patch(f"{API}/projects/P-1", json={"version": 1, "title": "Renamed"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["title"] == "Renamed"
    assert changed.json()["version"] == 2
    assert changed.json()["countries"] == body["countries"]  # untouched lists are kept

    assert client.delete(f"{API}/projects/P-1").status_code == 204
    assert client.get(f"{API}/projects/P-1").status_code == 404


def test_stale_version_is_refused_and_nothing_is_overwritten(client: TestClient) -> None:
    _seed_parties(client)
    client.post(f"{API}/projects", json=_project("P-2"))
    assert (
        client.patch(f"{API}/projects/P-2", json={"version": 1, "title": "First"}).status_code
        == 200
    )
    stale = client.patch(f"{API}/projects/P-2", json={"version": 1, "title": "Second"})
    assert stale.status_code == 409
    assert "version 2" in stale.json()["detail"]
    assert client.get(f"{API}/projects/P-2").json()["title"] == "First"


def test_validation_errors_name_the_field(client: TestClient) -> None:
    _seed_parties(client)
    bad_share = _project("P-3", countries=[{"country": "TCD", "share": 70}])
    resp = client.post(f"{API}/projects", json=bad_share)
    assert resp.status_code == 422
    assert "add up to 70 %" in resp.json()["detail"]
    unknown_party = _project("P-4", organisations=[{"party": "NOPE", "role": "funding"}])
    resp = client.post(f"{API}/projects", json=unknown_party)
    assert resp.status_code == 422
    assert resp.json()["errors"][0]["loc"] == ["organisations", 0, "party"]
    typo = client.post(f"{API}/projects", json={**_project("P-5"), "titel": "x"})
    assert typo.status_code == 422
    assert "titel" in typo.json()["detail"]
    assert client.get(f"{API}/projects").json()["total"] == 0


def test_filters_sort_and_pagination(client: TestClient) -> None:
    _seed_parties(client)
    client.post(f"{API}/projects", json=_project("A", title="Alpha"))
    client.post(
        f"{API}/projects",
        json=_project(
            "B",
            title="Bravo",
            themes=["humanitarian"],
            countries=[{"country": "TCD", "share": 100}],
        ),
    )
    client.post(
        f"{API}/projects",
        json=_project(
            "C",
            title="Charlie",
            status="1",
            countries=[{"country": "GNB", "share": 100}],
            organisations=[],
        ),
    )

    def refs(query: str) -> list[str]:
        resp = client.get(f"{API}/projects?{query}")
        assert resp.status_code == 200, resp.text
        return [p["ref"] for p in resp.json()["items"]]

    assert refs("country=GNB") == ["A", "C"]
    assert refs("country=TD") == ["A", "B"]
    assert refs("theme=humanitarian") == ["B"]
    assert refs("status=1") == ["C"]
    assert refs("organisation=IOM&sort=-title") == ["B", "A"]
    assert refs("q=char") == ["C"]
    page = client.get(f"{API}/projects?sort=title&limit=2&offset=1").json()
    assert [p["ref"] for p in page["items"]] == ["B", "C"]
    assert page["total"] == 3
    bad = client.get(f"{API}/projects?colour=red")
    assert bad.status_code == 422
    assert "cannot be filtered by 'colour'" in bad.json()["detail"]


def test_agreement_with_parent_parties_and_ratification(client: TestClient) -> None:
    _seed_parties(client)
    parent = {"ref": "call", "title": "A call", "kind": "call", "signed": "2024-11"}
    assert client.post(f"{API}/agreements", json=parent).status_code == 201
    child = {
        "ref": "memo",
        "title": "A memo",
        "kind": "memorandum",
        "signed": "2025",
        "status": "partially-ratified",
        "parent": "call",
        "parties": [{"party": "TCD", "role": "signatory"}, {"party": "IOM", "role": "financier"}],
        "ratifications": [{"party": "TCD", "date": "2026-03-11", "body": "Parliament"}],
    }
    created = client.post(f"{API}/agreements", json=child)
    assert created.status_code == 201, created.text
    memo = created.json()
    assert memo["signed"] == "2025"  # year precision is kept, not turned into 2025-01-01
    assert memo["parent"] == "call"
    assert memo["ratifications"][0]["date"] == "2026-03-11"
    assert [a["ref"] for a in client.get(f"{API}/agreements?party=IOM").json()["items"]] == ["memo"]
    assert [a["ref"] for a in client.get(f"{API}/agreements?sort=-signed").json()["items"]] == [
        "memo",
        "call",
    ]
    # a party still referenced cannot be deleted
    gone = client.delete(f"{API}/parties/TCD")
    assert gone.status_code == 409
    assert client.get(f"{API}/parties/TCD").status_code == 200


def test_working_group_with_members_meetings_decisions(client: TestClient) -> None:
    _seed_parties(client)
    client.post(f"{API}/agreements", json={"ref": "memo", "title": "Memo", "kind": "memorandum"})
    group = {
        "ref": "jwg",
        "name": "JWG",
        "agreement": "memo",
        "parties": ["TCD", "IOM"],
        "members": [
            {"name": "A. Person", "organisation": "Ministry", "country": "TD", "role": "co-chair"}
        ],
        "meetings": [{"date": "2026-02-01", "place": "N'Djamena", "minutes": "Kick-off"}],
        "decisions": [{"date": "2026-02-01", "text": "Adopt work plan"}],
        "action_items": [
            {
                "description": "Draft concept note",
                "owner": "IOM",
                "due": "2026-03-01",
                "status": "in-progress",
            }
        ],
    }
    resp = client.post(f"{API}/working-groups", json=group)
    assert resp.status_code == 201, resp.text
    out = resp.json()
    assert out["members"][0]["country"] == "TCD"
    assert out["action_items"][0]["status"] == "in-progress"
    upd = client.patch(
        f"{API}/working-groups/jwg",
        json={
            "version": 1,
            "action_items": [{"description": "Draft concept note", "status": "done"}],
        },
    )
    assert upd.status_code == 200
    assert upd.json()["action_items"] == [
        {"description": "Draft concept note", "owner": "", "due": None, "status": "done"}
    ]
    assert client.get(f"{API}/working-groups?party=TCD").json()["total"] == 1


def test_document_is_stored_with_its_checksum(client: TestClient) -> None:
    import hashlib

    client.post(f"{API}/agreements", json={"ref": "memo", "title": "Memo", "kind": "memorandum"})
    content = b"%PDF-1.4 memorandum text"
    resp = client.post(
        f"{API}/agreements/memo/documents", files={"file": ("memo.pdf", content, "application/pdf")}
    )
    assert resp.status_code == 201, resp.text
    doc = resp.json()
    assert doc["sha256"] == hashlib.sha256(content).hexdigest()
    listed = client.get(f"{API}/agreements/memo").json()["documents"]
    assert listed[0]["filename"] == "memo.pdf"
    down = client.get(f"{API}/documents/{doc['id']}")
    assert down.content == content
    missing = client.post(
        f"{API}/agreements/nope/documents", files={"file": ("x.pdf", content, "application/pdf")}
    )
    assert missing.status_code == 404


def test_openapi_is_published(client: TestClient) -> None:
    spec = client.get(f"{API}/openapi.json").json()
    assert "/api/v1/projects" in spec["paths"]
    assert "/api/v1/projects/{ref}" in spec["paths"]
    assert "ProjectCreate" in spec["components"]["schemas"]
