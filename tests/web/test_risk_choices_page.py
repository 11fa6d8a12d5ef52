"""The risk page's construction choices, displacement upload and "Store this ranking"
(issue 20): a choice picked on the page ranks as the API does with it; a wrong value
gets a sentence beside its field; anyone may pick choices (GET, nothing stored), only a
signed-in user may upload files or store a run (created by them, choices recorded,
reproduced); a bad file gets the loader's sentence and nothing is stored."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from bakuhub.risk import service
from bakuhub.testing import csrf_of

FIXTURES = Path(__file__).resolve().parents[1] / "risk" / "fixtures"
UNHCR = (FIXTURES / "unhcr_population.csv").read_bytes()
IDMC = (FIXTURES / "idmc_gidd.csv").read_bytes()
PICK = {"normalisation": "rank", "aggregation": "arithmetic", "w_conflict": "2"}
"""Choices that differ from the Hub index's own (min-max, geometric mean)."""


def _text(pattern: str, page: str) -> str:
    found = re.search(pattern, page, re.S)
    assert found, f"not on the page: {pattern}"
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).strip()


def page_scores(page: str) -> dict[str, str]:
    """Score cell of each ranked country shown."""
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    rows = re.findall(r'<tr data-iso3="([A-Z]{3})">(.*?)</tr>', body, re.S)
    return {iso3: re.findall(r'<td class="num">([^<]+)</td>', row)[0] for iso3, row in rows}


def hidden(page: str, form_id: str, name: str) -> str:
    form = page.split(f'id="{form_id}"')[1].split("</form>")[0]
    return html.unescape(_text(rf'name="{name}" value="([^"]*)"', form))


@pytest.fixture
def viewer(browser_as: Callable[..., TestClient]) -> TestClient:
    return browser_as("viewer", username="reader")


def test_a_choice_on_the_page_ranks_as_the_api_does(
    anon_client: TestClient, client: TestClient
) -> None:
    page = anon_client.get("/risk", params=PICK).text
    body = {"weights": {"conflict": 2}, "normalisation": "rank", "aggregation": "arithmetic"}
    api = client.post("/api/v1/risk/rankings", json={**body, "draws": 10, "top": 60}).json()
    shown = page_scores(page)
    assert len(shown) == 60
    assert shown == {r["iso3"]: f"{r['score']:.2f}" for r in api["rows"]}
    assert shown != page_scores(anon_client.get("/risk", params={"w_conflict": "2"}).text)
    select = _text(r'(<select id="c_normalisation".*?</select>)', page.replace("<", "\x00<"))
    assert "rank (percentile)" in select
    assert 'value="rank" selected' in page and 'value="arithmetic" selected' in page
    caption = _text(r"<caption[^>]*>(.*?)</caption>", page)
    assert "normalisation rank (percentile)" in caption and "arithmetic mean" in caption
    link = _text(r'<a href="(/risk/countries/[A-Z]{3}\?[^"]+)"', page)
    assert parse_qs(urlsplit(link).query)["normalisation"] == ["rank"]
    profile = anon_client.get(link).text
    assert "aggregation of the pillars arithmetic mean" in profile
    assert "store-form" not in page and "upload-form" not in page and "store-signin" in page


def test_a_wrong_choice_is_named_beside_its_field(
    anon_client: TestClient, session: Session
) -> None:
    r = anon_client.get("/risk", params={"outlier": "trim", "w_conflict": "2"})
    assert r.status_code == 200
    error = _text(r'id="err-outlier">(.*?)</p>', r.text)
    assert "Outlier treatment: 'trim' is not one of the choices" in error
    assert "Winsorise (2.5 % each end)" in error
    assert 'aria-invalid="true"' in r.text.split('id="c_outlier"')[1].split(">")[0]
    assert "uses the index's own" in r.text
    own = anon_client.get("/risk", params={"w_conflict": "2"}).text
    assert page_scores(r.text) == page_scores(own)  # the weight kept, the index's own outlier rule
    profile = anon_client.get("/risk/countries/TCD", params={"imputation": "mice"})
    assert profile.status_code == 422 and "Imputation: &#39;mice&#39;" in profile.text
    assert service.list_runs(session=session) == []  # a visitor's choices store nothing


def test_a_signed_in_user_stores_the_ranking_with_its_choices(
    viewer: TestClient, session: Session
) -> None:
    page = viewer.get("/risk", params=PICK).text
    query = hidden(page, "store-form", "query")
    assert parse_qs(query)["aggregation"] == ["arithmetic"]
    form = {"csrf_token": csrf_of(page), "query": query}
    r = viewer.post("/risk/store", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    run_id = int(parse_qs(urlsplit(r.headers["location"]).query)["stored"][0])
    run = service.get_run(session=session, run_id=run_id)
    assert run.created_by == "reader"
    assert run.settings["model"]["root"]["aggregation"] == "arithmetic"
    assert {t["normalisation"] for t in run.settings["model"]["treatments"]} == {"rank"}
    assert service.reproduce(session=session, run_id=run_id)
    again = viewer.post("/risk/store", data=form, follow_redirects=False)
    assert again.headers["location"] == r.headers["location"]  # not stored twice
    back = viewer.get(r.headers["location"]).text
    assert "Store another ranking" in _text(r'id="stored-run">(.*?)</p>', back)
    own = {"csrf_token": csrf_of(page), "query": "preset=hub"}
    other = viewer.post("/risk/store", data=own, follow_redirects=False).headers["location"]
    back = viewer.get(other).text
    other_id = int(parse_qs(urlsplit(other).query)["stored"][0])
    assert f"Stored as run {other_id}" in _text(r'id="stored-run">(.*?)</p>', back)
    assert f'<option value="{other_id}" selected' in back.split('id="run-b"')[1]
    compared = viewer.get("/risk/compare", params={"a": other_id, "b": run_id}).text
    differ = _text(r'id="compare-settings"(.*?)</table>', compared)
    assert "aggregation" in differ and "geometric" in differ and "arithmetic" in differ
    assert "normalisation of conflict_years" in differ


def _upload(web: TestClient, files: dict[str, Any], query: str = "preset=hub") -> Any:
    token = csrf_of(web.get("/risk").text)
    return web.post("/risk/displacement", data={"csrf_token": token, "query": query}, files=files)


def test_an_upload_ranks_with_the_files_and_stores_them(
    viewer: TestClient, session: Session
) -> None:
    files = {
        "unhcr": ("unhcr.csv", UNHCR, "text/csv"),
        "idmc": ("gidd.csv", IDMC, "text/csv"),
    }
    r = _upload(viewer, files, "preset=hub&w_conflict=2&normalisation=zscore")
    assert r.status_code == 200, r.text
    source = _text(r'id="upload-source">(.*?)</dd>', r.text)
    assert "UNHCR" in source and "IDMC" in source
    assert "2023 figures" in _text(r'id="upload-vintage">(.*?)</dd>', r.text)
    notes = _text(r'id="upload-notes">(.*?)</ul>', r.text)
    assert "AB9 (Abyei Area)" in notes
    assert "no data given" not in r.text  # the displacement pillar has data now
    sudan = r.text.split('<tr data-iso3="SDN">')[1].split("</tr>")[0]
    assert 'title="no data"' not in sudan  # every pillar, displacement too
    form = {
        "csrf_token": csrf_of(r.text),
        "query": hidden(r.text, "store-form", "query"),
        "displacement": hidden(r.text, "store-form", "displacement"),
    }
    stored = viewer.post("/risk/store", data=form, follow_redirects=False)
    assert stored.status_code == 303, stored.text
    run_id = int(parse_qs(urlsplit(stored.headers["location"]).query)["stored"][0])
    run = service.get_run(session=session, run_id=run_id)
    sdn = run.inputs["countries"].index("SDN")
    # 600,000 + 400,000 refugees, 100 + 5,000 asylum-seekers, 9,052,000 IDMC conflict IDPs
    assert run.inputs["values"]["displaced_persons"][sdn] == 1_000_000 + 5_100 + 9_052_000
    assert run.created_by == "reader" and service.reproduce(session=session, run_id=run_id)
    assert {t["normalisation"] for t in run.settings["model"]["treatments"]} == {"zscore"}
    again = viewer.post("/risk/store", data=form, follow_redirects=False)
    assert again.headers["location"] == stored.headers["location"]  # the same run
    form["displacement"] = form["displacement"][:-3] + "abc"
    forged = viewer.post("/risk/store", data=form, follow_redirects=False)
    assert forged.status_code == 422 and "could not be checked" in forged.text


def test_a_bad_file_gets_the_loaders_sentence_and_nothing_is_stored(
    viewer: TestClient, anon_client: TestClient, session: Session
) -> None:
    before = len(service.list_runs(session=session))
    bad = UNHCR.replace(b'"SDN","Chad","TCD",600000', b'"SDN","Chad","TCD",lots')
    r = _upload(viewer, {"unhcr": ("unhcr.csv", bad, "text/csv")})
    assert r.status_code == 422
    error = _text(r'id="upload-error">(.*?)</p>', r.text)
    assert error.startswith("unhcr.csv") and "line 4" in error and "Nothing was stored" in error
    empty = _upload(viewer, {"unhcr": ("", b"", "text/csv")})
    assert "Choose a UNHCR population statistics CSV" in empty.text
    assert len(service.list_runs(session=session)) == before
    for path in ("/risk/displacement", "/risk/store"):
        assert anon_client.post(path, data={"query": "preset=hub"}).status_code == 401


def test_the_audit_and_the_comparison_use_the_choices_picked(anon_client: TestClient) -> None:
    audit = html.unescape(anon_client.get("/risk/audit?preset=hub&normalisation=rank").text)
    assert "built with normalisation" in audit
    compared = anon_client.get("/risk/compare?preset=hub&normalisation=rank")
    assert compared.status_code == 200
    rows = re.findall(r"<tr>(.*?)</tr>", html.unescape(compared.text), re.S)
    cells = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip() for r in rows]
    assert "normalisation of war_years minmax rank" in cells
