"""The page that edits a record's texts in other languages, who may use it, and the
note a page shows when a text is not in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from web_helpers import API, csrf_of, result_body

from bakuhub import i18n
from bakuhub.results import texts
from bakuhub.web.pages.common import templates
from bakuhub.web.pages.record_texts import note, project_texts


def _post(web: TestClient, path: str, data: dict[str, Any]) -> Any:
    token = csrf_of(web.get("/account").text)
    return web.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


def test_a_focal_point_writes_french_and_portuguese_titles(
    world: TestClient, browser_as: Callable[..., TestClient], session: Session
) -> None:
    fp = browser_as("focal_point", party="TCD", username="tcd-fp")
    page = fp.get("/projects/P-TCD/languages")
    assert page.status_code == 200
    assert 'name="title-fr"' in page.text and 'name="title-en"' not in page.text
    assert 'name="description-ar"' in page.text and 'dir="rtl"' in page.text
    r = _post(
        fp,
        "/projects/P-TCD/languages",
        {"title-fr": "Projet du Tchad", "title-pt": "Projeto do Chade", "description-fr": "Eau"},
    )
    assert r.status_code == 303 and r.headers["location"] == "/projects/P-TCD"
    got = texts.get_texts(session=session, target="project", key="P-TCD")
    assert got["texts"]["title"] == {"fr": "Projet du Tchad", "pt": "Projeto do Chade"}
    assert got["texts"]["description"] == {"fr": "Eau"}
    again = fp.get("/projects/P-TCD/languages")
    assert 'value="Projeto do Chade"' in again.text


def test_a_refused_text_comes_back_with_the_error_and_what_was_typed(
    world: TestClient, browser_as: Callable[..., TestClient]
) -> None:
    fp = browser_as("focal_point", party="TCD", username="tcd-fp")
    r = _post(fp, "/projects/P-TCD/languages", {"title-fr": "x" * 501, "title-pt": "Bom"})
    assert r.status_code == 422
    assert "at most 500" in r.text and 'value="Bom"' in r.text


def test_results_and_indicators_have_their_page(
    world: TestClient, browser_as: Callable[..., TestClient], session: Session
) -> None:
    result = world.post(f"{API}/projects/P-TCD/results", json=result_body()).json()
    staff = browser_as("secretariat", username="sec")
    r = _post(staff, f"/results/{result['id']}/languages", {"title-ar": "النتيجة"})
    assert r.status_code == 303 and r.headers["location"].endswith(f"#result-{result['id']}")
    indicator = result["indicators"][0]["id"]
    r = _post(staff, f"/indicators/{indicator}/languages", {"title-pt": "Indicador"})
    assert r.status_code == 303
    assert texts.other_texts(session, "indicator", [indicator]) == {
        indicator: {"title": {"pt": "Indicador"}}
    }


def test_only_the_projects_party_and_staff_may_edit(
    world: TestClient, browser_as: Callable[..., TestClient], anon_client: TestClient
) -> None:
    other = browser_as("focal_point", party="GNB", username="gnb-fp")
    assert other.get("/projects/P-TCD/languages").status_code == 403
    assert _post(other, "/projects/P-TCD/languages", {"title-fr": "x"}).status_code == 403
    refused = anon_client.get("/projects/P-TCD/languages", follow_redirects=False)
    assert refused.status_code in (401, 303), refused.status_code  # pages send to sign in
    assert "Projet" not in refused.text


def test_the_note_says_which_language_is_shown(world: TestClient, session: Session) -> None:
    texts.set_texts(
        session=session,
        target="project",
        key="P-TCD",
        texts={"title": {"fr": "Projet du Tchad"}},
        author="t",
    )
    record = {"ref": "P-TCD"}
    with i18n.use("fr"):
        context = project_texts(session, None, record)
        assert context["record_shown"]["title"].text == "Projet du Tchad"
        assert context["language_note"] is None or context["record_shown"]["description"].fallback
    with i18n.use("pt"):
        context = project_texts(session, None, record)
        assert context["record_shown"]["title"].fallback
        assert context["language_note"] == {"shown": "inglês", "wanted": "português", "lang": "en"}
    with i18n.use("en"):
        shown = texts.for_reader(session=session, target="project", key="P-TCD", language="fr")
        made = note({"title": texts.Shown("Title", "en", "fr", True)})
        assert made == {"shown": "English", "wanted": "French", "lang": "en"}
        html = templates().env.get_template("_language_note.html").render(language_note=made)
        assert "Shown in English: no French text yet." in html
        assert shown["title"].text == "Projet du Tchad"


def test_an_untranslated_record_is_shown_as_written_without_a_note(world: TestClient) -> None:
    """No text in any other language: the record's own language is only assumed, so the
    page does not claim a French title is "English"."""
    page = world.get("/projects/P-TCD", headers={"Accept-Language": "fr"}).text
    assert 'id="language-note"' not in page
