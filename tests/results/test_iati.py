"""IATI 2.03 export and import: schema validity offline, and what a round trip keeps."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bakuhub.registry.catalog import PROJECTS
from bakuhub.registry.seed import seed_demo
from bakuhub.registry.service import delete_record
from bakuhub.results.iati_export import export_activities
from bakuhub.results.iati_import import import_activities
from bakuhub.results.iati_schema import schema_errors

LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def schema_dir(shared_data: Path) -> Path:
    return shared_data / "iati-2.03"


def _stable(xml: bytes) -> str:
    """The file without the times that change on every export."""
    text = xml.decode("utf-8")
    return re.sub(r' (generated|last-updated)-datetime="[^"]*"', "", text)


def test_demo_record_exports_to_a_valid_file(session: Session, schema_dir: Path) -> None:
    seed_demo(session=session, author="t")
    result = export_activities(session=session)
    assert schema_errors(result.xml, schema_dir) == []
    root = ET.fromstring(result.xml)
    assert root.get("version") == "2.03"
    ids = [a.findtext("iati-identifier") for a in root.findall("iati-activity")]
    assert "BAKU-HUB-BAKU-HUB-PILOT-TCD" in ids
    caspian = next(
        a for a in root if a.findtext("iati-identifier", "").endswith("CASPIAN-LINK-FEASIBILITY")
    )
    shares = {c.get("code"): c.get("percentage") for c in caspian.findall("recipient-country")}
    assert shares == {"AZ": "34", "KZ": "33", "UZ": "33"}
    roles = {(p.get("ref"), p.get("role")) for p in caspian.findall("participating-org")}
    assert {("CESI", "4"), ("ADB", "1"), ("AIIB", "1")} <= roles
    # the demo projects record no dates: the fill-in is said in the file and in the notes
    date = caspian.find("activity-date")
    assert date is not None and date.get("iso-date") == "2024-11-13"
    assert "not recorded" in (date.findtext("narrative") or "")
    assert any("CASPIAN-LINK-FEASIBILITY: no start date" in n for n in result.notes)


def test_a_project_using_every_field_exports_validly(record: Session, schema_dir: Path) -> None:
    xml = export_activities(session=record, project_refs=["FULL-1"]).xml
    assert schema_errors(xml, schema_dir) == []
    act = ET.fromstring(xml).find("iati-activity")
    assert act is not None
    assert act.get("humanitarian") == "1" and act.get("default-currency") == "EUR"
    assert act.findtext("iati-identifier") == "XM-DAC-47066-FULL-1"
    assert [n.get(LANG) for n in act.findall("title/narrative")] == [None, "fr"]
    assert {(d.get("type"), d.get("iso-date")) for d in act.findall("activity-date")} == {
        ("1", "2025-01-01"),
        ("2", "2025-02-15"),
        ("3", "2027-12-31"),
        ("4", "2027-11-30"),
    }
    markers = {(p.get("code"), p.get("significance")) for p in act.findall("policy-marker")}
    assert markers == {("7", "2"), ("6", "0")}
    assert act.find("humanitarian-scope").get("code") == "HTCD24"  # type: ignore[union-attr]
    assert [s.get("code") for s in act.findall("sector")] == ["43072", "14030"]
    kinds = [t.find("transaction-type").get("code") for t in act.findall("transaction")]  # type: ignore[union-attr]
    assert kinds == ["1", "2", "3", "4"]
    usd = act.findall("transaction")[2].find("value")
    assert usd is not None and (usd.text, usd.get("currency"), usd.get("value-date")) == (
        "400000",
        "USD",
        "2025-02-28",
    )
    period = act.find("result/indicator/period")
    assert period is not None
    targets = [(t.get("value"), t.find("dimension")) for t in period.findall("target")]
    assert [v for v, _ in targets] == ["1000", "500", "500"]
    actual = period.find("actual")
    assert actual is not None and actual.get("value") == "800"
    assert actual.find("document-link").get("url") == "https://example.org/reports/2025.pdf"  # type: ignore[union-attr]


def test_export_import_export_keeps_everything_iati_carries(
    record: Session, schema_dir: Path
) -> None:
    first = export_activities(session=record, project_refs=["FULL-1"]).xml
    delete_record(session=record, resource=PROJECTS, ref="FULL-1")
    record.expunge_all()
    report = import_activities(session=record, xml=first, author="t")
    assert report.created == ["XM-DAC-47066-FULL-1"]
    assert report.parties_created == []  # IOM and GCF are found by IATI id or ref
    activity = report.activities[0]
    assert activity["mapped"]["transactions"] == 4
    assert activity["mapped"]["indicators"] == 3
    assert activity["skipped"] == []
    second = export_activities(session=record, project_refs=["XM-DAC-47066-FULL-1"]).xml
    assert schema_errors(second, schema_dir) == []
    assert _stable(second) == _stable(first)


def test_worked_example_imports_and_reexports_validly(session: Session, schema_dir: Path) -> None:
    source = (schema_dir / "worked-example.xml").read_bytes()
    report = import_activities(session=session, xml=source, author="t")
    (activity,) = report.activities
    assert activity["identifier"] == "http://www.example.org/activities/12345.xml"
    skipped = {s["element"] for s in activity["skipped"]}
    assert skipped == {"other-identifier", "related-activity", "total-cost"}
    out = export_activities(session=session, project_refs=report.created).xml
    assert schema_errors(out, schema_dir) == []
    old, new = ET.fromstring(source), ET.fromstring(out).find("iati-activity")
    assert new is not None
    assert new.findtext("iati-identifier") == old.findtext("iati-identifier")
    old_titles = {(t.get(LANG), " ".join((t.text or "").split())) for t in old.findall("title")}
    new_titles = {(n.get(LANG) or "en", n.text) for n in new.findall("title/narrative")}
    assert new_titles == old_titles
    dates = {d.get("iso-date") for d in new.findall("activity-date")}
    assert dates == {d.get("iso-date") for d in old.findall("activity-date")}
    assert new.find("recipient-country").get("code") == "HT"  # type: ignore[union-attr]
    flows = [
        (
            t.find("transaction-type").get("code"),
            t.findtext("value"),
            t.find("value").get("currency"),
        )
        for t in new.findall("transaction")
    ]
    assert sorted(flows) == [("1", "1000000", "GBP"), ("3", "500000", "GBP")]
    orgs = {
        t.findtext("provider-org/narrative") or t.findtext("receiver-org/narrative")
        for t in new.findall("transaction")
    }
    assert orgs == {"DFID", "UNICEF"}
    assert [b.findtext("value") for b in new.findall("budget")] == ["250000", "750000"]
    # the example has no participating-org and no result elements to keep; what it
    # lacks is filled in openly (the round trip of both is checked on FULL-1 above)
    assert old.find("participating-org") is None and old.find("result") is None


def test_import_is_all_or_nothing(session: Session) -> None:
    bad = b"""<iati-activities version="2.03">
      <iati-activity><iati-identifier>OK-1</iati-identifier>
        <title><narrative>Fine</narrative></title></iati-activity>
      <iati-activity><title><narrative>No identifier</narrative></title></iati-activity>
    </iati-activities>"""
    from bakuhub.errors import InvalidInput
    from bakuhub.registry.models import Project

    with pytest.raises(InvalidInput, match="Nothing was imported"):
        import_activities(session=session, xml=bad, author="t")
    assert session.query(Project).count() == 0


def test_reimport_keeps_what_iati_lacks_and_spares_reported_periods(record: Session) -> None:
    from bakuhub.errors import InvalidInput
    from bakuhub.results.schemas import TransitionIn
    from bakuhub.results.service import get_framework, move_period

    xml = export_activities(session=record, project_refs=["FULL-1"]).xml
    report = import_activities(session=record, xml=xml, author="t")
    assert report.updated == ["FULL-1"] and report.created == []
    indicators = get_framework(session=record, project_ref="FULL-1")["results"][0]["indicators"]
    assert [i["unit"] for i in indicators] == ["people", "%", ""]
    assert indicators[1]["periods"][0]["weight"] == 300
    period = indicators[0]["periods"][0]
    move_period(
        session=record,
        period_id=period["id"],
        data=TransitionIn(to="submitted", version=period["version"]),  # type: ignore[arg-type]
        author="t",
    )
    with pytest.raises(InvalidInput, match="1 submitted or approved indicator period"):
        import_activities(session=record, xml=xml, author="t")


def test_varied_generated_projects_export_validly_together(
    record: Session, schema_dir: Path
) -> None:
    from bakuhub.results.finance import add_transaction
    from bakuhub.results.schemas import ResultIn, TransactionIn
    from bakuhub.results.service import add_result

    from .conftest import count_indicator, make_full_project, make_project

    make_project(record, "BARE")  # no description, date, country or organisation
    make_project(
        record,
        "ENDS-ONLY",
        title="Ünïcode & <markup> “quotes”",
        planned_end="2030-12-31",
        organisations=[{"party": "TCD", "role": "accountable"}],  # a country as organisation
        countries=[{"country": "TCD", "share": 33.3333}, {"country": "AZE", "share": 66.6667}],
    )
    add_transaction(
        session=record,
        project_ref="ENDS-ONLY",
        data=TransactionIn.model_validate(
            {"kind": "expenditure", "date": "2026-01-01", "value": "-12.5", "currency": "AZN"}
        ),
        author="t",
    )
    periods = [{"start": "2026-01-01", "end": "2026-06-30", "target": 0.5}]
    add_result(
        session=record,
        project_ref="ENDS-ONLY",
        data=ResultIn.model_validate(count_indicator("TINY", periods)),
        author="t",
    )
    make_full_project(record, "FULL-2")
    result = export_activities(session=record)
    assert schema_errors(result.xml, schema_dir) == []
    root = ET.fromstring(result.xml)
    assert len(root.findall("iati-activity")) == 4
    bare = next(a for a in root if a.findtext("iati-identifier") == "BAKU-HUB-BARE")
    assert bare.findtext("description/narrative") == "Project BARE"
    assert any("BARE: no participating organisation" in n for n in result.notes)
