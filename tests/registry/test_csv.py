"""CSV export and all-or-nothing import (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from bakuhub.errors import InvalidInput
from bakuhub.registry.catalog import RESOURCES
from bakuhub.registry.csvio import export_csv, import_csv
from bakuhub.registry.seed import seed_demo

API = "/api/v1"


def _counts(client: TestClient) -> dict[str, int]:
    return {name: client.get(f"{API}/{name}").json()["total"] for name in RESOURCES}


def test_csv_round_trip_keeps_every_record(session: Session, client: TestClient) -> None:
    seed_demo(session=session, author="test")
    exported = {name: client.get(f"{API}/csv/{name}").text for name in RESOURCES}
    before = {
        name: [client.get(f"{API}/{name}/{ref}").json() for ref in _refs(exported[name])]
        for name in RESOURCES
    }
    for name in reversed(list(RESOURCES)):  # delete children first
        for ref in reversed(_refs(exported[name])):  # programmes before their agreement
            assert client.delete(f"{API}/{name}/{ref}").status_code == 204, (name, ref)
    assert set(_counts(client).values()) == {0}

    for name in RESOURCES:  # parties, agreements, groups, projects: references resolve
        resp = client.post(
            f"{API}/csv/{name}", content=exported[name], headers={"content-type": "text/csv"}
        )
        assert resp.status_code == 200, resp.text
        assert resp.json()["created"] == len(_refs(exported[name]))

    for name in RESOURCES:
        for old in before[name]:
            new = client.get(f"{API}/{name}/{old['ref']}").json()
            strip = {"id", "created_at", "updated_at", "version", "created_by", "updated_by"}
            old_doc = {k: v for k, v in old.items() if k not in strip | {"documents"}}
            new_doc = {k: v for k, v in new.items() if k not in strip | {"documents"}}
            assert new_doc == old_doc
        assert client.get(f"{API}/csv/{name}").text == exported[name]


def _refs(text: str) -> list[str]:
    return [row["ref"] for row in csv.DictReader(io.StringIO(text))]


def test_import_with_bad_rows_changes_nothing_and_lists_every_error(
    session: Session, client: TestClient
) -> None:
    seed_demo(session=session, author="test")
    before = _counts(client)
    chad_before = client.get(f"{API}/parties/TCD").json()
    text = (
        "ref,kind,name,iso3,org_type,iati_ref,hub_role,hub_joined,notes,sources\n"
        "TCD,country,Chad (renamed),TCD,,,co-lead,2025-09-24,,\n"  # a valid update
        "NEWORG,organisation,New Org,,40,,,,,\n"  # a valid create
        "XX1,country,,ZZZ,,,,,,\n"  # bad iso3 (line 4)
        "XX2,organisation,No type,,,,,,,\n"  # missing org_type (line 5)
        "XX3,country,,FRA,,,boss,2025-13,,\n"  # bad hub_role and date (line 6)
    )
    resp = client.post(f"{API}/csv/parties", content=text, headers={"content-type": "text/csv"})
    assert resp.status_code == 422
    errors = resp.json()["errors"]
    assert {(e["row"], e["column"]) for e in errors} >= {
        (4, "iso3"),
        (5, "(row)"),
        (6, "hub_role"),
        (6, "hub_joined"),
    }
    assert "Nothing was imported" in resp.json()["detail"]
    assert _counts(client) == before
    assert client.get(f"{API}/parties/TCD").json() == chad_before
    assert client.get(f"{API}/parties/NEWORG").status_code == 404


def test_import_refuses_rows_that_point_at_missing_records(session: Session) -> None:
    cell = '"[{""party"":""NOPE"",""role"":""signatory""}]"'
    text = f"ref,title,kind,parties\nm1,Memo,memorandum,{cell}\n"
    with pytest.raises(InvalidInput) as err:
        import_csv(session=session, resource=RESOURCES["agreements"], text=text, author="t")
    assert err.value.details == [
        {"row": 2, "column": "parties", "msg": err.value.details[0]["msg"]}
    ]
    assert "NOPE" in err.value.message
    assert export_csv(session=session, resource=RESOURCES["agreements"]).count("\n") == 1


def test_unknown_columns_are_refused(client: TestClient) -> None:
    resp = client.post(
        f"{API}/csv/parties",
        content="ref,kind,colour\nA,country,red\n",
        headers={"content-type": "text/csv"},
    )
    assert resp.status_code == 422
    assert "unknown columns colour" in resp.json()["detail"]
