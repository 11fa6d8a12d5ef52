"""Write projects as an IATI 2.03 activities file.

Element order follows the ``iati-activity`` sequence of the 2.03 schema. Values
the registry does not hold but the schema requires are filled in openly: a
project without a description gets its title as description, a project without
any date gets a planned start of its agreement's signing date (or of its record
creation) with a narrative saying so, and a project without organisations names
its reporting organisation as accountable. Each such fill is listed in
``ExportResult.notes``.

The public's export (``published_only``) names no draft record: draft projects
are not exported, and a draft party is never the reporting organisation, a
participating organisation or a transaction's provider or receiver; a draft
agreement's signing date is not used as a stand-in start date. A stored value that
is not a finite number (only possible in data written before the inputs were
checked) is never written: the element or attribute is left out, with a note.
"""

from __future__ import annotations

import datetime as dt
import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal

import pycountry
from sqlalchemy import select
from sqlalchemy.orm import Session

from bakuhub.db import utcnow
from bakuhub.errors import NotFound
from bakuhub.i18n import _
from bakuhub.registry.codes import IATI_ORGANISATION_ROLE_CODES, OrganisationRole
from bakuhub.registry.models import Party, Project
from bakuhub.registry.resources import shown
from bakuhub.results import models as m
from bakuhub.results.codes import (
    BUDGET_STATUS_CODES,
    BUDGET_TYPE_CODES,
    INDICATOR_VOCABULARY_OWN,
    MEASURE_CODES,
    RESULT_TYPE_CODES,
    RIO_MARKER_CODES,
    TRANSACTION_CODES,
    BudgetKind,
    BudgetStatus,
    Measure,
    PeriodState,
    ResultKind,
    RioMarker,
    TransactionKind,
)
from bakuhub.results.iati_read import PLACEHOLDER_DATE
from bakuhub.results.profile import (
    Org,
    identifier,
    party_org,
    profile_of,
    reporting_org,
    theme_sectors,
)
from bakuhub.results.service import project_results
from bakuhub.results.texts import other_texts

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EVIDENCE_CATEGORY = "A08"  # IATI DocumentCategory: Results, outcomes and outputs


@dataclass
class ExportResult:
    """The file, and what had to be filled in for the schema."""

    xml: bytes
    activities: int
    notes: list[str] = field(default_factory=list)


def finite(value: float | Decimal) -> bool:
    """Whether ``value`` is a finite number."""
    return value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)


def number(value: float | Decimal) -> str:
    """A number as IATI text: no exponent, no trailing '.0' (ValueError for NaN, infinity)."""
    if not finite(value):
        raise ValueError(f"{value} is not a finite number; IATI files hold finite numbers only")
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
    else:
        text = format(Decimal(repr(value)).normalize(), "f")
    return text


def _sub(parent: ET.Element, tag: str, **attrs: str | None) -> ET.Element:
    clean = {k.replace("_", "-"): v for k, v in attrs.items() if v is not None}
    return ET.SubElement(parent, tag, clean)


def _narrative(parent: ET.Element, text: str, lang: str | None = None) -> ET.Element:
    el = ET.SubElement(parent, "narrative", {XML_LANG: lang} if lang else {})
    el.text = text
    return el


def _texts(
    parent: ET.Element,
    tag: str,
    main: str,
    others: dict[str, str],
    default_lang: str | None = None,
    **attrs: str,
) -> ET.Element:
    """``<tag>`` with the main text unmarked (the activity's default language) and one
    ``narrative xml:lang`` per other language (none repeating the default language)."""
    el = _sub(parent, tag, **attrs)
    _narrative(el, main)
    for lang, text in sorted(others.items()):
        if text and lang != default_lang:
            _narrative(el, text, lang)
    return el


def _optional(value: float | Decimal | None, what: str, notes: list[str]) -> str | None:
    """``number(value)``; None for None, and None with a note for a non-finite value."""
    if value is None:
        return None
    if not finite(value):
        notes.append(
            _("{what}: the stored value {value} is not a finite number; left out").format(
                what=what, value=value
            )
        )
        return None
    return number(value)


def export_activities(
    *,
    session: Session,
    project_refs: list[str] | None = None,
    approved_only: bool = False,
    published_only: bool | None = None,
) -> ExportResult:
    """The projects (all when ``project_refs`` is None) as one IATI activities file.

    ``approved_only`` (the public's export) leaves out result periods not yet approved;
    ``published_only`` (default: as ``approved_only``) leaves out draft projects and
    every reference to a draft agreement or party.
    """
    public = approved_only if published_only is None else published_only
    stmt = select(Project).order_by(Project.ref)
    if public:
        stmt = stmt.where(Project.published.is_(True))
    if project_refs is not None:
        stmt = stmt.where(Project.ref.in_(project_refs))
    projects = list(session.scalars(stmt))
    if project_refs is not None:
        missing = sorted(set(project_refs) - {p.ref for p in projects})
        if missing:
            raise NotFound(
                _("There is no project with ref {refs}; nothing exported.").format(
                    refs=", ".join(missing)
                )
            )
    if not projects:
        raise NotFound(_("There are no projects to export; an IATI file needs at least one."))
    now = utcnow().replace(microsecond=0)
    root = ET.Element("iati-activities", {"version": "2.03", "generated-datetime": now.isoformat()})
    notes: list[str] = []
    for project in projects:
        root.append(
            activity_element(
                session, project, notes, approved_only=approved_only, published_only=public
            )
        )
    ET.indent(root)
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return ExportResult(xml=xml, activities=len(projects), notes=notes)


def activity_element(
    session: Session,
    project: Project,
    notes: list[str],
    *,
    approved_only: bool = False,
    published_only: bool = False,
) -> ET.Element:
    """One ``iati-activity`` element (only approved result periods with ``approved_only``,
    no draft agreement or party named with ``published_only``)."""
    profile = profile_of(session, project)
    org = reporting_org(project, profile, published_only=published_only)
    budgets = list(
        session.scalars(
            select(m.Budget)
            .where(m.Budget.project_id == project.id)
            .order_by(m.Budget.period_start, m.Budget.id)
        )
    )
    transactions = list(
        session.scalars(
            select(m.Transaction)
            .where(m.Transaction.project_id == project.id)
            .order_by(m.Transaction.date, m.Transaction.id)
        )
    )
    attrs = {
        "last-updated-datetime": _stamp(project.updated_at),
        XML_LANG: profile.default_lang if profile else "en",
    }
    currency = profile.default_currency if profile else None
    if currency:
        attrs["default-currency"] = currency
    if profile is not None and profile.humanitarian is not None:
        attrs["humanitarian"] = "1" if profile.humanitarian else "0"
    act = ET.Element("iati-activity", attrs)
    _sub(act, "iati-identifier").text = identifier(project, profile, published_only=published_only)
    rep = _sub(act, "reporting-org", ref=org.ref, type=org.type)
    _narrative(rep, org.name)
    lang = attrs[XML_LANG]
    _texts(act, "title", project.title, profile.titles if profile else {}, lang)
    description = project.description
    if not description:
        description = project.title
        notes.append(
            _("{ref}: no description recorded; the title is exported as description").format(
                ref=project.ref
            )
        )
    _texts(act, "description", description, profile.descriptions if profile else {}, lang, type="1")
    _participants(act, project, org, notes, published_only)
    _sub(act, "activity-status", code=project.status)
    _dates(act, project, notes, published_only)
    for country in project.countries:
        found = pycountry.countries.get(alpha_3=country.iso3)
        code = found.alpha_2 if found else country.iso3
        share = _optional(country.share, f"{project.ref}: recipient-country {code}", notes)
        _sub(act, "recipient-country", code=code, percentage=share)
    if profile is None or not profile.sectors:
        _theme_sectors(act, project, notes)  # sectors come before the other classifications
    if profile is not None:
        _classifications(act, profile, notes)
    for budget in budgets:
        if _money_is_finite(budget, project, notes):
            _budget(act, budget)
    for transaction in transactions:
        if _money_is_finite(transaction, project, notes):
            _transaction(act, transaction, published_only)
    results = project_results(session, project.id)
    texts = Texts(
        lang,
        other_texts(session, "result", [r.id for r in results]),
        other_texts(session, "indicator", [i.id for r in results for i in r.indicators]),
    )
    for result in results:
        _result(act, result, approved_only, notes, texts)
    return act


@dataclass(frozen=True)
class Texts:
    """The activity's default language and its results' and indicators' other-language
    texts (``texts.other_texts``: id -> field -> language -> text)."""

    lang: str
    results: dict[int, dict[str, dict[str, str]]]
    indicators: dict[int, dict[str, dict[str, str]]]


def _money_is_finite(row: m.Budget | m.Transaction, project: Project, notes: list[str]) -> bool:
    """Whether a budget's or transaction's value can be written (noted when not)."""
    if finite(row.value):
        return True
    kind = "budget" if isinstance(row, m.Budget) else "transaction"
    notes.append(
        _("{ref}: {kind} {id} has the value {value}; left out").format(
            ref=project.ref, kind=kind, id=row.id, value=row.value
        )
    )
    return False


def _stamp(when: dt.datetime) -> str:
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return when.replace(microsecond=0).isoformat()


def _participants(
    act: ET.Element, project: Project, org: Org, notes: list[str], published_only: bool
) -> None:
    links = [o for o in project.organisations if shown(o.party, published_only)]
    if not links:
        el = _sub(act, "participating-org", ref=org.ref, type=org.type, role="2")
        _narrative(el, org.name)
        notes.append(
            _(
                "{ref}: no participating organisation recorded; the reporting "
                "organisation is exported as accountable"
            ).format(ref=project.ref)
        )
        return
    for link in links:
        who = party_org(link.party)
        role = IATI_ORGANISATION_ROLE_CODES[OrganisationRole(link.role)]
        el = _sub(act, "participating-org", ref=who.ref, type=who.type, role=role)
        _narrative(el, who.name)


def _dates(act: ET.Element, project: Project, notes: list[str], published_only: bool) -> None:
    dates = [
        ("1", project.planned_start),
        ("2", project.actual_start),
        ("3", project.planned_end),
        ("4", project.actual_end),
    ]
    known = [(code, day) for code, day in dates if day is not None]
    for code, day in known:
        _sub(act, "activity-date", type=code, iso_date=day.isoformat())
    if any(code in ("1", "2") for code, _day in known):
        return
    agreement = project.agreement
    if agreement is not None and not shown(agreement, published_only):
        agreement = None
    if agreement is not None and agreement.signed_on is not None:
        day, why = agreement.signed_on, f"the signing date of agreement {agreement.ref}"
        note = _(
            "{ref}: no start date recorded; planned start set to the signing date of "
            "agreement {agreement} ({day})"
        ).format(ref=project.ref, agreement=agreement.ref, day=day)
    else:
        day, why = project.created_at.date(), "the date the project was recorded in bakuhub"
        note = _(
            "{ref}: no start date recorded; planned start set to the date the project was "
            "recorded in bakuhub ({day})"
        ).format(ref=project.ref, day=day)
    el = _sub(act, "activity-date", type="1", iso_date=day.isoformat())
    _narrative(el, f"{PLACEHOLDER_DATE}; {why} is given instead.")  # the file's text: English
    notes.append(note)


def _theme_sectors(act: ET.Element, project: Project, notes: list[str]) -> None:
    """Without sectors in the IATI profile, the project's Hub themes as sectors of the
    reporting organisation's vocabulary (99), shared equally; the IATI Standard wants
    every activity to have a sector (rule 6.2.2). No theme: nothing, and the check says so."""
    sectors = theme_sectors(project)
    if not sectors:
        return
    for sector in sectors:
        el = _sub(act, "sector", vocabulary=sector["vocabulary"], code=sector["code"])
        if sector["percentage"] is not None:
            el.set("percentage", sector["percentage"])
        _narrative(el, sector["name"])
    themes = [s["code"] for s in sectors]
    notes.append(
        _(
            "{ref}: no sectors in its IATI profile; its Hub themes ({themes}) are exported "
            "as sectors of vocabulary 99, shared equally"
        ).format(ref=project.ref, themes=", ".join(themes))
    )


def _classifications(act: ET.Element, profile: m.ActivityProfile, notes: list[str]) -> None:
    for sector in profile.sectors or []:
        pct = sector.get("percentage")
        code = str(sector["code"])
        share = None if pct is None else _optional(float(pct), f"sector {code}", notes)
        _sub(
            act,
            "sector",
            vocabulary=sector.get("vocabulary", "1"),
            code=code,
            percentage=share,
        )
    for scope in profile.humanitarian_scopes or []:
        el = _sub(
            act,
            "humanitarian-scope",
            type=scope["type"],
            vocabulary=scope["vocabulary"],
            code=scope["code"],
        )
        if scope.get("narrative"):
            _narrative(el, scope["narrative"])
    for marker in profile.policy_markers or []:
        code = RIO_MARKER_CODES[RioMarker(marker["marker"])]
        _sub(act, "policy-marker", vocabulary="1", code=code, significance=marker["significance"])


def _value(parent: ET.Element, amount: Decimal, currency: str, value_date: dt.date) -> None:
    el = _sub(parent, "value", currency=currency, value_date=value_date.isoformat())
    el.text = number(amount)


def _budget(act: ET.Element, b: m.Budget) -> None:
    el = _sub(
        act,
        "budget",
        type=BUDGET_TYPE_CODES[BudgetKind(b.kind)],
        status=BUDGET_STATUS_CODES[BudgetStatus(b.status)],
    )
    _sub(el, "period-start", iso_date=b.period_start.isoformat())
    _sub(el, "period-end", iso_date=b.period_end.isoformat())
    _value(el, b.value, b.currency, b.value_date)


def _transaction(act: ET.Element, t: m.Transaction, published_only: bool) -> None:
    el = _sub(act, "transaction", ref=t.ref)
    _sub(el, "transaction-type", code=TRANSACTION_CODES[TransactionKind(t.kind)])
    _sub(el, "transaction-date", iso_date=t.date.isoformat())
    _value(el, t.value, t.currency, t.value_date)
    if t.description:
        _narrative(_sub(el, "description"), t.description)
    for side in ("provider", "receiver"):
        party: Party | None = getattr(t, f"{side}_party")
        if party is not None and not shown(party, published_only):
            continue  # its name and ref were copied from a draft party
        ref = getattr(t, f"{side}_ref") or (party_org(party).ref if party else None)
        name = getattr(t, f"{side}_name") or (party.name if party else "")
        if party is None and not ref and not name:
            continue
        org = _sub(el, f"{side}-org", ref=ref, type=getattr(t, f"{side}_type"))
        activity = getattr(t, f"{side}_activity")
        if activity:
            org.set(f"{side}-activity-id", activity)
        if name:
            _narrative(org, name)


def _result(
    act: ET.Element, r: m.Result, approved_only: bool, notes: list[str], texts: Texts
) -> None:
    el = _sub(act, "result", type=RESULT_TYPE_CODES[ResultKind(r.kind)])
    others = texts.results.get(r.id, {})
    _texts(el, "title", r.title, others.get("title", {}), texts.lang)
    if r.description:
        _texts(el, "description", r.description, others.get("description", {}), texts.lang)
    for ind in r.indicators:
        _indicator(el, ind, approved_only, notes, texts)


def _with_unit(title: str, unit: str | None) -> str:
    """An indicator's title with its unit, as IATI has no unit of its own."""
    return f"{title} ({unit})" if unit and not title.endswith(f"({unit})") else title


def _indicator(
    parent: ET.Element, ind: m.Indicator, approved_only: bool, notes: list[str], texts: Texts
) -> None:
    el = _sub(
        parent,
        "indicator",
        measure=MEASURE_CODES[Measure(ind.measure)],
        ascending="1" if ind.ascending else "0",
        aggregation_status="1" if ind.include_in_rollup else "0",
    )
    others = texts.indicators.get(ind.id, {})
    titles = {lg: _with_unit(t, ind.unit) for lg, t in others.get("title", {}).items()}
    _texts(el, "title", _with_unit(ind.title, ind.unit), titles, texts.lang)
    if ind.description:
        _texts(el, "description", ind.description, others.get("description", {}), texts.lang)
    if ind.code:
        _sub(el, "reference", vocabulary=INDICATOR_VOCABULARY_OWN, code=ind.code)
    if ind.baseline_year is not None:
        value = _optional(ind.baseline_value, f"indicator {ind.id} baseline", notes)
        base = _sub(el, "baseline", year=str(ind.baseline_year), value=value)
        if ind.baseline_comment:
            _narrative(_sub(base, "comment"), ind.baseline_comment)
    for period in ind.periods:
        if not approved_only or period.state == PeriodState.approved.value:
            _period(el, period, notes)


def _period(parent: ET.Element, p: m.IndicatorPeriod, notes: list[str]) -> None:
    el = _sub(parent, "period")
    _sub(el, "period-start", iso_date=p.start.isoformat())
    _sub(el, "period-end", iso_date=p.end.isoformat())
    for side, total, comment in (
        ("target", p.target, p.target_comment),
        ("actual", p.actual, p.actual_comment),
    ):
        evidence = p.evidence_url if side == "actual" else None
        value = _optional(total, f"period {p.id} {side}", notes)
        if value is None and not comment and not evidence:
            continue
        main = _sub(el, side, value=value)
        if comment:
            _narrative(_sub(main, "comment"), comment)
        if evidence:
            link = _sub(main, "document-link", url=evidence, format="text/html")
            _narrative(_sub(link, "title"), "Evidence")
            _sub(link, "category", code=EVIDENCE_CATEGORY)
        for d in p.disaggregations:
            if d.side == side and finite(d.value):
                part = _sub(el, side, value=number(d.value))
                _sub(part, "dimension", name=d.dimension, value=d.category)
