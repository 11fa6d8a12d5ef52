"""Bad input gets a clear 4xx, never a server error (SQLite and PostgreSQL): integers
past the database's range, NUL characters, risk weights that are not numbers, ragged
CSV rows, file names the HTTP header or the column cannot hold; and CSV exports that
a spreadsheet cannot run as formulas, while still importing back unchanged."""

from __future__ import annotations

import csv
import io
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from bakuhub.registry.csvio import neutralise, restore
from bakuhub.registry.documents import safe_filename

API = "/api/v1"
BIG = [2**31, 2**63, 2**64 + 1, 10**30]


def _agreement(client: TestClient, ref: str = "memo") -> None:
    body = {"ref": ref, "title": "Memo", "kind": "memorandum"}
    assert client.post(f"{API}/agreements", json=body).status_code == 201


def _party(client: TestClient, ref: str, name: str) -> None:
    body = {"kind": "organisation", "ref": ref, "name": name, "org_type": "40"}
    resp = client.post(f"{API}/parties", json=body)
    assert resp.status_code == 201, resp.text


@pytest.mark.parametrize("number", BIG)
def test_huge_integers_in_paths_and_queries_are_refused(
    client: TestClient, anon_client: TestClient, number: int
) -> None:
    for who in (client, anon_client):
        for url in (
            f"{API}/documents/{number}",
            f"{API}/risk/runs/{number}",
            f"{API}/risk/runs/{number}/reproduce",
            f"{API}/parties?offset={number}",
            f"{API}/parties?limit={number}",
            f"{API}/projects?offset={number}&limit=5",
        ):
            resp = who.get(url)
            assert resp.status_code == 422, (url, resp.status_code, resp.text)
            assert "less than or equal" in resp.json()["detail"]
    resp = client.delete(f"{API}/parties/nobody?version={number}")
    assert resp.status_code == 422


def test_largest_allowed_offset_and_id_answer_normally(client: TestClient) -> None:
    top = 2**31 - 1
    page = client.get(f"{API}/parties?offset={top}")
    assert page.status_code == 200
    assert page.json()["items"] == []
    assert client.get(f"{API}/documents/{top}").status_code == 404
    assert client.get(f"{API}/risk/runs/{top}").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        f"{API}/parties?q=%00",
        f"{API}/parties?q=a%00b",
        f"{API}/projects?country=%00",
        f"{API}/parties/%00",
        f"{API}/parties/a%00b",
        f"{API}/csv/parties%00",
        "/projects?q=%00",
        "/risk?w_climate=%00",
    ],
)
def test_nul_in_path_or_query_is_refused(anon_client: TestClient, url: str) -> None:
    resp = anon_client.get(url)
    assert resp.status_code == 422, resp.text
    assert "NUL character" in resp.text


def test_nul_in_json_or_csv_body_is_refused_and_nothing_is_stored(client: TestClient) -> None:
    for name in ("Nul\u0000Org", "ok"):
        body: dict[str, object] = {"kind": "organisation", "ref": "NULORG", "name": name}
        body["org_type"] = "40"
        if name == "ok":
            body["sources"] = ["a\x00b"]
        resp = client.post(f"{API}/parties", json=body)
        assert resp.status_code == 422, resp.text
        assert "NUL character" in resp.json()["detail"]
    assert client.get(f"{API}/parties/NULORG").status_code == 404
    raw = b'{"kind": "organisation", "ref": "NULORG", "name": "x\\u0000", "org_type": "40"}'
    resp = client.post(f"{API}/parties", content=raw, headers={"content-type": "application/json"})
    assert resp.status_code == 422
    text = "ref,kind,name,org_type\nNULORG,organisation,Bad\x00Name,40\n"
    resp = client.post(f"{API}/csv/parties", content=text, headers={"content-type": "text/csv"})
    assert resp.status_code == 422
    assert client.get(f"{API}/parties/NULORG").status_code == 404


def test_escaped_backslash_u0000_is_text_not_nul(client: TestClient) -> None:
    raw = b'{"kind": "organisation", "ref": "SLASH", "name": "a\\\\u0000b", "org_type": "40"}'
    resp = client.post(f"{API}/parties", content=raw, headers={"content-type": "application/json"})
    assert resp.status_code == 201, resp.text
    assert client.get(f"{API}/parties/SLASH").json()["name"] == "a\\u0000b"


@pytest.mark.parametrize("seed", [-1, 2**32, 2**64])
def test_risk_seed_out_of_range_is_refused(client: TestClient, seed: int) -> None:
    resp = client.post(f"{API}/risk/rankings", json={"draws": 5, "seed": seed})
    assert resp.status_code == 422, resp.text
    assert "seed" in resp.json()["detail"]


@pytest.mark.parametrize("weight", ["NaN", "Infinity", "1e308", "-1"])
def test_risk_weights_that_are_not_usable_numbers_are_refused(
    client: TestClient, weight: str
) -> None:
    body = '{"weights": {"conflict": ' + weight + "}}"
    resp = client.post(
        f"{API}/risk/rankings", content=body, headers={"content-type": "application/json"}
    )
    assert resp.status_code == 422, resp.text
    assert "weights.conflict" in resp.json()["detail"]
    resp = client.post(f"{API}/risk/rankings", json={"thresholds": [1.0, 1e300]})
    assert resp.status_code == 422


@pytest.mark.parametrize("weight", ["nan", "inf", "-inf", "1e308"])
def test_anonymous_risk_page_explains_a_bad_weight(anon_client: TestClient, weight: str) -> None:
    for path in ("/risk", "/risk/table"):
        resp = anon_client.get(path, params={"w_climate": weight})
        assert resp.status_code == 200, resp.text
        assert "use a number from 0 to" in resp.text


def test_csv_row_with_more_cells_than_header_is_refused(client: TestClient) -> None:
    text = "ref,kind,name,org_type\nWIDE,organisation,Wide,40,extra,cells\n"
    resp = client.post(f"{API}/csv/parties", content=text, headers={"content-type": "text/csv"})
    assert resp.status_code == 422, resp.text
    assert "Line 2" in resp.json()["detail"]
    assert "more cells than the header" in resp.json()["detail"]
    assert client.get(f"{API}/parties/WIDE").status_code == 404


def test_document_with_a_non_latin1_name_downloads(client: TestClient) -> None:
    _agreement(client)
    name = "Bak\u0131_sazi\u015fi_\u0259.pdf"  # Baku with a dotless i, s-cedilla, schwa
    content = b"%PDF-1.4 agreement"
    up = client.post(
        f"{API}/agreements/memo/documents", files={"file": (name, content, "application/pdf")}
    )
    assert up.status_code == 201, up.text
    down = client.get(f"{API}/documents/{up.json()['id']}")
    assert down.status_code == 200
    assert down.content == content
    header = down.headers["content-disposition"]
    assert header.startswith('attachment; filename="Bak')
    assert unquote(header.split("filename*=UTF-8''")[1]) == name
    header.encode("latin-1")  # what an HTTP header can carry


def test_overlong_file_name_is_shortened_keeping_its_extension(client: TestClient) -> None:
    _agreement(client)
    name = "ə" * 300 + ".pdf"
    up = client.post(
        f"{API}/agreements/memo/documents", files={"file": (name, b"%PDF", "application/pdf")}
    )
    assert up.status_code == 201, up.text
    stored = up.json()["filename"]
    assert len(stored) == 255
    assert stored.endswith(".pdf")
    listed = client.get(f"{API}/agreements/memo").json()["documents"]
    assert listed[0]["filename"] == stored


def test_file_name_with_control_characters_and_folders_is_cleaned(client: TestClient) -> None:
    _agreement(client)
    up = client.post(
        f"{API}/agreements/memo/documents",
        files={"file": ("..\\..\\etc/passwd.pdf", b"%PDF", "application/pdf")},
    )
    assert up.status_code == 201, up.text
    assert up.json()["filename"] == "passwd.pdf"
    assert safe_filename("pass\x00w\x01d\n.pdf") == "passwd.pdf"


# --- CSV formula injection -------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tTAB"]


@pytest.mark.parametrize("text", [*FORMULAS, "'=quoted", "''", "'plain", "plain", "-5", "1e3"])
def test_neutralise_then_restore_gives_the_text_back(text: str) -> None:
    cell = neutralise(text)
    assert restore(cell) == text
    assert not cell.startswith(("=", "+", "@", "\t", "\r")) or cell == text
    if text.startswith(("=", "+", "-", "@", "\t")) and text not in ("-5",):
        assert cell.startswith("'")


def test_csv_export_neutralises_formulas_and_imports_back_unchanged(
    session: Session, client: TestClient, anon_client: TestClient
) -> None:
    names = {"F1": "=1+2", "F2": "+SUM(A1)", "F3": "-cmd|' /C calc'!A0", "F4": "@attack"}
    for ref, name in names.items():
        _party(client, ref, name)
    exported = client.get(f"{API}/csv/parties").text
    rows = {r["ref"]: r for r in csv.DictReader(io.StringIO(exported))}
    for ref, name in names.items():
        assert rows[ref]["name"] == "'" + name
    assert anon_client.get(f"{API}/csv/parties").text == exported  # all are published
    for ref in names:
        assert client.delete(f"{API}/parties/{ref}").status_code == 204
    resp = client.post(f"{API}/csv/parties", content=exported, headers={"content-type": "text/csv"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["created"] == len(names)
    for ref, name in names.items():
        assert client.get(f"{API}/parties/{ref}").json()["name"] == name
    assert client.get(f"{API}/csv/parties").text == exported


def test_negative_numbers_export_as_numbers(client: TestClient) -> None:
    _party(client, "IOM", "IOM")
    body = {
        "ref": "P-NEG",
        "title": "Southern project",
        "latitude": -12.5,
        "longitude": -45.25,
        "organisations": [{"party": "IOM", "role": "implementing"}],
    }
    resp = client.post(f"{API}/projects", json=body)
    assert resp.status_code == 201, resp.text
    exported = client.get(f"{API}/csv/projects").text
    row = next(r for r in csv.DictReader(io.StringIO(exported)) if r["ref"] == "P-NEG")
    assert row["latitude"] == "-12.5"
    assert row["longitude"] == "-45.25"
    resp = client.post(
        f"{API}/csv/projects", content=exported, headers={"content-type": "text/csv"}
    )
    assert resp.status_code == 200, resp.text
    assert client.get(f"{API}/projects/P-NEG").json()["latitude"] == -12.5
