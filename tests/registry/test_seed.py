"""The demo record: the public facts, loaded once, with their sources."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from bakuhub.registry.seed import demo_record, seed_demo

API = "/api/v1"


def test_seeding_twice_changes_nothing(session: Session, client: TestClient) -> None:
    first = seed_demo(session=session, author="test")
    snapshot = {
        n: client.get(f"/api/v1/csv/{n}").text
        for n in ("parties", "agreements", "working-groups", "projects")
    }
    second = seed_demo(session=session, author="test")
    assert first.created > 30 and first.unchanged == 0
    assert second.created == 0 and second.unchanged == first.created
    for name, text in snapshot.items():
        assert client.get(f"/api/v1/csv/{name}").text == text


def test_demo_record_holds_the_reported_facts(session: Session, client: TestClient) -> None:
    seed_demo(session=session, author="test")
    co_leads = client.get(f"{API}/parties?hub_role=co-lead&sort=ref").json()["items"]
    assert [p["iso3"] for p in co_leads] == ["ARE", "AZE", "DEU", "EGY", "GBR", "ITA", "UGA"]
    baku = client.get(f"{API}/agreements/baku-green-energy-2024").json()
    assert baku["signed"] == "2024-11-13"
    assert baku["status"] == "partially-ratified"
    assert baku["ratifications"][0]["party"] == "KAZ"
    assert baku["ratifications"][0]["date"] == "2026-03-11"
    programme = client.get(f"{API}/agreements/baku-green-energy-programme-2024").json()
    assert programme["parent"] == "baku-green-energy-2024"
    assert {"party": "SAU", "role": "signatory"} in programme["parties"]
    bucharest = client.get(f"{API}/agreements/bucharest-black-sea-2022").json()
    assert sorted(p["party"] for p in bucharest["parties"] if p["role"] == "signatory") == [
        "AZE",
        "GEO",
        "HUN",
        "ROU",
    ]
    groups = client.get(f"{API}/working-groups?agreement=baku-hub-jwg-memorandum-2025").json()
    assert sorted(g["ref"] for g in groups["items"]) == ["jwg-chad", "jwg-guinea-bissau"]
    meetings = client.get(f"{API}/working-groups/baku-hub-partnership").json()["meetings"]
    assert [m["date"] for m in meetings] == ["2025-06-19", "2025-09-24", "2025-11-12"]
    pilots = client.get(f"{API}/projects?q=pilot&sort=ref").json()["items"]
    assert [p["countries"][0]["country"] for p in pilots] == ["GNB", "IRQ", "TCD"]
    study = client.get(f"{API}/projects/CASPIAN-LINK-FEASIBILITY").json()
    assert {"party": "CESI", "role": "implementing"} in study["organisations"]


def test_every_demo_record_cites_a_source() -> None:
    data = demo_record()
    for section, records in data.items():
        for record in records:
            assert record.get("sources"), f"{section}: {record.get('ref') or record.get('iso3')}"
