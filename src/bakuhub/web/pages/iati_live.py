"""The IATI checks on the pages: the project page's summary (``_iati_findings.html``)
and each edit form's findings beside the input they name (``_iati_note.html``).

Behaviour: a save is never blocked by an IATI finding (a plan may be incomplete);
the page the user lands on after saving (the project page) says "IATI check: N
errors, M warnings" and lists each finding with a link to the form where it is
fixed; that form shows the finding beside its input, as saved. A form sent back
with the user's own errors shows those only: they come first and block as before.
The summary is for signed-in readers (staff export: every period, drafts included);
anonymous readers see no findings on pages (the API answers them for published
projects only). No router: the page modules call these.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from bakuhub.accounts.permissions import Principal
from bakuhub.errors import BakuhubError
from bakuhub.i18n import N_, _
from bakuhub.iati.findings import Finding
from bakuhub.results import iati_live
from bakuhub.results.iati_live import LiveFinding, Place, ProjectCheck, RecordKind
from bakuhub.web import policy

log = logging.getLogger(__name__)

LABELS: dict[str, str] = {
    "project": N_("Project"),
    "budget": N_("Budget"),
    "transaction": N_("Transaction"),
    "result": N_("Result"),
    "indicator": N_("Indicator"),
    "period": N_("Period"),
}
"""Each record kind as a person reads it (translated where shown)."""
NUMBERED: dict[str, str] = {
    "project": N_("Project {id}"),
    "budget": N_("Budget {id}"),
    "transaction": N_("Transaction {id}"),
    "result": N_("Result {id}"),
    "indicator": N_("Indicator {id}"),
    "period": N_("Period {id}"),
}
"""A record of each kind with its id ("Transaction 12"), translated where shown."""
DATE_PAIRS = {
    "planned_start": "planned_end",
    "actual_start": "actual_end",
    "period_start": "period_end",
    "start": "end",
}
"""A start input and its end: a finding that they are out of order shows at both."""
ORDER_RULES = frozenset({"11.1.2", "11.1.3", "8.6.1", "8.6.3"})
"""The ruleset's date-order rules between a start and an end (not "not in the future")."""
SEVERITY_WORDS = {
    "critical": N_("IATI critical"),
    "error": N_("IATI error"),
    "warning": N_("IATI warning"),
}


@dataclass
class FormFindings:
    """One record's findings for its edit form: per input, and the rest (``other``)."""

    inputs: dict[str, list[Finding]] = field(default_factory=dict)
    other: list[Finding] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    text: str = ""
    unavailable: str = ""

    def at(self, name: str) -> list[Finding]:
        """The findings shown beside input ``name``."""
        return self.inputs.get(name, [])

    def __bool__(self) -> bool:
        return bool(self.inputs or self.other or self.unavailable)


def checked(session: Session, ref: str) -> ProjectCheck | str:
    """The project's check, or why it could not run (a ruleset or codelist folder set
    by the environment that cannot be read): the page still opens and says so."""
    try:
        return iati_live.check_project(session=session, project_ref=ref)
    except BakuhubError as exc:
        log.warning("IATI check of %s could not run: %s", ref, exc.message)
        return _("The IATI check could not run: {reason}").format(reason=exc.message)


def form_url(ref: str, place: Place) -> str:
    """The edit form where a finding is fixed, at its input (``#f-<input>``)."""
    anchor = f"#f-{place.input}" if place.input else "#iati-record"
    paths = {
        "project": f"/projects/{ref}/edit",
        "budget": f"/projects/{ref}/budgets/{place.id}/edit",
        "transaction": f"/projects/{ref}/transactions/{place.id}/edit",
        "result": f"/results/{place.id}/edit",
        "indicator": f"/indicators/{place.id}/edit",
        "period": f"/periods/{place.id}/edit",
    }
    return paths[place.kind] + anchor


def where(place: Place) -> str:
    """The record a finding concerns, as a person reads it ("Transaction 12")."""
    if place.id is None:
        return _(LABELS[place.kind])
    return _(NUMBERED[place.kind]).format(id=place.id)


def summary(
    session: Session, principal: Principal | None, project: dict[str, Any]
) -> dict[str, Any] | None:
    """What ``_iati_findings.html`` shows (None for anonymous readers: no check run)."""
    if principal is None:
        return None
    check = checked(session, project["ref"])
    if isinstance(check, str):
        return {"unavailable": check, "findings": [], "text": _("not run")}
    editable = policy.belongs(principal, "projects", project)
    items = [_item(project["ref"], f, editable) for f in check.findings]
    return {
        "counts": check.counts,
        "text": iati_live.count_text(check.counts),
        "findings": items,
        "editable": editable,
    }


def _item(ref: str, found: LiveFinding, editable: bool) -> dict[str, Any]:
    f = found.finding
    return {
        "severity": f.severity,
        "word": _(SEVERITY_WORDS[f.severity]),
        "where": where(found.place),
        "message": f.message,
        "rule_id": f.rule_id,
        "link": form_url(ref, found.place) if editable else None,
    }


def for_form(
    session: Session,
    project_ref: str,
    kind: RecordKind,
    record_id: int | None = None,
    inputs: set[str] | frozenset[str] | None = None,
) -> FormFindings:
    """One record's findings for its edit form, as saved.

    ``inputs``: the names of the form's inputs; a finding of any other input is listed
    at the top of the form (``other``) instead of beside an input that is not there.
    """
    check = checked(session, project_ref)
    if isinstance(check, str):
        return FormFindings(unavailable=check, text=_("not run"))
    out = FormFindings()
    grouped = check.by_input(kind, record_id)
    mine = [f for group in grouped.values() for f in group]
    for name, found in grouped.items():
        if name and (inputs is None or name in inputs):
            out.inputs.setdefault(name, []).extend(found)
        else:
            out.other.extend(found)
        pair = DATE_PAIRS.get(name)
        both = [f for f in found if f.rule_id in ORDER_RULES]
        if pair and both and (inputs is None or pair in inputs):
            out.inputs.setdefault(pair, []).extend(both)
    out.counts = {s: sum(1 for f in mine if f.severity == s) for s in SEVERITY_WORDS}
    out.text = iati_live.count_text(out.counts)
    return out


def with_sections(
    context: dict[str, Any],
    session: Session,
    ref: str,
    kind: RecordKind,
    record_id: int,
) -> dict[str, Any]:
    """A results form's context (``sections`` of inputs) with the record's findings."""
    names = {i.name for _title, group in context["sections"] for i in group}
    found = for_form(session, ref, kind, record_id, names)
    return {**context, "iati": found, "iati_what": kind}
