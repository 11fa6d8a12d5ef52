"""Import IATI activities files into projects, with their results and finance.

All or nothing: every activity is read and checked first; a file with an
activity that cannot become a project is refused whole. Elements that bakuhub
does not record, or that do not pass its checks, are skipped and listed with
the reason; choices made while mapping (legacy names, missing percentages) are
listed as notes. An activity whose identifier is already known updates that
project: its record fields are overwritten and its results, budgets and
transactions replaced. Every record created, changed or removed gets its audit
entry in the caller's transaction, so a refused file leaves none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from bakuhub.errors import BakuhubError, Conflict, InvalidInput, validated
from bakuhub.registry.catalog import PARTIES, PROJECTS
from bakuhub.registry.codes import IATI_ORGANISATION_TYPES
from bakuhub.registry.models import Party, Project
from bakuhub.registry.schemas import PartyCreate, ProjectCreate
from bakuhub.registry.service import create_record, replace_record
from bakuhub.results import models as m
from bakuhub.results.finance import budget_row, read_budget, read_transaction, transaction_row
from bakuhub.results.iati_activity import Activity, Org
from bakuhub.results.iati_read import parse_file, read_activity
from bakuhub.results.profile import identifier, write_profile
from bakuhub.results.schemas import DisaggregationIn, OrgIn, ResultIn
from bakuhub.results.service import (
    build_result,
    check_disaggregations,
    flush,
    log_change,
    project_results,
    read_result,
)


@dataclass
class ImportReport:
    """What an import did, activity by activity."""

    version: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    parties_created: list[str] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The report as plain data (API and CLI)."""
        return {
            "version": self.version,
            "created": self.created,
            "updated": self.updated,
            "parties_created": self.parties_created,
            "activities": self.activities,
        }


def slug(text: str) -> str:
    """A registry ref from an IATI identifier or name."""
    text = re.sub(r"^[a-zA-Z]+://", "", text.strip())
    out = re.sub(r"[^A-Za-z0-9._:-]+", "-", text).strip("-._:")
    return out[:100] or "iati-activity"


def _results(act: Activity) -> list[ResultIn]:
    out = []
    for index, raw in enumerate(act.results):
        for ind in raw["indicators"]:
            for period in ind["periods"]:
                _drop_bad_parts(period, ind["measure"], act)
        try:
            out.append(validated(ResultIn, raw))
        except InvalidInput as exc:
            act.skipped.append({"element": f"result[{index}]", "reason": exc.message})
    return out


def _drop_bad_parts(period: dict[str, Any], measure: str, act: Activity) -> None:
    try:
        parts = [
            validated(DisaggregationIn, d, what="disaggregation") for d in period["disaggregations"]
        ]
        check_disaggregations(
            measure=measure,
            target=period.get("target"),
            actual=period.get("actual"),
            items=parts,
            loc=["period"],
        )
    except InvalidInput as exc:
        act.skipped.append({"element": "period disaggregations", "reason": exc.message})
        period["disaggregations"] = []


def import_activities(*, session: Session, xml: bytes, author: str) -> ImportReport:
    """Create or update a project per activity of an IATI file; all or nothing."""
    elements, version = parse_file(xml)
    if not elements:
        raise InvalidInput("The IATI file holds no iati-activity; nothing to import.")
    errors: list[dict[str, Any]] = []
    prepared: list[tuple[Activity, list[ResultIn]]] = []
    for index, el in enumerate(elements):
        try:
            act = read_activity(el, "en")
        except InvalidInput as exc:
            errors.append({"loc": ["activity", index], "msg": exc.message})
            continue
        prepared.append((act, _results(act)))
    seen: set[str] = set()
    for act, _ in prepared:
        if act.identifier in seen:
            errors.append({"loc": [act.identifier], "msg": "the identifier appears twice"})
        seen.add(act.identifier)
    report = ImportReport(version=version)
    if not errors:
        known = known_identifiers(session)
        for act, results in prepared:
            try:
                _write(session, act, results, author, report, known.get(act.identifier))
            except BakuhubError as exc:
                errors.append({"loc": [act.identifier], "msg": exc.message})
    if errors:
        listed = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg'].rstrip('.')}" for e in errors
        )
        raise InvalidInput(
            f"Nothing was imported: {len(errors)} activity problem(s). {listed}. Correct the "
            "file and import it again.",
            details=errors,
        )
    return report


def _find_party(session: Session, ref: str | None, name: str) -> Party | None:
    if ref:
        found = session.scalar(select(Party).where(or_(Party.iati_ref == ref, Party.ref == ref)))
        if found is not None:
            return found
    if name:
        return session.scalar(select(Party).where(Party.name == name).limit(1))
    return None


def _party_ref(session: Session, org: Org, author: str, report: ImportReport) -> str:
    found = _find_party(session, org.ref, org.name)
    if found is not None:
        return found.ref
    base = slug(org.ref or org.name)
    ref, n = base, 1
    while session.scalar(select(Party.id).where(Party.ref == ref)):
        n += 1
        ref = f"{base[:95]}-{n}"
    org_type = org.type if org.type in IATI_ORGANISATION_TYPES else "90"
    data = PartyCreate(
        kind="organisation",
        ref=ref,
        name=(org.name or org.ref or ref)[:300],
        org_type=org_type,
        iati_ref=(org.ref or None) and org.ref[:100],
        notes="Created by an IATI import.",
    )
    create_record(session=session, resource=PARTIES, data=data, author=author)
    report.parties_created.append(ref)
    return ref


def _link_org(session: Session, org: OrgIn | None) -> OrgIn | None:
    if org is None:
        return None
    party = _find_party(session, org.ref, "")
    return org.model_copy(update={"party": party.ref}) if party is not None else org


def _carry_over(session: Session, project: Project, results: list[ResultIn]) -> list[ResultIn]:
    """Refuse to overwrite reported periods; keep what IATI does not carry (unit, weight)."""
    stored = [i for r in project_results(session, project.id) for i in r.indicators]
    locked = [p for i in stored for p in i.periods if p.state in ("submitted", "approved")]
    if locked:
        raise Conflict(
            f"Project '{project.ref}' has {len(locked)} submitted or approved indicator "
            "period(s); an import would overwrite them. Return them first, or import into "
            "another project."
        )
    units = {(i.code or i.title): i.unit for i in stored}
    weights = {((i.code or i.title), p.start, p.end): p.weight for i in stored for p in i.periods}
    out = []
    for result in results:
        indicators = []
        for ind in result.indicators:
            key = ind.code or ind.title
            periods = [
                p.model_copy(update={"weight": p.weight or weights.get((key, p.start, p.end))})
                for p in ind.periods
            ]
            unit = ind.unit or units.get(key, "")
            indicators.append(ind.model_copy(update={"unit": unit, "periods": periods}))
        out.append(result.model_copy(update={"indicators": indicators}))
    return out


def known_identifiers(session: Session) -> dict[str, Project]:
    """Every project by the IATI identifier it exports with (stored or derived)."""
    profiles = {p.project_id: p for p in session.scalars(select(m.ActivityProfile))}
    return {
        identifier(project, profiles.get(project.id)): project
        for project in session.scalars(select(Project))
    }


def _read(row: m.Result | m.Budget | m.Transaction) -> dict[str, Any]:
    if isinstance(row, m.Result):
        return read_result(row)
    if isinstance(row, m.Budget):
        return read_budget(row)
    return read_transaction(row)


def _results_and_finance(session: Session, project: Project) -> list[tuple[str, str, Any]]:
    """(record type, audit ref, record) of each result, budget and transaction of a project."""
    rows: list[m.Result | m.Budget | m.Transaction] = [
        *project_results(session, project.id),
        *session.scalars(select(m.Budget).where(m.Budget.project_id == project.id)),
        *session.scalars(select(m.Transaction).where(m.Transaction.project_id == project.id)),
    ]
    kinds = {m.Result: "results", m.Budget: "budgets", m.Transaction: "transactions"}
    return [(kinds[type(r)], f"{project.ref}/{r.id}", _read(r)) for r in rows]


def _write(
    session: Session,
    act: Activity,
    results: list[ResultIn],
    author: str,
    report: ImportReport,
    existing: Project | None,
) -> None:
    orgs = []
    for org in act.organisations:
        entry = {"party": _party_ref(session, org, author, report), "role": org.role}
        if entry not in orgs:
            orgs.append(entry)
    payload: dict[str, Any] = {**act.project, "organisations": orgs}
    if existing is not None:
        project = existing
        current = PROJECTS.out.model_validate(PROJECTS.read(project)).model_dump(mode="json")
        keep = {k: v for k, v in current.items() if k in ProjectCreate.model_fields}
        payload = {**keep, **payload, "ref": project.ref}
    else:
        base = slug(act.identifier)
        ref, n = base, 1
        while session.scalar(select(Project.id).where(Project.ref == ref)):
            n += 1
            ref = f"{base[:95]}-{n}"
        payload["ref"] = ref
    data = validated(ProjectCreate, payload)
    if existing is not None:
        project = existing
        results = _carry_over(session, project, results)
        replace_record(session=session, resource=PROJECTS, row=project, data=data, author=author)
        removed = _results_and_finance(session, project)
        for table in (m.Result, m.Budget, m.Transaction):
            session.execute(delete(table).where(table.project_id == project.id))
        session.expire_all()
        for kind, ref, before in removed:
            log_change(session, author, "delete", kind, ref, before, None)
        report.updated.append(project.ref)
    else:
        create_record(session=session, resource=PROJECTS, data=data, author=author)
        project = session.scalars(select(Project).where(Project.ref == data.ref)).one()
        report.created.append(project.ref)
    write_profile(session, project, act.profile, author)
    added: list[tuple[str, m.Result | m.Budget | m.Transaction]] = []
    for position, result in enumerate(results):
        added.append(("results", build_result(project, result, position, author)))
    for budget in act.budgets:
        added.append(("budgets", budget_row(project, budget, author)))
    for t in act.transactions:
        linked = t.model_copy(
            update={
                "provider": _link_org(session, t.provider),
                "receiver": _link_org(session, t.receiver),
            }
        )
        added.append(("transactions", transaction_row(session, project, linked, author)))
    session.add_all(row for _, row in added)
    flush(session, f"activity '{act.identifier}'")
    for kind, row in added:
        log_change(session, author, "create", kind, f"{project.ref}/{row.id}", None, _read(row))
    report.activities.append(
        {
            "identifier": act.identifier,
            "project": project.ref,
            "mapped": {
                "titles": 1 + len(act.profile.titles),
                "participating_orgs": len(orgs),
                "countries": len(data.countries),
                "budgets": len(act.budgets),
                "transactions": len(act.transactions),
                "results": len(results),
                "indicators": sum(len(r.indicators) for r in results),
            },
            "skipped": act.skipped,
            "notes": act.notes,
        }
    )
