"""Every change made through the results services is in the audit log, whoever calls
them (API, pages, CLI, IATI import), in the caller's transaction."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy.orm import Session

from bakuhub.audit.service import list_entries
from bakuhub.errors import InvalidInput
from bakuhub.results.iati_export import export_activities
from bakuhub.results.iati_import import import_activities
from bakuhub.results.schemas import TransitionIn
from bakuhub.results.service import get_framework, move_period


def _entries(session: Session, actor: str) -> list[tuple[str, str, str]]:
    return [
        (e.action, e.record_type, e.record_ref)
        for e in reversed(list_entries(session=session, actor=actor, limit=1000))
    ]


def test_a_period_change_names_who_and_both_versions(record: Session) -> None:
    period = get_framework(session=record, project_ref="FULL-1")["results"][0]["indicators"][0][
        "periods"
    ][0]
    move_period(
        session=record,
        period_id=period["id"],
        data=TransitionIn.model_validate({"to": "submitted", "version": period["version"]}),
        author="cli:amina",
    )
    (entry,) = list_entries(session=record, actor="cli:amina")
    assert (entry.action, entry.record_type, entry.record_ref) == (
        "move to submitted",
        "periods",
        str(period["id"]),
    )
    assert entry.before is not None and entry.before["state"] == "draft"
    assert entry.after is not None and entry.after["state"] == "submitted"


def test_an_iati_import_audits_each_record_it_changes(record: Session) -> None:
    xml = export_activities(session=record, project_refs=["FULL-1"]).xml
    before = get_framework(session=record, project_ref="FULL-1")["results"]
    import_activities(session=record, xml=xml, author="cli:importer")
    after = get_framework(session=record, project_ref="FULL-1")["results"]
    entries = _entries(record, "cli:importer")
    counts = Counter((action, kind) for action, kind, _ in entries)
    assert counts[("update", "projects")] == 1
    assert counts[("update", "iati-profiles")] == 1
    assert counts[("delete", "results")] == len(before) > 0
    assert counts[("create", "results")] == len(after)
    assert counts[("delete", "transactions")] == counts[("create", "transactions")] == 4
    assert counts[("delete", "budgets")] == counts[("create", "budgets")] > 0
    created = {ref for action, kind, ref in entries if (action, kind) == ("create", "results")}
    assert created == {f"FULL-1/{r['id']}" for r in after}
    profile = next(
        e for e in list_entries(session=record, actor="cli:importer", record_type="iati-profiles")
    )
    assert profile.before is not None and profile.before["identifier"] == "XM-DAC-47066-FULL-1"


def test_a_refused_import_leaves_no_audit_entry(record: Session) -> None:
    from bakuhub.registry.models import Project

    xml = export_activities(session=record, project_refs=["FULL-1"]).xml
    fine = b"<iati-activity><iati-identifier>OK-1</iati-identifier><title><narrative>Fine"
    fine += b"</narrative></title></iati-activity>"
    head, sep, rest = xml.partition(b"<iati-activity ")
    two = head + fine + sep + rest  # OK-1 is written first, then FULL-1 is refused
    period = get_framework(session=record, project_ref="FULL-1")["results"][0]["indicators"][0][
        "periods"
    ][0]
    move_period(
        session=record,
        period_id=period["id"],
        data=TransitionIn.model_validate({"to": "submitted", "version": period["version"]}),
        author="t",
    )
    # the caller's transaction (here a savepoint) rolls back on the error
    with pytest.raises(InvalidInput, match="Nothing was imported"), record.begin_nested():
        import_activities(session=record, xml=two, author="cli:importer")
    assert list_entries(session=record, actor="cli:importer") == []
    assert record.query(Project).filter_by(ref="OK-1").count() == 0
