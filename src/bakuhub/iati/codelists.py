"""The IATI 2.03 codelists, read from the official XML files, and the check of the
codes a file uses.

The files ship verbatim in ``bakuhub/datasets/iati/codelists`` (IATI-Codelists
branch version-2.03 and IATI-Codelists-NonEmbedded; see SOURCES.md there);
``directory`` (CLI ``--codelists DIR``, or ``BAKUHUB_IATI_CODELISTS_DIR``) points at
a newer release instead: non-embedded lists change between versions of the Standard.

Grading of a code not on its list (``check_codes``):

- on a *complete* list (``complete="1"``, every embedded list and most others):
  ``error``. The IATI Validator reports every codelist failure as an error (its
  rules 9.x.1, "The ... code is invalid", js-validator-api
  docs/data-quality-rules.csv), and the IATI-Codelists README defines complete as
  "having a value not on the codelist is definitely invalid";
- on an *incomplete* list (``complete="0"``: Country, Language, IndicatorVocabulary,
  HumanitarianScopeType...): ``warning``, since other codes may be valid there
  (same README: "extra codes may exist for disputed countries");
- a *withdrawn* code: ``warning`` (still accepted by the Validator, but the
  codelist says to stop using it).
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from bakuhub.errors import InvalidInput
from bakuhub.i18n import _
from bakuhub.iati.codeuses import ACTIVITY_USES, FILE_USES, ORGANISATION_USES, CodeUse
from bakuhub.iati.findings import Finding, Severity
from bakuhub.iati.paths import Locator

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


SHOWN = ("ActivityStatus", "OrganisationType", "OrganisationRole")
"""Codelists whose names people read on the pages: ``scripts/i18n.py`` extracts their
English names for the catalogs (for the languages the official files do not carry)."""


@dataclass(frozen=True)
class Codelist:
    """One codelist: code -> English name, with its withdrawn codes and kind."""

    name: str
    embedded: bool
    complete: bool
    codes: dict[str, str] = field(default_factory=dict)
    withdrawn: frozenset[str] = frozenset()
    advice: dict[str, str] = field(default_factory=dict)
    translated: dict[str, dict[str, str]] = field(default_factory=dict)
    """language -> code -> name, where the official file names a code in that language
    (many IATI codelists carry French names)."""

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def active(self) -> dict[str, str]:
        """The codes still in use (withdrawn ones left out), code -> name."""
        return {c: n for c, n in self.codes.items() if c not in self.withdrawn}

    def name_of(self, code: str) -> str:
        """The official name of ``code`` (KeyError when it is not on the list)."""
        return self.codes[code]

    def active_in(self, language: str) -> dict[str, str]:
        """:meth:`active` with each name in ``language``: the official file's name where it
        gives one (many lists have French), else bakuhub's catalog translation of the
        English name (the lists shown on pages: :data:`SHOWN`), else the English name."""
        from bakuhub import i18n

        names = self.translated.get(language, {})
        with i18n.use(language):
            return {c: names.get(c) or i18n.gettext(n) for c, n in self.active().items()}


def default_directory() -> Path:
    """``BAKUHUB_IATI_CODELISTS_DIR``, else the codelists shipped with bakuhub."""
    env = os.environ.get("BAKUHUB_IATI_CODELISTS_DIR")
    return Path(env) if env else shipped_directory()


def _directory(directory: Path | str | None) -> Path:
    return Path(directory).resolve() if directory is not None else default_directory().resolve()


def shipped_directory() -> Path:
    """The codelists shipped with bakuhub (never the environment's override)."""
    return Path(str(files("bakuhub") / "datasets" / "iati" / "codelists"))


def shipped(name: str) -> Codelist:
    """The codelist ``name`` as shipped: what the Hub's forms and API list."""
    return _load(name, shipped_directory().resolve())


def names(directory: Path | str | None = None) -> list[str]:
    """The names of the codelists in ``directory`` (the shipped copy by default)."""
    folder = _directory(directory)
    if not folder.is_dir():
        raise InvalidInput(
            _(
                "There is no codelist folder {folder}; give a folder of IATI codelist XML "
                "files, or leave --codelists out to use the copy shipped with bakuhub."
            ).format(folder=folder)
        )
    return sorted(p.stem for p in folder.glob("*.xml"))


def load(name: str, directory: Path | str | None = None) -> Codelist:
    """The codelist ``name`` (e.g. "Currency") from ``directory`` (cached per folder)."""
    return _load(name, _directory(directory))


@lru_cache(maxsize=512)
def _load(name: str, folder: Path) -> Codelist:
    path = folder / f"{name}.xml"
    if not path.is_file():
        raise InvalidInput(
            _(
                "There is no codelist {name} in {folder} (no {name}.xml); give a folder that "
                "holds the IATI 2.03 codelists, embedded and non-embedded."
            ).format(name=name, folder=folder)
        )
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise InvalidInput(
            _("The codelist file {path} is not well-formed XML: {reason}.").format(
                path=path, reason=exc
            )
        ) from None
    codes: dict[str, str] = {}
    withdrawn: set[str] = set()
    advice: dict[str, str] = {}
    translated: dict[str, dict[str, str]] = {}
    for item in root.iterfind("codelist-items/codelist-item"):
        code = (item.findtext("code") or "").strip()
        if not code:
            continue
        codes[code] = _english(item.find("name")) or code
        for language, text in _others(item.find("name")):
            translated.setdefault(language, {})[code] = text
        if item.get("status") == "withdrawn":
            withdrawn.add(code)
            advice[code] = _english(item.find("description"))
    return Codelist(
        name=root.get("name", name),
        embedded=root.get("embedded") == "1",
        complete=root.get("complete") == "1",
        codes=codes,
        withdrawn=frozenset(withdrawn),
        advice=advice,
        translated=translated,
    )


def _others(element: ET.Element | None) -> list[tuple[str, str]]:
    """(language, text) of a name's narratives in languages other than English."""
    if element is None:
        return []
    found = []
    for narrative in element.iterfind("narrative"):
        language, text = narrative.get(XML_LANG), " ".join((narrative.text or "").split())
        if language not in (None, "en") and text:
            found.append((str(language), text))
    return found


def _english(element: ET.Element | None) -> str:
    """The English narrative of a name or description (the first without xml:lang)."""
    if element is None:
        return ""
    for narrative in element.iterfind("narrative"):
        if narrative.get(XML_LANG) in (None, "en"):
            return " ".join((narrative.text or "").split())
    return ""


def check_codes(root: ET.Element, directory: Path | str | None = None) -> list[Finding]:
    """Every code of an activities or organisations tree that is not on its codelist
    (or is withdrawn), one finding each, in document order per activity."""
    folder = _directory(directory)
    findings: list[Finding] = []
    findings += _check(root, FILE_USES, folder, Locator(root, root))
    if root.tag == "iati-organisations":
        units, uses = root.findall("iati-organisation"), ORGANISATION_USES
    else:
        units, uses = root.findall("iati-activity"), ACTIVITY_USES
    for unit in units:
        findings += _check(unit, uses, folder, Locator(root, unit))
    return findings


def _check(
    unit: ET.Element, uses: tuple[CodeUse, ...], folder: Path, where: Locator
) -> list[Finding]:
    found: list[Finding] = []
    for use in uses:
        for element in unit.iterfind(use.path) if use.path != "." else [unit]:
            value = element.get(use.attribute) if use.attribute else element.text
            if value is None or not use.applies(element):
                continue
            codelist = _load(use.codelist, folder)
            finding = _grade(codelist, value.strip(), element, use, where)
            if finding is not None:
                found.append(finding)
    return found


def _grade(
    codelist: Codelist, value: str, element: ET.Element, use: CodeUse, where: Locator
) -> Finding | None:
    attribute = use.attribute_label
    path = where.path(element, attribute)
    field_name = where.field(element, attribute)
    subject = where.subject(path, field_name)
    link = f"https://iatistandard.org/en/iati-standard/203/codelists/{codelist.name.lower()}/"
    severity: Severity
    if value in codelist.withdrawn:
        severity = "warning"
        advice = codelist.advice.get(value, "")
        why = _("the code '{code}' ({name}) is withdrawn from the {codelist} codelist").format(
            code=value, name=codelist.codes[value], codelist=codelist.name
        )
        if advice:
            todo = _("Choose a current code (the codelist says: {advice}), from {link}.").format(
                advice=advice.rstrip("."), link=link
            )
        else:
            todo = _("Choose a current code, from {link}.").format(link=link)
    elif value in codelist:
        return None
    else:
        severity = "error" if codelist.complete else "warning"
        if codelist.embedded:
            why = _("'{code}' is not a code of the embedded {codelist} codelist")
        else:
            why = _("'{code}' is not a code of the non-embedded {codelist} codelist")
        why = why.format(code=value, codelist=codelist.name)
        if not codelist.complete:
            why = _("{problem} (an incomplete list: the code may still be valid)").format(
                problem=why
            )
        todo = _("Use one of its codes, listed at {link}.").format(link=link)
    return Finding(
        severity=severity,
        rule="codelist",
        activity=where.identifier,
        element=path,
        field=field_name,
        message=_("{subject}: {problem}. {todo}").format(subject=subject, problem=why, todo=todo),
        rule_id=use.codelist,
    )
