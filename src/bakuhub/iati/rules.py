"""Check an IATI file as the IATI Validator does: schema, standard ruleset, codelists.

The standard ruleset (IATI-Rulesets ``standard.json``, verbatim in
``bakuhub/datasets/iati/rulesets``) is a JSON document of contexts (XPath), rule
names and cases; ``rule_types`` implements each rule name of SPEC.rst. ``ruleset``
(a folder holding ``standard.json``, the file itself, or the parsed document) or
``BAKUHUB_IATI_RULESET_DIR`` use a newer release instead.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from bakuhub.errors import InvalidInput
from bakuhub.i18n import _
from bakuhub.iati import codelists
from bakuhub.iati.findings import Finding, sort_findings
from bakuhub.iati.paths import Locator
from bakuhub.iati.rule_types import RULES, Failure, Scope
from bakuhub.iati.schema import iter_schema_errors
from bakuhub.iati.xpath import Document, attribute_name, element_of

RULESET_FILE = "standard.json"
Ruleset = Mapping[str, Mapping[str, Any]]
PathLike = Path | str


def default_ruleset_dir() -> Path:
    """``BAKUHUB_IATI_RULESET_DIR``, else the ruleset shipped with bakuhub."""
    env = os.environ.get("BAKUHUB_IATI_RULESET_DIR")
    if env:
        return Path(env)
    return Path(str(files("bakuhub") / "datasets" / "iati" / "rulesets"))


def load_ruleset(source: PathLike | Ruleset | None = None) -> Ruleset:
    """The ruleset: parsed already, from a folder holding standard.json, or a JSON file."""
    if source is not None and not isinstance(source, Path | str):
        return source
    path = Path(source) if source is not None else default_ruleset_dir()
    if path.is_dir():
        path = path / RULESET_FILE
    return _load_file(path.resolve())


@lru_cache(maxsize=8)
def _load_file(path: Path) -> Ruleset:
    if not path.is_file():
        raise InvalidInput(
            _(
                "There is no ruleset file {path}; give a folder holding the IATI {name} "
                "(or the file), or leave --ruleset out to use the copy shipped with bakuhub."
            ).format(path=path, name=RULESET_FILE)
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(
            _("The ruleset {path} is not JSON: {reason}.").format(path=path, reason=exc)
        ) from None
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise InvalidInput(
            _(
                "The ruleset {path} is not an IATI ruleset: it must map XPath contexts to rules."
            ).format(path=path)
        )
    unknown = sorted({r for rules in data.values() for r in rules} - set(RULES) - {"loop"})
    if unknown:
        raise InvalidInput(
            _(
                "The ruleset {path} uses rule types bakuhub does not know: {rules}; "
                "use a ruleset written to the IATI-Rulesets SPEC.rst."
            ).format(path=path, rules=", ".join(unknown))
        )
    return data


def check_activities(
    xml: bytes,
    *,
    codelists_dir: PathLike | None = None,
    ruleset: PathLike | Ruleset | None = None,
    schema_dir: Path | None = None,
) -> list[Finding]:
    """Every finding of an IATI activities file: schema, ruleset, codelists."""
    return _check(xml, "iati-activities", codelists_dir, ruleset, schema_dir)


def check_organisations(
    xml: bytes,
    *,
    codelists_dir: PathLike | None = None,
    ruleset: PathLike | Ruleset | None = None,
    schema_dir: Path | None = None,
) -> list[Finding]:
    """Every finding of an IATI organisations file: schema, ruleset, codelists."""
    return _check(xml, "iati-organisations", codelists_dir, ruleset, schema_dir)


def check_file(
    xml: bytes,
    *,
    codelists_dir: PathLike | None = None,
    ruleset: PathLike | Ruleset | None = None,
    schema_dir: Path | None = None,
) -> list[Finding]:
    """Activities or organisations, whichever the root element says."""
    root = _parse(xml)
    kind = root.tag if isinstance(root, ET.Element) else "iati-activities"
    return _check(xml, kind, codelists_dir, ruleset, schema_dir)


def _parse(xml: bytes) -> ET.Element | Finding:
    try:
        return ET.fromstring(xml)
    except ET.ParseError as exc:
        return Finding(
            severity="critical",
            rule="xml",
            activity=None,
            element=".",
            field=None,
            message=_(
                "The file is not well-formed XML ({reason}); fix the XML and check again."
            ).format(reason=exc),
        )


def _check(
    xml: bytes,
    kind: str,
    codelists_dir: PathLike | None,
    ruleset: PathLike | Ruleset | None,
    schema_dir: Path | None,
) -> list[Finding]:
    rules = load_ruleset(ruleset)
    root = _parse(xml)
    if isinstance(root, Finding):
        return [root]
    if root.tag != kind:
        if kind == "iati-organisations":
            message = _(
                "The file's root element is <{root}>, not <{kind}>; "
                "give an IATI organisations file."
            )
        else:
            message = _(
                "The file's root element is <{root}>, not <{kind}>; give an IATI activities file."
            )
        message = message.format(root=root.tag, kind=kind)
        return [Finding("critical", "schema", None, root.tag, None, message, "0.1.1")]
    findings = schema_findings(root, schema_dir)
    findings += evaluate(root, rules, codelists_dir)
    findings += codelists.check_codes(root, codelists_dir)
    return sort_findings(findings)


class _Units:
    """The activity or organisation each element belongs to, with its Locator."""

    def __init__(self, root: ET.Element) -> None:
        self.root = root
        self.owner: dict[ET.Element, ET.Element] = {}
        self.locators: dict[ET.Element, Locator] = {}
        for unit in root:
            for element in unit.iter():
                self.owner[element] = unit

    def locator(self, element: ET.Element | None) -> Locator:
        unit = self.owner.get(element) if element is not None else None
        unit = unit if unit is not None else self.root
        if unit not in self.locators:
            self.locators[unit] = Locator(self.root, unit)
        return self.locators[unit]


def schema_findings(root: ET.Element, schema_dir: Path | None = None) -> list[Finding]:
    """The schema's errors as critical findings (the Validator's grade for them)."""
    units = _Units(root)
    findings = []
    for error in iter_schema_errors(root, schema_dir):
        elem = error.elem if isinstance(error.elem, ET.Element) else None
        where = units.locator(elem)
        path = where.path(elem) if elem is not None else str(error.path)
        field = where.field(elem) if elem is not None else None
        reason = " ".join(str(error.reason or error.message).split()).rstrip(".")
        message = _(
            "{subject}: {reason}. The file breaks the IATI 2.03 schema; correct this element "
            "so the file can be published."
        ).format(subject=where.subject(path, field), reason=reason)
        findings.append(Finding("critical", "schema", where.identifier, path, field, message))
    return findings


def evaluate(
    root: ET.Element, ruleset: Ruleset, codelists_dir: PathLike | None = None
) -> list[Finding]:
    """The ruleset's findings on a parsed tree (no schema, no codelists)."""
    now = dt.datetime.now(dt.UTC)
    agencies = codelists.load("OrganisationRegistrationAgency", codelists_dir)
    doc = Document(root)
    units = _Units(root)
    findings: list[Finding] = []
    for context, rules in ruleset.items():
        for node in doc.select(context):
            scope = Scope(doc, node, now.date(), now, frozenset(agencies.codes))
            for rule, body in rules.items():
                for case in body.get("cases", []):
                    for name, one in _expand(scope, rule, case):
                        for failure in _run(scope, name, one):
                            findings.append(_finding(units, scope, name, one, failure))
    return findings


def _expand(scope: Scope, rule: str, case: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """A case, or for ``loop`` its ``do`` cases once per distinct ``foreach`` value."""
    if rule != "loop":
        return [(rule, case)]
    values = list(dict.fromkeys(str(n.value) for n in scope.select(case["foreach"])))
    subs = case.get("subs", [])
    out = []
    for sub_rule, body in case.get("do", {}).items():
        for sub_case in body.get("cases", []):
            for value in values:
                one = dict(sub_case)
                for key in subs:
                    if isinstance(one.get(key), str):
                        one[key] = one[key].replace("$1", value)
                    elif isinstance(one.get(key), list):
                        one[key] = [v.replace("$1", value) for v in one[key]]
                out.append((sub_rule, one))
    return out


def _run(scope: Scope, rule: str, case: Mapping[str, Any]) -> list[Failure]:
    if "condition" in case and not scope.true(case["condition"]):
        return []
    return RULES[rule](scope, case)


def _finding(
    units: _Units, scope: Scope, rule: str, case: Mapping[str, Any], failure: Failure
) -> Finding:
    info = case.get("ruleInfo", {})
    node = failure.node if failure.node is not None else scope.node
    element = element_of(node)
    attribute = failure.attribute or attribute_name(node)
    where = units.locator(element)
    path = where.path(element, attribute) if element is not None else "."
    field = where.field(element, attribute) if element is not None else None
    requirement = str(info.get("message", "")).strip()
    if requirement and not requirement.endswith("."):
        requirement += "."
    rule_id = info.get("id")
    message = _("{subject}: {detail}. {requirement}").format(
        subject=where.subject(path, field), detail=failure.detail, requirement=requirement
    )
    message = message.strip()
    if rule_id:
        message = _("{message} (IATI rule {rule})").format(message=message, rule=rule_id)
    return Finding(
        severity=info.get("severity", "error"),
        rule=rule,
        activity=where.identifier,
        element=path,
        field=field,
        message=message,
        rule_id=rule_id,
    )
