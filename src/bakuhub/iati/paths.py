"""Where a finding is: a readable element path and the bakuhub field behind it.

Paths are relative to the activity (or organisation): ``transaction[3]/value/@value-date``;
an activity date is named by its type (``activity-date[@type='3']``). Fields name the
bakuhub record a form edits: ``planned_end``, ``transactions.2.value_date``,
``results.0.indicators.1.periods.0.target`` (lists counted from 0, in the order the
export writes them: budgets by period start, transactions by date, results by position).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from bakuhub.i18n import N_, _

# Elements bakuhub keeps as lists: their index is always shown.
LISTED = frozenset(
    {
        "transaction",
        "budget",
        "result",
        "indicator",
        "period",
        "sector",
        "recipient-country",
        "recipient-region",
        "participating-org",
        "policy-marker",
        "humanitarian-scope",
        "planned-disbursement",
        "total-budget",
        "recipient-org-budget",
        "recipient-country-budget",
        "recipient-region-budget",
        "total-expenditure",
    }
)
DATE_FIELDS = {"1": "planned_start", "2": "actual_start", "3": "planned_end", "4": "actual_end"}
Step = tuple[str, int, ET.Element]  # tag, index among same-tag siblings (from 0), element


class Locator:
    """Paths and fields inside one activity or organisation (``unit``) of ``root``."""

    def __init__(self, root: ET.Element, unit: ET.Element) -> None:
        self.root = root
        self.unit = unit
        self.parents = {child: parent for parent in unit.iter() for child in parent}
        # Each element's index among its same-tag siblings, and how many there are:
        # computed once, so a path costs its depth, not its siblings (1,000 transactions).
        self.index: dict[ET.Element, int] = {}
        self.alike: dict[ET.Element, int] = {}
        for parent in unit.iter():
            seen: dict[str, int] = {}
            for child in parent:
                self.index[child] = seen.get(child.tag, 0)
                seen[child.tag] = self.index[child] + 1
            for child in parent:
                self.alike[child] = seen[child.tag]
        if unit is root:
            self.identifier: str | None = None
        else:
            ident = unit.findtext("iati-identifier")
            if ident is None:
                ident = unit.findtext("organisation-identifier")
            self.identifier = ident.strip() if ident is not None else None
        self.kind = "organisation" if unit.tag == "iati-organisation" else "activity"

    def steps(self, element: ET.Element) -> list[Step]:
        """The elements from the unit (excluded) down to ``element``."""
        steps: list[Step] = []
        node = element
        while node is not self.unit and node in self.parents:
            steps.append((node.tag, self.index[node], node))
            node = self.parents[node]
        return steps[::-1]

    def path(self, element: ET.Element, attribute: str | None = None) -> str:
        """A readable path to ``element`` (and its attribute)."""
        parts: list[str] = []
        for tag, index, node in self.steps(element):
            if tag == "activity-date" and node.get("type"):
                parts.append(f"activity-date[@type='{node.get('type')}']")
            elif tag in LISTED or self.alike[node] > 1:
                parts.append(f"{tag}[{index + 1}]")
            else:
                parts.append(tag)
        if attribute:
            parts.append(f"@{attribute}")
        if not parts:
            return self.unit.tag if self.unit is self.root else "."
        return "/".join(parts)

    def field(self, element: ET.Element, attribute: str | None = None) -> str | None:
        """The bakuhub field ``element`` (and attribute) holds, None when unknown."""
        steps = self.steps(element)
        if self.kind != "activity" or self.unit is self.root:
            return None
        if not steps:
            return _ACTIVITY_ATTRS.get(attribute or "")
        return _field(steps, attribute)

    def subject(self, path: str, field: str | None) -> str:
        """How a message names the place: activity (or file), element and field, in the
        reader's language (the element path and the field name stay as written)."""
        if self.unit is self.root:
            who = _("The file")
        elif self.identifier:
            named = WHO_NAMED.get(self.kind, N_("Activity {identifier}"))
            who = _(named).format(identifier=self.identifier)
        else:
            who = _(WHO_UNNAMED.get(self.kind, N_("An activity without identifier")))
        where = _("{who}, {path}").format(who=who, path=path) if path != "." else who
        return _("{where} (field {field})").format(where=where, field=field) if field else where


WHO_NAMED = {
    "activity": N_("Activity {identifier}"),
    "organisation": N_("Organisation {identifier}"),
}
WHO_UNNAMED = {
    "activity": N_("An activity without identifier"),
    "organisation": N_("An organisation without identifier"),
}
"""How a finding names the activity or organisation it is about."""


_ACTIVITY_ATTRS = {
    "default-currency": "default_currency",
    "xml:lang": "default_lang",
    "humanitarian": "humanitarian",
}
_TOP = {
    "iati-identifier": "identifier",
    "title": "title",
    "description": "description",
    "activity-status": "status",
}
_REPORTING = {"ref": "reporting_org_ref", "type": "reporting_org_type"}
_LISTS = {
    "recipient-country": ("countries", {"percentage": "share", "code": "country"}),
    "sector": ("sectors", {"percentage": "percentage", "code": "code", "vocabulary": "vocabulary"}),
    "policy-marker": ("policy_markers", {"significance": "significance", "code": "marker"}),
    "humanitarian-scope": ("humanitarian_scopes", {"code": "code", "type": "type"}),
    "participating-org": ("organisations", {"role": "role", "ref": "party", "type": "party"}),
}
_MONEY = {
    "period-start": "period_start",
    "period-end": "period_end",
    "transaction-date": "date",
    "transaction-type": "kind",
    "description": "description",
}
_VALUE_ATTRS = {None: "value", "currency": "currency", "value-date": "value_date"}
_BUDGET_ATTRS = {"type": "kind", "status": "status"}


def _field(steps: list[Step], attribute: str | None) -> str | None:
    tag, index, node = steps[0]
    if tag == "activity-date":
        return DATE_FIELDS.get(node.get("type") or "")
    if tag == "reporting-org":
        return _REPORTING.get(attribute or "", "reporting_org_name")
    if tag in _TOP:
        return _TOP[tag]
    if tag in _LISTS:
        name, attrs = _LISTS[tag]
        sub = attrs.get(attribute or "")
        return f"{name}.{index}.{sub}" if sub else f"{name}.{index}"
    if tag in ("budget", "transaction"):
        return _money(f"{tag}s.{index}", tag, steps[1:], attribute)
    if tag == "result":
        return _result(f"results.{index}", steps[1:], attribute)
    return None


def _money(base: str, tag: str, rest: list[Step], attribute: str | None) -> str:
    if not rest:
        sub = _BUDGET_ATTRS.get(attribute or "") if tag == "budget" else None
        return f"{base}.{sub}" if sub else base
    child = rest[0][0]
    if child == "value":
        return f"{base}.{_VALUE_ATTRS.get(attribute, 'value')}"
    if child in ("provider-org", "receiver-org"):
        side = child.split("-")[0]
        part = {"ref": "ref", "type": "type", f"{side}-activity-id": "activity"}.get(
            attribute or "", "name"
        )
        return f"{base}.{side}_{part}"
    return f"{base}.{_MONEY[child]}" if child in _MONEY else base


def _result(base: str, rest: list[Step], attribute: str | None) -> str:
    if not rest:
        return f"{base}.kind" if attribute == "type" else base
    tag, index, _node = rest[0]
    if tag in ("title", "description"):
        return f"{base}.{tag}"
    if tag != "indicator":
        return base
    ind = f"{base}.indicators.{index}"
    below = rest[1:]
    if not below:
        return f"{ind}.measure" if attribute == "measure" else ind
    tag, index, _node = below[0]
    if tag == "baseline":
        return f"{ind}.baseline_{'year' if attribute == 'year' else 'value'}"
    if tag == "reference":
        return f"{ind}.code"
    if tag in ("title", "description"):
        return f"{ind}.{tag}"
    if tag != "period":
        return ind
    period = f"{ind}.periods.{index}"
    if len(below) < 2:
        return period
    part = below[1][0]
    names = {"period-start": "start", "period-end": "end", "target": "target", "actual": "actual"}
    return f"{period}.{names[part]}" if part in names else period
