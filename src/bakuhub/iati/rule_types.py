"""The rule types of the IATI ruleset (IATI-Rulesets SPEC.rst), one function each.

Each takes the evaluation ``Scope`` (the document, the context node) and one case of
the ruleset, and returns the failures: a sentence saying what is wrong and the node
at fault. Semantics follow the IATI Validator's implementation
(github.com/IATI/js-validator-api, services/rulesValidator.js) with two deliberate
differences, both finer, never laxer:

- ``date_order`` and ``between_dates`` check every date their path matches (the
  Validator looks at the first only, so its second transaction in the future passes);
- conditions use XPath boolean values (the Validator's JavaScript treats an empty
  node-set as true, so ``if: "@value"`` always holds there).

``idCondition`` (NOT_EXISTING_ORG_ID, NOT_EXISTING_ORG_ID_PREFIX) asks whether a value
is a publisher's identifier on the IATI Registry; bakuhub works offline, so the
condition always holds and the rule is applied. ``ORG-ID-PREFIX`` (the agency codes
an organisation identifier must start with) is the OrganisationRegistrationAgency
codelist.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from bakuhub.i18n import N_, _
from bakuhub.iati.xpath import Document, element_of, text_of


@dataclass(frozen=True)
class Failure:
    """What is wrong (a sentence fragment) and the node at fault (None: the context);
    ``attribute`` names a missing attribute of that node."""

    detail: str
    node: Any = None
    attribute: str | None = None


@dataclass
class Scope:
    """One context node of the ruleset in one document."""

    doc: Document
    node: Any
    today: dt.date
    now: dt.datetime
    org_prefixes: frozenset[str]

    def select(self, path: str) -> list[Any]:
        return self.doc.select(path, self.node)

    def true(self, expression: str) -> bool:
        return self.doc.true(expression, self.node)

    def matches(self, paths: list[str]) -> list[Any]:
        return [n for p in paths for n in self.select(p)]


Rule = Callable[[Scope, Mapping[str, Any]], list[Failure]]


def _describe(node: Any) -> str:
    """An element with its attributes (``recipient-country code=AZ percentage=50``)."""
    elem = element_of(node)
    if elem is None:
        return f"'{text_of(node)}'"
    attrs = " ".join(f"{k}={v}" for k, v in elem.attrib.items() if not k.startswith("{"))
    return f"{elem.tag} {attrs}".strip()


def _quote(node: Any) -> str:
    return f"'{text_of(node)}'"


def atleast_one(s: Scope, case: Mapping[str, Any]) -> list[Failure]:
    if s.matches(case["paths"]):
        return []
    return [Failure(_("none of {paths} is given").format(paths=", ".join(case["paths"])))]


def no_more_than_one(s: Scope, case: Mapping[str, Any]) -> list[Failure]:
    found = s.matches(case["paths"])
    if len(found) <= 1:
        return []
    detail = _("{count} are given ({paths})").format(
        count=len(found), paths=", ".join(case["paths"])
    )
    return [Failure(detail, found[1])]


def only_one_of(s: Scope, case: Mapping[str, Any]) -> list[Failure]:
    found = s.matches(case["paths"])
    ok = not found if any(s.select(x) for x in case["excluded"]) else len(found) == 1
    if ok:
        return []
    detail = _("{count} of {paths} are given").format(
        count=len(found), paths=", ".join(case["paths"])
    )
    return [Failure(detail)]


def dependent(s: Scope, case: Mapping[str, Any]) -> list[Failure]:
    present = [p for p in case["paths"] if s.select(p)]
    if not present or len(present) == len(case["paths"]):
        return []
    missing = [p for p in case["paths"] if p not in present]
    detail = _("{present} is given without {missing}").format(
        present=", ".join(present), missing=", ".join(missing)
    )
    return [Failure(detail)]


_ALL = {
    "lang": ("descendant::narrative", "@xml:lang", N_("a narrative without xml:lang"), "xml:lang"),
    "sector": ("transaction", "sector", N_("a transaction without sector"), None),
    "recipient-country|recipient-region": (
        "transaction",
        "recipient-country|recipient-region",
        N_("a transaction without recipient country or region"),
        None,
    ),
    "currency": (
        "descendant::value|descendant::forecast|descendant::loan-status",
        "@currency",
        N_("an amount without currency"),
        "currency",
    ),
}


def one_or_all(s: Scope, case: Mapping[str, Any]) -> list[Failure]:
    if s.select(case["one"]) or case["all"] not in _ALL:
        return []
    each, needs, what, attribute = _ALL[case["all"]]
    return [
        Failure(
            _("{one} is not given and this is {what}").format(one=case["one"], what=_(what)),
            node,
            attribute,
        )
        for node in s.select(each)
        if not s.doc.select(needs, node)
    ]


def unique(s: Scope, case: Mapping[str, Any]) -> list[Failure]:
    seen: dict[str, str] = {}
    for path in case["paths"]:
        for node in s.select(path):
            text = text_of(node)
            if text in seen:
                detail = _("{first} and {second} are both '{value}'").format(
                    first=seen[text], second=path, value=text
                )
                return [Failure(detail, node)]
            seen[text] = path
    return []


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def strict_sum(s: Scope, case: Mapping[str, Any]) -> list[Failure]:
    found = s.matches(case["paths"])
    values = [_decimal(text_of(n)) for n in found]
    total = sum((v for v in values if v is not None), Decimal(0))
    expected = Decimal(str(case["sum"]))
    if None not in values and total == expected:
        return []
    shown = ", ".join(text_of(n) for n in found) or _("nothing")
    detail = _("the values ({values}) add up to {total}, not {expected}").format(
        values=shown, total=f"{total.normalize():f}", expected=expected
    )
    return [Failure(detail, found[0] if found else None)]


def sum_(s: Scope, case: Mapping[str, Any]) -> list[Failure]:
    return strict_sum(s, case) if s.matches(case["paths"]) else []


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _dates(s: Scope, path: str) -> list[tuple[Any, dt.date]]:
    if path == "NOW":
        return [(None, s.today)]
    out = []
    for node in s.select(path):
        day = _date(text_of(node))
        if day is not None:
            out.append((node, day))
    return out


def date_order(s: Scope, case: Mapping[str, Any]) -> list[Failure]:
    more = _dates(s, case["more"])
    if not more:
        return []
    later_node, later = more[0]
    failures = []
    for node, day in _dates(s, case["less"]):
        if day > later:
            if later_node is None:
                why = _("{day} is after today ({today})").format(day=day, today=later)
            else:
                why = _("{day} is after {other} ({other_day})").format(
                    day=day, other=case["more"], other_day=later
                )
            failures.append(Failure(why, node))
    return failures


def date_now(s: Scope, case: Mapping[str, Any]) -> list[Failure]:
    failures = []
    for node in s.select(case["date"]):
        text = text_of(node).strip()
        try:
            when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            continue
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        if when > s.now:
            failures.append(Failure(_("{moment} is in the future").format(moment=text), node))
    return failures


def time_limit(s: Scope, case: Mapping[str, Any]) -> list[Failure]:
    start, end = _dates(s, case["start"]), _dates(s, case["end"])
    if not start or not end:
        return []
    days = (end[0][1] - start[0][1]).days
    if days <= 365:
        return []
    detail = _("the period {start} to {end} lasts {days} days, more than 365").format(
        start=start[0][1], end=end[0][1], days=days
    )
    return [Failure(detail, end[0][0])]


def between_dates(s: Scope, case: Mapping[str, Any]) -> list[Failure]:
    start, end = _dates(s, case["start"]), _dates(s, case["end"])
    if not start or not end:
        return []
    low, high = start[0][1], end[0][1]
    return [
        Failure(
            _("{day} is outside the period {start} to {end}").format(day=day, start=low, end=high),
            node,
        )
        for node, day in _dates(s, case["date"])
        if not low <= day <= high
    ]


def _regex(s: Scope, case: Mapping[str, Any], wanted: bool) -> list[Failure]:
    pattern = re.compile(case["regex"])
    said = _("{value} does not match {pattern}") if wanted else _("{value} matches {pattern}")
    return [
        Failure(said.format(value=_quote(n), pattern=case["regex"]), n)
        for n in s.matches(case["paths"])
        if text_of(n) != "" and bool(pattern.search(text_of(n))) != wanted
    ]


def regex_matches(s: Scope, case: Mapping[str, Any]) -> list[Failure]:
    return _regex(s, case, True)


def regex_no_matches(s: Scope, case: Mapping[str, Any]) -> list[Failure]:
    return _regex(s, case, False)


def startswith(s: Scope, case: Mapping[str, Any]) -> list[Failure]:
    failures = []
    if case["prefix"] in ("ORG-ID-PREFIX", ["ORG-ID-PREFIX"]):
        for n in s.matches(case["paths"]):
            if "-".join(text_of(n).split("-")[:2]) not in s.org_prefixes:
                detail = _(
                    "{value} does not start with an agency code of the "
                    "OrganisationRegistrationAgency codelist (such as XM-DAC or GB-COH)"
                ).format(value=_quote(n))
                failures.append(Failure(detail, n))
        return failures
    separator = case.get("separator", "")
    starts = [text_of(n) + separator for n in s.matches(case["prefix"])]
    for n in s.matches(case["paths"]):
        if not any(text_of(n).startswith(p) for p in starts):
            wanted = _(" or ").join(f"'{p}'" for p in starts) or _("a prefix that is not given")
            detail = _("{value} does not start with {prefix}").format(
                value=_quote(n), prefix=wanted
            )
            failures.append(Failure(detail, n))
    return failures


def if_then(s: Scope, case: Mapping[str, Any]) -> list[Failure]:
    if not s.true(case["if"]) or s.true(case["then"]):
        return []
    found = s.matches(case.get("paths", []))
    shown = "; ".join(dict.fromkeys(_describe(n) for n in found)) or _("none of its elements")
    detail = _("the file gives {elements}").format(elements=shown)
    return [Failure(detail, found[0] if found else None)]


def range_(s: Scope, case: Mapping[str, Any]) -> list[Failure]:
    low, high = case.get("min"), case.get("max")
    failures = []
    for n in s.matches(case["paths"]):
        value = _decimal(text_of(n))
        ok = (
            value is not None
            and (low is None or value >= Decimal(str(low)))
            and (high is None or value <= Decimal(str(high)))
        )
        if not ok:
            detail = _("{value} is not between {low} and {high}").format(
                value=_quote(n), low=low, high=high
            )
            failures.append(Failure(detail, n))
    return failures


def no_spaces(s: Scope, case: Mapping[str, Any]) -> list[Failure]:
    return [
        Failure(_("{value} starts or ends with a space or newline").format(value=_quote(n)), n)
        for n in s.matches(case["paths"])
        if text_of(n) != text_of(n).strip()
    ]


RULES: dict[str, Rule] = {
    "atleast_one": atleast_one,
    "no_more_than_one": no_more_than_one,
    "only_one_of": only_one_of,
    "one_or_all": one_or_all,
    "dependent": dependent,
    "unique": unique,
    "sum": sum_,
    "strict_sum": strict_sum,
    "date_order": date_order,
    "date_now": date_now,
    "time_limit": time_limit,
    "between_dates": between_dates,
    "regex_matches": regex_matches,
    "regex_no_matches": regex_no_matches,
    "startswith": startswith,
    "if_then": if_then,
    "range": range_,
    "no_spaces": no_spaces,
}
"""Rule name (SPEC.rst's snake_case) -> its check; ``loop`` is expanded by rules.py."""
