"""Import IATI activities files into projects, with their results and finance.

All or nothing: every activity is read and checked first; a file with an
activity that cannot become a project is refused whole. Elements that bakuhub
does not record, or that do not pass its checks, are skipped and listed with
the reason; choices made while mapping (legacy names, missing percentages) are
listed as notes. Organisations and projects are matched as ``iati_match`` says: an
activity whose identifier is already known updates that project (its record fields
overwritten, its results, budgets and transactions replaced); another publisher's
activity for a Hub project brings its money to the project (``iati_funder``); the
rest become new projects, unless the person chose otherwise in the preview. Every
record created, changed or removed gets its audit entry in the caller's
transaction, so a refused file leaves none; a dry run (the preview) does the same
writes in a savepoint and rolls them back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bakuhub.errors import BakuhubError, Conflict, InvalidInput, validated
from bakuhub.i18n import _, ngettext
from bakuhub.registry.catalog import PROJECTS
from bakuhub.registry.models import Project
from bakuhub.registry.schemas import ProjectCreate
from bakuhub.registry.service import create_record, replace_record
from bakuhub.results import models as m
from bakuhub.results.finance import budget_row, read_budget, read_transaction, transaction_row
from bakuhub.results.iati_activity import Activity
from bakuhub.results.iati_funder import (
    FUNDER_ROLE,
    funder_report,
    incoming,
    join_organisations,
    replace_funder_flows,
)
from bakuhub.results.iati_match import (
    SKIP,
    Choices,
    Prepared,
    known_identifiers,
    links,
    party_by_identifier,
    target_for,
)
from bakuhub.results.iati_orgs import OrgBook, free_ref, slug
from bakuhub.results.iati_read import parse_file, read_activity
from bakuhub.results.profile import identifier, profile_of, write_profile
from bakuhub.results.schemas import DisaggregationIn, OrgIn, ResultIn
from bakuhub.results.service import (
    build_result,
    check_disaggregations,
    flush,
    log_change,
    project_results,
    read_result,
)
from bakuhub.results.texts import forget_project_results, store_imported

__all__ = ["Choices", "ImportReport", "import_activities", "slug"]


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do), activity by activity, and how
    each organisation of the file matched."""

    version: str
    dry_run: bool = False
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)
    skipped_activities: list[str] = field(default_factory=list)
    parties_created: list[str] = field(default_factory=list)
    activities: list[dict[str, Any]] = field(default_factory=list)
    orgs: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The report as plain data (API and CLI)."""
        return {
            "version": self.version,
            "dry_run": self.dry_run,
            "created": self.created,
            "updated": self.updated,
            "linked": self.linked,
            "skipped_activities": self.skipped_activities,
            "parties_created": self.parties_created,
            "activities": self.activities,
            "organisations": self.orgs,
        }


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


def import_activities(
    *,
    session: Session,
    xml: bytes,
    author: str,
    choices: Choices | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import an IATI file, all or nothing; ``choices`` from a preview; ``dry_run``
    runs the same writes in a savepoint and rolls them back (the preview's report)."""
    choices = choices or Choices()
    elements, version = parse_file(xml)
    if not elements:
        raise InvalidInput(_("The IATI file holds no iati-activity; nothing to import."))
    errors: list[dict[str, Any]] = []
    prepared: list[Prepared] = []
    for index, el in enumerate(elements):
        try:
            act = read_activity(el, "en")
        except InvalidInput as exc:
            errors.append({"loc": ["activity", index], "msg": exc.message})
            continue
        prepared.append(Prepared(act, _results(act), links(el, act)))
    seen: set[str] = set()
    for p in prepared:
        if p.act.identifier in seen:
            errors.append({"loc": [p.act.identifier], "msg": _("the identifier appears twice")})
        seen.add(p.act.identifier)
    known = known_identifiers(session)
    for p in prepared:
        choice = choices.projects.get(p.act.identifier)
        p.target = target_for(session, p.act, p.links, known, choice)
        if p.target.problem:
            errors.append({"loc": [p.act.identifier], "msg": p.target.problem})
    book = OrgBook.collect(session, prepared, choices)
    report = ImportReport(version=version, dry_run=dry_run)
    if not errors:
        _write_all(session, prepared, book, author, report, errors, dry_run)
    report.orgs = [o.as_dict() for o in book.matches.values()]
    report.parties_created = list(book.created)
    if errors:
        listed = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg'].rstrip('.')}" for e in errors
        )
        raise InvalidInput(
            ngettext(
                "Nothing was imported: {count} activity problem. {problems}. Correct the file "
                "and import it again.",
                "Nothing was imported: {count} activity problems. {problems}. Correct the file "
                "and import it again.",
                len(errors),
            ).format(count=len(errors), problems=listed),
            details=errors,
        )
    return report


def _write_all(
    session: Session,
    prepared: list[Prepared],
    book: OrgBook,
    author: str,
    report: ImportReport,
    errors: list[dict[str, Any]],
    dry_run: bool,
) -> None:
    """Write every activity in one savepoint (each in its own), kept unless a write
    failed or this is a dry run."""
    outer = session.begin_nested()
    try:
        for p in prepared:
            try:
                with session.begin_nested():
                    _write_one(session, p, book, author, report)
            except BakuhubError as exc:
                errors.append({"loc": [p.act.identifier], "msg": exc.message})
    except BaseException:
        outer.rollback()
        raise
    if errors or dry_run:
        outer.rollback()
    else:
        outer.commit()


def _write_one(
    session: Session, p: Prepared, book: OrgBook, author: str, report: ImportReport
) -> None:
    target = p.target
    if target.action == SKIP:
        report.skipped_activities.append(p.act.identifier)
        report.activities.append(_entry(p, None, {}, []))
    elif target.action == "funder" and target.project is not None:
        _write_funder(session, p, target.project, book, author, report)
    else:
        _write(session, p, book, author, report, target.project)


def _entry(
    p: Prepared, project: str | None, counts: dict[str, Any], not_imported: list[dict[str, str]]
) -> dict[str, Any]:
    """One activity of the report."""
    return {
        "identifier": p.act.identifier,
        "title": p.act.project.get("title", ""),
        "reporting_org": {
            "ref": p.act.profile.reporting_org_ref,
            "name": p.act.profile.reporting_org_name,
        },
        "action": p.target.action,
        "matched_by": p.target.matched_by,
        "project": project,
        "mapped": counts,
        "not_imported": not_imported,
        "skipped": [
            {**s, "reason": _("not stored; it named the project the activity goes to")}
            if s["element"] == p.target.matched_by
            else s
            for s in p.act.skipped
        ],
        "notes": p.act.notes,
    }


def _link_org(session: Session, org: OrgIn | None) -> OrgIn | None:
    if org is None:
        return None
    party = party_by_identifier(session, org.ref) if org.ref else None
    return org.model_copy(update={"party": party.ref}) if party is not None else org


def _carry_over(session: Session, project: Project, results: list[ResultIn]) -> list[ResultIn]:
    """Refuse to overwrite reported periods; keep what IATI does not carry (unit, weight)."""
    stored = [i for r in project_results(session, project.id) for i in r.indicators]
    locked = [p for i in stored for p in i.periods if p.state in ("submitted", "approved")]
    if locked:
        raise Conflict(
            ngettext(
                "Project '{project}' has {count} submitted or approved indicator period; an "
                "import would overwrite it. Return it first, or import into another project.",
                "Project '{project}' has {count} submitted or approved indicator periods; an "
                "import would overwrite them. Return them first, or import into another "
                "project.",
                len(locked),
            ).format(project=project.ref, count=len(locked))
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
    p: Prepared,
    book: OrgBook,
    author: str,
    report: ImportReport,
    existing: Project | None,
) -> None:
    """Create a project from the activity, or update the project with its identifier."""
    act, results = p.act, p.results
    orgs = []
    for org in act.organisations:
        party = book.party_for(session, org.ref, org.name, author)
        entry = {"party": party, "role": org.role}
        if party is not None and entry not in orgs:
            orgs.append(entry)
    payload: dict[str, Any] = {**act.project, "organisations": orgs}
    if existing is not None:
        project = existing
        current = PROJECTS.out.model_validate(PROJECTS.read(project)).model_dump(mode="json")
        keep = {k: v for k, v in current.items() if k in ProjectCreate.model_fields}
        payload = {**keep, **payload, "ref": project.ref}
    else:
        payload["ref"] = free_ref(session, Project, slug(act.identifier))
    data = validated(ProjectCreate, payload)
    if existing is not None:
        project = existing
        results = _carry_over(session, project, results)
        replace_record(session=session, resource=PROJECTS, row=project, data=data, author=author)
        removed = _results_and_finance(session, project)
        forget_project_results(session, project.id)
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
    session.add_all(row for _kind, row in added)
    flush(session, _("activity '{identifier}'").format(identifier=act.identifier))
    store_imported(session, project.id, act.texts, author)
    for kind, row in added:
        log_change(session, author, "create", kind, f"{project.ref}/{row.id}", None, _read(row))
    counts = {
        "titles": 1 + len(act.profile.titles),
        "participating_orgs": len(orgs),
        "countries": len(data.countries),
        "budgets": len(act.budgets),
        "transactions": len(act.transactions),
        "results": len(results),
        "indicators": sum(len(r.indicators) for r in results),
    }
    report.activities.append(_entry(p, project.ref, counts, []))


def _write_funder(
    session: Session,
    p: Prepared,
    project: Project,
    book: OrgBook,
    author: str,
    report: ImportReport,
) -> None:
    """Another publisher's activity for a Hub project: its money to the project, and
    its organisations (see ``iati_funder``)."""
    act, profile = p.act, p.act.profile
    name = profile.reporting_org_name or profile.reporting_org_ref or ""
    funder_party = book.party_for(session, profile.reporting_org_ref, name, author)
    funder = OrgIn(
        party=funder_party,
        ref=profile.reporting_org_ref,
        name=name or f"Publisher of {act.identifier}"[:300],
        type=profile.reporting_org_type,
    )
    pairs = [(funder_party, FUNDER_ROLE)] if funder_party else []
    for org in act.organisations:
        party = book.party_for(session, org.ref, org.name, author)
        if party is not None:
            pairs.append((party, org.role))
    hub_id = identifier(project, profile_of(session, project))
    added = join_organisations(session, project, pairs, author)
    flows, left = incoming(act, funder, hub_id)
    flows = [t.model_copy(update={"receiver": _link_org(session, t.receiver)}) for t in flows]
    removed, _kept = replace_funder_flows(session, project, act, flows, author)
    summary = funder_report(session, project, act, p.results, flows, left)
    counts = {
        "participating_orgs": len(added),
        "transactions": len(flows),
        "transactions_replaced": removed,
        "budgets": 0,
        "results": 0,
    }
    entry = _entry(p, project.ref, counts, summary.pop("not_imported"))
    report.activities.append({**entry, **summary, "organisations_added": added})
    report.linked.append(project.ref)
