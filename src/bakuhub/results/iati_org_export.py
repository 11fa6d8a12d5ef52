"""Write the Hub's IATI 2.03 organisation file (``iati-organisations``).

Which organisation
    The Baku Climate and Peace Action Hub, whose secretariat runs bakuhub: the registry
    party with ref ``BAKU-HUB`` (``profile.HUB_ORG``), named as ``party_org`` names it
    (its ``iati_ref`` when recorded, else its ref; its IATI organisation type; its name).
    When that party is missing, or is a draft and the reader is the public, the Hub's
    fixed name, ref and type (``HUB_ORG``) are used. The same organisation is
    ``organisation-identifier`` and ``reporting-org``. ``BAKU-HUB`` does not start with a
    registration agency's prefix (the Validator warns, rule 1.18.8); recording the Hub's
    ``iati_ref`` once it has one changes the identifier here and in the activities file.

Which projects count
    The projects the Hub reports: those whose reporting organisation, as the activities
    file names it (``profile.reporting_org``: the project's IATI profile, else its
    accountable, extending, funding or implementing party, else the Hub), is the Hub.
    The public's file (``published_only``) counts published projects only and never
    names a draft party, as the public activities file does.

How budgets are summed
    Periods are calendar years (1 January to 31 December), so every period is at most a
    year (rule 7.5.3). Per project, a revised budget replaces the original budgets whose
    periods overlap it (IATI budget type 2 updates type 1); each replacement is noted.
    A budget whose period crosses a year end is split between the years in proportion to
    its days in each, the parts rounded to the cent with the last part taking the
    remainder, so the parts add up to the budget exactly (noted). ``total-budget`` per
    year is the sum of the parts; ``recipient-country-budget`` per country and year is
    the sum of each part times the project's country share / 100 (rounded to the cent).
    Status is committed (2) when every budget summed is committed, else indicative (1).

    Without ``currency`` values are never converted: one element per year and currency.
    With ``currency`` each value is converted with the exchange-rate table at its own
    value date (``RateTable``, as ``finance.totals`` does; a missing rate refuses the
    file, naming each rate) and the file declares that ``default-currency``; the rates
    used, with their sources, are returned in ``rates_used`` and listed in ``notes``.
    Every ``value-date`` written is the period's first day.

Total expenditure
    ``total-expenditure`` per calendar year and currency: the disbursements and
    expenditures (IATI transaction types 3 and 4) of the counted projects, by transaction
    date, converted as budgets are. Values that are not finite numbers are left out with
    a note, as in the activities file.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pycountry
from sqlalchemy import select
from sqlalchemy.orm import Session

from bakuhub.db import utcnow
from bakuhub.errors import InvalidInput
from bakuhub.registry.models import Party, Project
from bakuhub.registry.resources import shown
from bakuhub.results import models as m
from bakuhub.results.codes import BudgetKind, BudgetStatus, TransactionKind
from bakuhub.results.exchange import RateTable
from bakuhub.results.iati_export import XML_LANG, finite, number
from bakuhub.results.profile import HUB_ORG, Org, party_org, profile_of, reporting_org
from bakuhub.results.schemas import currency_code

CENT = Decimal("0.01")
SPENT = (TransactionKind.disbursement.value, TransactionKind.expenditure.value)
"""Transaction kinds summed as the Hub's expenditure (IATI types 3 and 4)."""

Key = tuple[int, str]
"""(calendar year, currency)."""


@dataclass
class OrgExportResult:
    """The organisation file, the projects it counts, and what the reader should know."""

    xml: bytes
    organisation: str
    projects: list[str]
    notes: list[str] = field(default_factory=list)
    rates_used: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Sums:
    """Running sums per year and currency (countries: per ISO alpha-2 code too)."""

    budget: dict[Key, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    status: dict[tuple[Any, ...], set[str]] = field(default_factory=lambda: defaultdict(set))
    country: dict[tuple[str, int, str], Decimal] = field(
        default_factory=lambda: defaultdict(Decimal)
    )
    spent: dict[Key, Decimal] = field(default_factory=lambda: defaultdict(Decimal))


def hub_org(session: Session, *, published_only: bool = False) -> Org:
    """The Hub as IATI names it: its registry party (unless a draft the public may not
    see), else the fixed ``HUB_ORG``."""
    party = session.scalar(select(Party).where(Party.ref == HUB_ORG[0]))
    if party is not None and shown(party, published_only):
        return party_org(party)
    return Org(*HUB_ORG)


def year_parts(start: dt.date, end: dt.date, value: Decimal) -> list[tuple[int, Decimal]]:
    """``value`` over ``start``..``end`` (both included) split by calendar year in
    proportion to days: parts rounded to the cent, the last takes the remainder."""
    days = (end - start).days + 1
    if start.year == end.year or days <= 0:
        return [(start.year, value)]
    parts: list[tuple[int, Decimal]] = []
    for year in range(start.year, end.year):
        first, last = max(start, dt.date(year, 1, 1)), dt.date(year, 12, 31)
        share = value * Decimal((last - first).days + 1) / Decimal(days)
        parts.append((year, share.quantize(CENT)))
    parts.append((end.year, value - sum((p for _, p in parts), Decimal(0))))
    return parts


def export_organisation(
    *, session: Session, published_only: bool = False, currency: str | None = None
) -> OrgExportResult:
    """The Hub's organisation file (see the module's docstring for what it counts).

    ``published_only`` (the public's file) counts published projects only; ``currency``
    converts every value into that ISO 4217 currency with the exchange-rate table.
    """
    quote = _currency(currency)
    hub = hub_org(session, published_only=published_only)
    projects = _projects(session, hub, published_only)
    notes: list[str] = []
    table = RateTable(session)
    sums = _Sums()
    stamps: list[dt.datetime] = []
    for project in projects:
        stamps.append(project.updated_at)
        for budget in _budgets(session, project, notes):
            stamps.append(budget.updated_at or budget.created_at)
            _add_budget(sums, table, quote, project, budget, notes)
        for spent in _spending(session, project, notes):
            stamps.append(spent.updated_at or spent.created_at)
            value = _convert(table, quote, spent.value, spent.currency, spent.value_date)
            if value is not None:
                sums.spent[(spent.date.year, quote or spent.currency)] += value
    _refuse_missing(table, quote)
    rates = table.used_rates()
    notes.extend(_rate_note(rate) for rate in rates)
    root = _document(hub, sums, quote, stamps)
    ET.indent(root)
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return OrgExportResult(
        xml=xml,
        organisation=hub.ref,
        projects=[p.ref for p in projects],
        notes=notes,
        rates_used=rates,
    )


def _currency(currency: str | None) -> str | None:
    """The conversion currency, checked (None: values stay in their own currencies)."""
    if currency is None or not currency.strip():
        return None
    try:
        return currency_code(currency)
    except ValueError as exc:
        raise InvalidInput(
            f"currency: {exc}. Leave it out to report each currency on its own.",
            details=[{"loc": ["query", "currency"], "msg": str(exc)}],
        ) from None


def _projects(session: Session, hub: Org, published_only: bool) -> list[Project]:
    """The projects whose reporting organisation is the Hub, by ref."""
    stmt = select(Project).order_by(Project.ref)
    if published_only:
        stmt = stmt.where(Project.published.is_(True))
    return [
        project
        for project in session.scalars(stmt)
        if reporting_org(project, profile_of(session, project), published_only=published_only).ref
        == hub.ref
    ]


def _budgets(session: Session, project: Project, notes: list[str]) -> list[m.Budget]:
    """The project's budgets that count: finite values; originals overlapped by a
    revised budget left out (each exclusion noted)."""
    rows = list(
        session.scalars(
            select(m.Budget)
            .where(m.Budget.project_id == project.id)
            .order_by(m.Budget.period_start, m.Budget.id)
        )
    )
    kept = []
    for row in rows:
        if not finite(row.value):
            notes.append(f"{project.ref}: budget {row.id} has the value {row.value}; left out")
        else:
            kept.append(row)
    revised = [b for b in kept if b.kind == BudgetKind.revised.value]
    out = []
    for row in kept:
        over = [r for r in revised if row.kind == BudgetKind.original.value and _overlap(row, r)]
        if over:
            notes.append(
                f"{project.ref}: original budget {row.id} ({row.period_start} to "
                f"{row.period_end}) is replaced by revised budget {over[0].id}; not counted"
            )
        else:
            out.append(row)
    return out


def _overlap(a: m.Budget, b: m.Budget) -> bool:
    return a.period_start <= b.period_end and b.period_start <= a.period_end


def _spending(session: Session, project: Project, notes: list[str]) -> list[m.Transaction]:
    """The project's disbursements and expenditures with finite values."""
    rows = session.scalars(
        select(m.Transaction)
        .where(m.Transaction.project_id == project.id, m.Transaction.kind.in_(SPENT))
        .order_by(m.Transaction.date, m.Transaction.id)
    )
    out = []
    for row in rows:
        if finite(row.value):
            out.append(row)
        else:
            notes.append(f"{project.ref}: transaction {row.id} has the value {row.value}; left out")
    return out


def _convert(
    table: RateTable, quote: str | None, value: Decimal, currency: str, on: dt.date
) -> Decimal | None:
    """``value`` in ``quote`` (unchanged without one); None when a rate is missing."""
    return value if quote is None else table.convert(value, currency, quote, on)


def _add_budget(
    sums: _Sums,
    table: RateTable,
    quote: str | None,
    project: Project,
    budget: m.Budget,
    notes: list[str],
) -> None:
    """Add one budget to the yearly totals and its countries' shares."""
    value = _convert(table, quote, budget.value, budget.currency, budget.value_date)
    if value is None:
        return
    currency = quote or budget.currency
    parts = year_parts(budget.period_start, budget.period_end, value)
    if len(parts) > 1:
        split = ", ".join(f"{year}: {number(part)}" for year, part in parts)
        notes.append(
            f"{project.ref}: budget {budget.id} ({budget.period_start} to {budget.period_end}) "
            f"crosses a year end; split by days ({split} {currency})"
        )
    for year, part in parts:
        sums.budget[(year, currency)] += part
        sums.status[(year, currency)].add(budget.status)
        for country in project.countries:
            key = (_alpha2(country.iso3), year, currency)
            sums.country[key] += part * Decimal(str(country.share)) / 100
            sums.status[key].add(budget.status)


def _alpha2(iso3: str) -> str:
    found = pycountry.countries.get(alpha_3=iso3)
    return found.alpha_2 if found else iso3


def _refuse_missing(table: RateTable, quote: str | None) -> None:
    """InvalidInput naming every missing exchange rate, if any."""
    if not table.missing:
        return
    listed = ", ".join(f"{c}->{q} on or before {d}" for c, q, d in sorted(table.missing))
    raise InvalidInput(
        f"The organisation file in {quote} needs exchange rates that are not in the table: "
        f"{listed}. The secretariat adds them with their source on the exchange-rates page "
        "(/exchange-rates), or leave the currency out to report each currency on its own."
    )


def _rate_note(rate: dict[str, Any]) -> str:
    source = rate.get("source") or "no source recorded"
    return (
        f"converted with {rate.get('currency')}->{rate.get('quote')} = {rate.get('rate')} "
        f"valid on {rate.get('valid_on')} (source: {source})"
    )


def _stamp(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)


def _document(hub: Org, sums: _Sums, quote: str | None, stamps: list[dt.datetime]) -> ET.Element:
    """The ``iati-organisations`` element, in the schema's element order."""
    now = utcnow().replace(microsecond=0)
    last = max((_stamp(s) for s in stamps), default=now).replace(microsecond=0)
    root = ET.Element(
        "iati-organisations", {"version": "2.03", "generated-datetime": now.isoformat()}
    )
    attrs = {"last-updated-datetime": min(last, now).isoformat(), XML_LANG: "en"}
    if quote:
        attrs["default-currency"] = quote
    org = ET.SubElement(root, "iati-organisation", attrs)
    ET.SubElement(org, "organisation-identifier").text = hub.ref
    _narrative(ET.SubElement(org, "name"), hub.name)
    _narrative(ET.SubElement(org, "reporting-org", {"ref": hub.ref, "type": hub.type}), hub.name)
    for (year, currency), value in sorted(sums.budget.items()):
        status = _status(sums, (year, currency))
        _period(org, "total-budget", year, currency, value, status=status)
    for (code, year, currency), value in sorted(sums.country.items()):
        el = ET.SubElement(
            org, "recipient-country-budget", {"status": _status(sums, (code, year, currency))}
        )
        ET.SubElement(el, "recipient-country", {"code": code})
        _dates(el, year)
        _value(el, value.quantize(CENT), currency, year)
    for (year, currency), value in sorted(sums.spent.items()):
        _period(org, "total-expenditure", year, currency, value)
    return root


def _narrative(parent: ET.Element, text: str) -> None:
    ET.SubElement(parent, "narrative").text = text


def _status(sums: _Sums, key: tuple[Any, ...]) -> str:
    """IATI BudgetStatus: committed (2) when every budget summed is, else indicative (1)."""
    return "2" if sums.status[key] == {BudgetStatus.committed.value} else "1"


def _period(
    org: ET.Element, tag: str, year: int, currency: str, value: Decimal, status: str | None = None
) -> None:
    el = ET.SubElement(org, tag, {"status": status} if status else {})
    _dates(el, year)
    _value(el, value, currency, year)


def _dates(el: ET.Element, year: int) -> None:
    ET.SubElement(el, "period-start", {"iso-date": dt.date(year, 1, 1).isoformat()})
    ET.SubElement(el, "period-end", {"iso-date": dt.date(year, 12, 31).isoformat()})


def _value(el: ET.Element, value: Decimal, currency: str, year: int) -> None:
    attrs = {"currency": currency, "value-date": dt.date(year, 1, 1).isoformat()}
    ET.SubElement(el, "value", attrs).text = number(value)
