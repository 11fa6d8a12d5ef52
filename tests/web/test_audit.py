"""The audit log through the API and the pages: one entry per changed record, with
who and both versions; nothing for a refused change."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from web_helpers import API, csrf_of, result_body


def _log(client: TestClient, **filters: str) -> list[dict[str, object]]:
    r = client.get(f"{API}/audit", params={"limit": 500, **filters})
    assert r.status_code == 200, r.text
    entries: list[dict[str, object]] = r.json()
    return entries


def test_each_results_change_is_audited_once(
    world: TestClient, client_as: Callable[..., TestClient], browser_as: Callable[..., TestClient]
) -> None:
    chad = client_as("focal_point", party="TCD", username="chad-fp")
    added = chad.post(f"{API}/projects/P-TCD/results", json=result_body()).json()
    pid = added["indicators"][0]["periods"][0]["id"]
    assert chad.patch(f"{API}/periods/{pid}", json={"version": 1, "actual": 7}).is_success
    web = browser_as("focal_point", party="TCD", username="chad-web")
    page = web.get("/projects/P-TCD")
    saved = web.post(
        f"/periods/{pid}/values",
        data={"csrf_token": csrf_of(page.text), "version": "2", "actual": "9"},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    tx = {"kind": "disbursement", "date": "2025-02-01", "value": "3", "currency": "EUR"}
    assert chad.post(f"{API}/projects/P-TCD/transactions", json=tx).is_success
    got = [(e["actor"], e["action"], e["record_type"]) for e in reversed(_log(world))]
    ours = [g for g in got if g[0] in ("chad-fp", "chad-web")]
    assert ours == [
        ("chad-fp", "create", "results"),
        ("chad-fp", "update", "periods"),
        ("chad-web", "update", "periods"),
        ("chad-fp", "create", "transactions"),
    ]
    (latest,) = _log(world, actor="chad-web")
    assert latest["record_ref"] == str(pid)
    assert isinstance(latest["before"], dict) and latest["before"]["actual"] == 7
    assert isinstance(latest["after"], dict) and latest["after"]["actual"] == 9


def test_the_after_version_shows_a_changed_reference(world: TestClient) -> None:
    for ref in ("AG-1", "AG-2"):
        agreement = {"ref": ref, "title": ref, "kind": "agreement"}
        assert world.post(f"{API}/agreements", json=agreement).status_code == 201
    first = world.patch(f"{API}/projects/P-TCD", json={"version": 1, "agreement": "AG-1"})
    assert first.json()["agreement"] == "AG-1"
    second = world.patch(f"{API}/projects/P-TCD", json={"version": 2, "agreement": "AG-2"})
    assert second.json()["agreement"] == "AG-2"
    latest = _log(world, record_type="projects", record_ref="P-TCD")[0]
    assert isinstance(latest["before"], dict) and latest["before"]["agreement"] == "AG-1"
    assert isinstance(latest["after"], dict) and latest["after"]["agreement"] == "AG-2"


def test_a_refused_csv_import_writes_no_audit_entry(world: TestClient) -> None:
    before = len(_log(world))
    text = "ref,kind,iso3,name\nMLI,country,MLI,\nBAD,country,XXX,\n"
    r = world.post(f"{API}/csv/parties", content=text, headers={"content-type": "text/csv"})
    assert r.status_code == 422, r.text
    assert len(_log(world)) == before
    ok = world.post(f"{API}/csv/parties", content=text.splitlines()[0] + "\nMLI,country,MLI,\n")
    assert ok.status_code == 200, ok.text
    assert len(_log(world)) == before + 1


def test_an_attached_document_is_audited(world: TestClient) -> None:
    agreement = {"ref": "AG-1", "title": "An agreement", "kind": "agreement"}
    assert world.post(f"{API}/agreements", json=agreement).status_code == 201
    files = {"file": ("memorandum.txt", b"signed text", "text/plain")}
    doc = world.post(f"{API}/agreements/AG-1/documents", files=files)
    assert doc.status_code == 201, doc.text
    (entry,) = _log(world, record_type="documents")
    assert entry["record_ref"] == f"AG-1/{doc.json()['id']}"
    assert entry["actor"] == "admin" and entry["action"] == "create"
    assert isinstance(entry["after"], dict) and entry["after"]["filename"] == "memorandum.txt"
