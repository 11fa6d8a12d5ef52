"""Records in several languages: the texts service, what a reader is shown, and the
IATI narratives (``xml:lang``) that carry them out and back in."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bakuhub import i18n
from bakuhub.errors import InvalidInput, NotFound
from bakuhub.registry.catalog import PROJECTS
from bakuhub.registry.service import delete_record
from bakuhub.results import texts
from bakuhub.results.iati_export import export_activities
from bakuhub.results.iati_import import import_activities
from bakuhub.results.iati_schema import schema_errors
from bakuhub.results.iati_xml import result_texts
from bakuhub.results.service import get_framework

LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TITLES = {"fr": "Moyens de subsistance résilients", "pt": "Meios de subsistência resilientes"}
DESCRIPTIONS = {"fr": "Eau et alerte précoce au Tchad.", "pt": "Água e alerta precoce no Chade."}


@pytest.fixture
def schema_dir(shared_data: Path) -> Path:
    return shared_data / "iati-2.03"


def _translate(session: Session) -> tuple[int, int]:
    """FULL-1 with French and Portuguese texts on the project, its first result and the
    result's first indicator; the ids of that result and indicator."""
    texts.set_texts(
        session=session,
        target="project",
        key="FULL-1",
        texts={"title": TITLES, "description": DESCRIPTIONS},
        author="t",
    )
    result = get_framework(session=session, project_ref="FULL-1")["results"][0]
    indicator = result["indicators"][0]
    texts.set_texts(
        session=session,
        target="result",
        key=result["id"],
        texts={"title": {"fr": "Résultat", "pt": "Resultado"}, "description": {"fr": "Décrit"}},
        author="t",
    )
    texts.set_texts(
        session=session,
        target="indicator",
        key=indicator["id"],
        texts={"title": {"fr": "Ménages", "pt": "Agregados"}},
        author="t",
    )
    return result["id"], indicator["id"]


def test_texts_are_set_read_and_removed_per_language(record: Session) -> None:
    result_id, _indicator_id = _translate(record)
    got = texts.get_texts(session=record, target="project", key="FULL-1")
    assert got["language"] == "en"
    assert got["texts"] == {"title": TITLES, "description": DESCRIPTIONS}
    result = texts.get_texts(session=record, target="result", key=result_id)
    assert result["texts"]["title"] == {"fr": "Résultat", "pt": "Resultado"}
    texts.delete_texts(session=record, target="result", key=result_id, language="pt", author="t")
    result = texts.get_texts(session=record, target="result", key=result_id)
    assert result["texts"] == {"title": {"fr": "Résultat"}, "description": {"fr": "Décrit"}}
    texts.set_texts(
        session=record,
        target="project",
        key="FULL-1",
        texts={"title": {"pt": ""}},
        author="t",
    )
    got = texts.get_texts(session=record, target="project", key="FULL-1")
    assert got["texts"]["title"] == {"fr": TITLES["fr"]}


@pytest.mark.parametrize(
    ("texts_in", "words"),
    [
        ({"title": {"de": "Titel"}}, "not a language bakuhub shows"),
        ({"title": {"en": "Title"}}, "own text is in 'en'"),
        ({"title": {"fr": "x" * 501}}, "at most 500"),
        ({"summary": {"fr": "x"}}, "no texts in other languages"),
    ],
)
def test_texts_are_bounded(
    record: Session, texts_in: dict[str, dict[str, str]], words: str
) -> None:
    with pytest.raises(InvalidInput, match=words):
        texts.set_texts(session=record, target="project", key="FULL-1", texts=texts_in, author="t")


def test_texts_of_missing_or_draft_records_are_not_found(record: Session) -> None:
    with pytest.raises(NotFound):
        texts.get_texts(session=record, target="project", key="NOPE")
    with pytest.raises(NotFound):
        texts.get_texts(session=record, target="result", key=999999)
    with pytest.raises(NotFound):
        texts.get_texts(session=record, target="decision", key=1)
    from bakuhub.testing import make_project

    make_project(record, "DRAFT-1", published=False)
    texts.set_texts(
        session=record, target="project", key="DRAFT-1", texts={"title": TITLES}, author="t"
    )
    with pytest.raises(NotFound):
        texts.for_reader(session=record, target="project", key="DRAFT-1", published_only=True)
    shown = texts.for_reader(session=record, target="project", key="DRAFT-1", language="fr")
    assert shown["title"].text == TITLES["fr"]


def test_the_reader_sees_their_language_else_the_own_text_and_is_told(record: Session) -> None:
    result_id, indicator_id = _translate(record)
    with i18n.use("pt"):
        shown = texts.for_reader(session=record, target="project", key="FULL-1")
    assert shown["title"] == texts.Shown(TITLES["pt"], "pt", "pt", False)
    shown = texts.for_reader(session=record, target="project", key="FULL-1", language="ar")
    assert shown["title"].fallback and shown["title"].language == "en"
    english = texts.for_reader(session=record, target="project", key="FULL-1", language="en")
    assert not english["title"].fallback
    many = texts.results_for_reader(record, "FULL-1", language="pt")
    assert many["results"][result_id]["title"].text == "Resultado"
    assert many["results"][result_id]["description"].fallback  # no Portuguese description
    assert many["indicators"][indicator_id]["title"].text == "Agregados"


def test_french_and_portuguese_texts_export_validly_and_come_back_on_import(
    record: Session, schema_dir: Path
) -> None:
    result_id, indicator_id = _translate(record)
    xml = export_activities(session=record, project_refs=["FULL-1"]).xml
    assert schema_errors(xml, schema_dir) == []
    act = ET.fromstring(xml).find("iati-activity")
    assert act is not None and act.get(LANG) == "en"
    titles = [(n.get(LANG), n.text) for n in act.findall("title/narrative")]
    assert titles[0][0] is None  # the activity's default language is unmarked
    assert titles[1:] == [("fr", TITLES["fr"]), ("pt", TITLES["pt"])]
    descriptions = [(n.get(LANG), n.text) for n in act.findall("description/narrative")]
    assert descriptions[1:] == [("fr", DESCRIPTIONS["fr"]), ("pt", DESCRIPTIONS["pt"])]
    result_titles = [(n.get(LANG), n.text) for n in act.findall("result/title/narrative")]
    assert result_titles[1:] == [("fr", "Résultat"), ("pt", "Resultado")]
    indicator = act.find("result/indicator")
    assert indicator is not None
    langs = [n.get(LANG) for n in indicator.findall("title/narrative")]
    assert langs == [None, "fr", "pt"]

    read_back = [result_texts(r, "en") for r in act.findall("result")]
    delete_record(session=record, resource=PROJECTS, ref="FULL-1")
    record.expunge_all()
    report = import_activities(session=record, xml=xml, author="t")
    ref = report.created[0]
    got = texts.get_texts(session=record, target="project", key=ref)
    assert got["texts"] == {"title": TITLES, "description": DESCRIPTIONS}
    # what iati_import stores after writing the results (see texts.store_imported)
    from bakuhub.results.service import fetch_project

    project_id = fetch_project(record, ref).id
    texts.store_imported(record, project_id, read_back, "t")
    result = get_framework(session=record, project_ref=ref)["results"][0]
    stored = texts.get_texts(session=record, target="result", key=result["id"])
    assert stored["texts"] == {
        "title": {"fr": "Résultat", "pt": "Resultado"},
        "description": {"fr": "Décrit"},
    }
    ind = texts.get_texts(session=record, target="indicator", key=result["indicators"][0]["id"])
    assert set(ind["texts"]["title"]) == {"fr", "pt"}
    again = export_activities(session=record, project_refs=[ref]).xml
    assert schema_errors(again, schema_dir) == []
    assert [n.get(LANG) for n in ET.fromstring(again).findall(".//result/title/narrative")] == [
        None,
        "fr",
        "pt",
    ]
    assert result_id and indicator_id


def test_forgetting_a_projects_result_texts(record: Session) -> None:
    result_id, indicator_id = _translate(record)
    from bakuhub.results.service import fetch_project

    texts.forget_project_results(record, fetch_project(record, "FULL-1").id)
    assert texts.other_texts(record, "result", [result_id]) == {}
    assert texts.other_texts(record, "indicator", [indicator_id]) == {}
