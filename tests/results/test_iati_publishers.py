"""Import from other publishers: a funder's activities file for a Hub project
(``data/funder-activity.xml``: the funder reports, the Hub project is named as a
related and a receiver activity), matched by organisation identifier, with a report
of what matched and what did not; the preview (dry run) writes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bakuhub.audit.models import AuditEntry
from bakuhub.errors import InvalidInput
from bakuhub.registry.models import Party, Project
from bakuhub.results import models as m
from bakuhub.results.finance import project_finance
from bakuhub.results.iati_import import Choices, import_activities

FUNDER_FILE = Path(__file__).parent / "data" / "funder-activity.xml"
ACTIVITY = "XM-EXAMPLE-FUNDER-FP-777"
FUNDER = "ref:XM-EXAMPLE-FUNDER"
MINISTRY = "ref:TD-GOV-MEEDD"


@pytest.fixture
def xml() -> bytes:
    return FUNDER_FILE.read_bytes()


def _count(session: Session, model: Any) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def _orgs(report: Any) -> dict[str, dict[str, Any]]:
    return {o["key"]: o for o in report.orgs}


def _funder_flows(session: Session) -> list[m.Transaction]:
    stmt = select(m.Transaction).where(m.Transaction.provider_activity == ACTIVITY)
    return list(session.scalars(stmt))


def test_a_funders_file_brings_its_money_to_the_hub_project(record: Session, xml: bytes) -> None:
    budgets_before = len(project_finance(session=record, project_ref="FULL-1")["budgets"])
    report = import_activities(session=record, xml=xml, author="t")
    (activity,) = report.activities
    assert (activity["action"], activity["project"]) == ("funder", "FULL-1")
    assert activity["matched_by"] == "related-activity"
    assert report.created == [] and report.updated == [] and report.linked == ["FULL-1"]
    # organisations: matched by identifier, created, and the name clash left out
    orgs = _orgs(report)
    assert (orgs["ref:XM-DAC-47066"]["party"], orgs["ref:XM-DAC-47066"]["matched_by"]) == (
        "IOM",
        "identifier",
    )
    assert orgs[FUNDER]["action"] == "skip" and orgs[FUNDER]["same_name"] == "GCF"
    assert orgs[FUNDER]["party"] is None  # never taken by its name alone
    assert orgs[MINISTRY]["action"] == "create"
    assert report.parties_created == ["TD-GOV-MEEDD"]
    ministry = record.scalars(select(Party).where(Party.ref == "TD-GOV-MEEDD")).one()
    assert (ministry.name, ministry.iati_ref) == ("Ministry of Environment of Chad", "TD-GOV-MEEDD")
    assert activity["organisations_added"] == [{"party": "TD-GOV-MEEDD", "role": "accountable"}]
    # money: the disbursement to FULL-1 only, as the project's incoming funds
    (flow,) = _funder_flows(record)
    assert (flow.kind, flow.value, flow.currency) == ("incoming-funds", 400000, "USD")
    assert (flow.provider_name, flow.provider_ref) == ("Green Climate Fund", "XM-EXAMPLE-FUNDER")
    reasons = " | ".join(n["reason"] for n in activity["not_imported"])
    assert "commitment" in reasons and "another activity (XM-EXAMPLE-OTHER-9)" in reasons
    assert "the project keeps its own" in reasons  # budget and results
    assert activity["transactions"] == {"in_file": 3, "imported": 1}
    assert activity["budgets"] == {"in_file": 1, "imported": 0}
    assert activity["indicators"] == {
        "matched": ["People reached by climate-resilient livelihoods support"],
        "unmatched": ["Hectares under restored land management"],
    }
    # the Hub's own budgets, results and IATI details stay
    assert len(project_finance(session=record, project_ref="FULL-1")["budgets"]) == budgets_before
    profile = record.scalars(select(m.ActivityProfile)).one()
    assert profile.identifier == "XM-DAC-47066-FULL-1"


def test_the_preview_reports_the_same_and_writes_nothing(record: Session, xml: bytes) -> None:
    counts = {t: _count(record, t) for t in (Party, m.Transaction, AuditEntry)}
    version = record.scalars(select(Project.version).where(Project.ref == "FULL-1")).one()
    preview = import_activities(session=record, xml=xml, author="t", dry_run=True)
    assert preview.dry_run and preview.linked == ["FULL-1"]
    assert preview.parties_created == ["TD-GOV-MEEDD"]  # what committing would create
    assert preview.activities[0]["transactions"] == {"in_file": 3, "imported": 1}
    assert {t: _count(record, t) for t in counts} == counts
    assert record.scalars(select(Project.version).where(Project.ref == "FULL-1")).one() == version
    assert _funder_flows(record) == []
    done = import_activities(session=record, xml=xml, author="t")
    assert done.as_dict() | {"dry_run": True} == preview.as_dict()


def test_choices_link_by_name_skip_and_reimport_replaces_only_the_funders_flows(
    record: Session, xml: bytes
) -> None:
    before = _count(record, m.Transaction)
    choices = Choices(orgs={FUNDER: "name", MINISTRY: "skip"})
    report = import_activities(session=record, xml=xml, author="t", choices=choices)
    orgs = _orgs(report)
    assert (orgs[FUNDER]["party"], orgs[FUNDER]["matched_by"]) == ("GCF", "name")
    assert report.parties_created == []
    assert record.scalars(select(Party).where(Party.ref == "TD-GOV-MEEDD")).first() is None
    assert report.activities[0]["organisations_added"] == []  # GCF already funds FULL-1
    (flow,) = _funder_flows(record)
    assert flow.provider_party is not None and flow.provider_party.ref == "GCF"
    again = import_activities(session=record, xml=xml, author="t", choices=choices)
    assert again.activities[0]["mapped"]["transactions_replaced"] == 1
    assert _count(record, m.Transaction) == before + 1


def test_the_person_picks_the_project_or_leaves_the_activity_out(
    record: Session, xml: bytes
) -> None:
    projects = _count(record, Project)
    skipped = import_activities(
        session=record, xml=xml, author="t", choices=Choices(projects={ACTIVITY: "skip"})
    )
    assert skipped.skipped_activities == [ACTIVITY] and skipped.orgs == []
    assert _funder_flows(record) == [] and _count(record, Project) == projects
    with pytest.raises(InvalidInput, match="there is no project 'NOPE'"):
        import_activities(
            session=record, xml=xml, author="t", choices=Choices(projects={ACTIVITY: "NOPE"})
        )
    new = import_activities(
        session=record, xml=xml, author="t", choices=Choices(projects={ACTIVITY: "new"})
    )
    assert new.created == [ACTIVITY] and new.activities[0]["matched_by"] == "choice"
    assert new.activities[0]["mapped"]["budgets"] == 1  # its own project: everything kept


def test_a_name_alone_is_offered_only_without_a_conflicting_identifier(record: Session) -> None:
    xml = b"""<iati-activities version="2.03"><iati-activity>
      <iati-identifier>XM-EXAMPLE-NAMES-1</iati-identifier>
      <reporting-org ref="XM-EXAMPLE-NAMES" type="40">
        <narrative>Some funder</narrative></reporting-org>
      <title><narrative>Names</narrative></title>
      <participating-org role="1"><narrative>green climate fund</narrative></participating-org>
      <participating-org ref="XM-OTHER-ID" role="4"><narrative>International Organization
        for Migration</narrative></participating-org>
    </iati-activity></iati-activities>"""
    report = import_activities(session=record, xml=xml, author="t", dry_run=True)
    orgs = _orgs(report)
    by_name = orgs["name:green climate fund"]
    assert (by_name["action"], by_name["party"], by_name["matched_by"]) == ("name", "GCF", "name")
    other = orgs["ref:XM-OTHER-ID"]  # IOM has identifier XM-DAC-47066: no name link offered
    assert other["options"] == ["create", "skip"] and other["action"] == "skip"
    assert other["same_name"] == "IOM" and other["party"] is None


def test_organisations_joining_keep_the_projects_iati_identifier(
    record: Session, xml: bytes
) -> None:
    from bakuhub.results.iati_export import export_activities

    from .conftest import make_project

    make_project(record, "BARE-HUB")  # no organisation: exported as BAKU-HUB-BARE-HUB
    funded = xml.replace(b"XM-DAC-47066-FULL-1", b"BAKU-HUB-BARE-HUB")
    report = import_activities(session=record, xml=funded, author="t")
    assert report.linked == ["BARE-HUB"]
    assert {o["party"] for o in report.activities[0]["organisations_added"]} == {
        "IOM",
        "TD-GOV-MEEDD",
    }
    (flow,) = _funder_flows(record)  # the disbursement named the identifier it keeps
    assert flow.value == 400000
    out = export_activities(session=record, project_refs=["BARE-HUB"]).xml
    assert b"<iati-identifier>BAKU-HUB-BARE-HUB</iati-identifier>" in out
