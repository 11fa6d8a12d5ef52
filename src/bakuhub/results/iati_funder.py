"""Another publisher's activity for a Hub project (a funder's file): what it changes.

IATI links a funder's activity to the activity it funds by the flows between them
(traceability): the funder reports a disbursement to the project, the project reports
the same money as incoming funds whose ``provider-activity-id`` is the funder's
activity. So a funder's file updates only the funder-reported finance of the Hub
project: each disbursement to the project becomes an incoming-funds transaction of
the project, provided by the funder, with the funder's activity identifier; a
re-import replaces the transactions that carry that identifier and nothing else. The
project's own record, IATI details, results and budgets stay the Hub's: the funder's
budgets, results and other flows are listed in the report as not imported, and its
indicators are matched to the project's by code or title for the report. Organisations
of the funder's activity (and the funder itself, as funding) that are linked to a
party join the project's organisations.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bakuhub.i18n import _, ngettext
from bakuhub.registry.catalog import PROJECTS
from bakuhub.registry.models import Project
from bakuhub.registry.schemas import ProjectCreate
from bakuhub.registry.service import replace_record
from bakuhub.results import models as m
from bakuhub.results.codes import TransactionKind
from bakuhub.results.finance import read_transaction, transaction_row
from bakuhub.results.iati_activity import Activity
from bakuhub.results.profile import (
    identifier,
    profile_of,
    read_profile,
    reporting_org,
    write_profile,
)
from bakuhub.results.schemas import OrgIn, ProfileIn, ResultIn, TransactionIn
from bakuhub.results.service import flush, log_change, project_results

FUNDER_ROLE = "funding"


def incoming(
    act: Activity, funder: OrgIn, project_id: str
) -> tuple[list[TransactionIn], list[dict[str, str]]]:
    """The funder's disbursements to the project as the project's incoming funds; the
    other transactions with the reason each is not imported."""
    kept: list[TransactionIn] = []
    left: list[dict[str, str]] = []
    for t in act.transactions:
        to = t.receiver.activity if t.receiver is not None else None
        if t.kind != TransactionKind.disbursement:
            reason = (
                _("a commitment of the funder: bakuhub records no incoming commitment")
                if t.kind == TransactionKind.commitment
                else _("the funder's own {kind}, not money to the project").format(
                    kind=t.kind.value.replace("-", " ")
                )
            )
            left.append({"element": "transaction", "reason": reason})
            continue
        if to and to != project_id:
            left.append(
                {
                    "element": "transaction",
                    "reason": _("a disbursement to another activity ({activity})").format(
                        activity=to
                    ),
                }
            )
            continue
        provider = t.provider or funder
        kept.append(
            t.model_copy(
                update={
                    "kind": TransactionKind.incoming_funds,
                    "provider": provider.model_copy(update={"activity": act.identifier}),
                }
            )
        )
    return kept, left


def replace_funder_flows(
    session: Session, project: Project, act: Activity, flows: list[TransactionIn], author: str
) -> tuple[int, int]:
    """Swap the project's transactions from this funder activity for ``flows``;
    (removed, added). Each change is audited."""
    stmt = select(m.Transaction).where(
        m.Transaction.project_id == project.id,
        m.Transaction.provider_activity == act.identifier,
    )
    old = list(session.scalars(stmt))
    for row in old:
        log_change(
            session,
            author,
            "delete",
            "transactions",
            f"{project.ref}/{row.id}",
            read_transaction(row),
            None,
        )
        session.delete(row)
    rows = [transaction_row(session, project, t, author) for t in flows]
    session.add_all(rows)
    flush(session, _("activity '{identifier}'").format(identifier=act.identifier))
    for row in rows:
        log_change(
            session,
            author,
            "create",
            "transactions",
            f"{project.ref}/{row.id}",
            None,
            read_transaction(row),
        )
    return len(old), len(rows)


def join_organisations(
    session: Session, project: Project, pairs: list[tuple[str, str]], author: str
) -> list[dict[str, str]]:
    """Add ``(party ref, role)`` pairs the project lacks; the pairs added."""
    current = PROJECTS.out.model_validate(PROJECTS.read(project)).model_dump(mode="json")
    have = {(o["party"], o["role"]) for o in current.get("organisations", [])}
    added = [{"party": p, "role": r} for p, r in dict.fromkeys(pairs) if (p, r) not in have]
    if added:
        _pin_identifier(session, project, author)
        keep = {k: v for k, v in current.items() if k in ProjectCreate.model_fields}
        keep["organisations"] = [*current.get("organisations", []), *added]
        data = ProjectCreate.model_validate(keep)
        replace_record(session=session, resource=PROJECTS, row=project, data=data, author=author)
    return added


def _pin_identifier(session: Session, project: Project, author: str) -> None:
    """Store the project's derived IATI identifier and reporting organisation in its
    IATI details, so organisations joining the project do not change them (the
    funder's file, and anyone else, link to the activity by that identifier)."""
    profile = profile_of(session, project)
    if profile is not None and profile.identifier:
        return
    org = reporting_org(project, profile)
    data = read_profile(profile) if profile is not None else {}
    if not data.get("reporting_org_ref"):
        data.update(
            reporting_org_ref=org.ref, reporting_org_type=org.type, reporting_org_name=org.name
        )
    data["identifier"] = identifier(project, profile)
    write_profile(session, project, ProfileIn.model_validate(data), author)


def indicator_matches(
    session: Session, project: Project, results: list[ResultIn]
) -> dict[str, list[str]]:
    """The funder's indicators that match one of the project's (by code, else title),
    and those that do not; for the report only."""
    stored = [i for r in project_results(session, project.id) for i in r.indicators]
    codes = {i.code for i in stored if i.code}
    titles = {i.title.casefold() for i in stored}
    out: dict[str, list[str]] = {"matched": [], "unmatched": []}
    for result in results:
        for ind in result.indicators:
            hit = (ind.code and ind.code in codes) or ind.title.casefold() in titles
            out["matched" if hit else "unmatched"].append(ind.title)
    return out


def funder_report(
    session: Session,
    project: Project,
    act: Activity,
    results: list[ResultIn],
    flows: list[TransactionIn],
    left: list[dict[str, str]],
) -> dict[str, Any]:
    """What the funder's activity brought to the project, and what it did not."""
    not_imported = [
        *left,
        *(
            {"element": "budget", "reason": _("the funder's budget; the project keeps its own")}
            for _budget in act.budgets
        ),
    ]
    if results:
        not_imported.append(
            {
                "element": "result",
                "reason": ngettext(
                    "{count} result of the funder; the project keeps its own results framework",
                    "{count} results of the funder; the project keeps its own results framework",
                    len(results),
                ).format(count=len(results)),
            }
        )
    return {
        "transactions": {"in_file": len(act.transactions), "imported": len(flows)},
        "budgets": {"in_file": len(act.budgets), "imported": 0},
        "results": {"in_file": len(results), "imported": 0},
        "indicators": indicator_matches(session, project, results),
        "not_imported": not_imported,
    }
