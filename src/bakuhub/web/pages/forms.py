"""Record forms built from the record's create schema.

Plain fields are inputs; references are pickers (parties, agreements, countries
with their names); lists of items (countries with shares, organisations with
roles, milestones, ratifications, sources...) are repeatable rows named
``<list>-<row>-<column>``. Every error of a submission comes back at once, per
input, in plain words (``errors.plain_words``), with what was typed kept.
"""

from __future__ import annotations

import enum
import json
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import pycountry
from pydantic import BaseModel, ValidationError

from bakuhub import i18n
from bakuhub.errors import as_sentence, plain_words, pydantic_message
from bakuhub.i18n import N_, _
from bakuhub.registry import codes
from bakuhub.registry.codes import (
    AgreementRole,
    ItemStatus,
    OrganisationRole,
)
from bakuhub.registry.resources import Resource

Choices = dict[str, list[tuple[str, str]]]
"""Picker options by source: ``parties``, ``agreements``, ``countries`` -> (value, text)."""


@dataclass(frozen=True)
class Column:
    """One input of a repeatable row; ``source`` names its picker's options (``label`` and
    ``blank`` are marked for translation: translate them where shown)."""

    name: str
    label: str
    kind: str = "text"
    source: str = ""
    blank: str = ""
    counts: bool = True  # a value here makes the row count (a default role does not)


@dataclass(frozen=True)
class Rows:
    """A list edited as repeatable rows (``plain``: a list of single values; ``add``, the
    button's text, is marked for translation)."""

    columns: tuple[Column, ...]
    add: str
    plain: bool = False


def enum_options(members: type[enum.Enum]) -> list[tuple[str, str]]:
    """A vocabulary's codes with their words in the reader's language."""
    return [(m.value, codes.label(str(m.value))) for m in members]


PARTY = Column("party", N_("Party"), "select", "parties", N_("(choose a party)"))
SOURCES = Rows((Column("source", N_("Source (link or citation)")),), N_("Add a source"), plain=True)
ROWS: dict[tuple[str, str], Rows] = {
    ("projects", "countries"): Rows(
        (
            Column("country", N_("Country"), "select", "countries", N_("(choose a country)")),
            Column("share", N_("Share %"), "number"),
        ),
        N_("Add a country"),
    ),
    ("projects", "organisations"): Rows(
        (PARTY, Column("role", N_("Role"), "select", "organisation-roles", counts=False)),
        N_("Add an organisation"),
    ),
    ("projects", "milestones"): Rows(
        (
            Column("title", N_("Milestone")),
            Column("due", N_("Due"), "date"),
            Column("done", N_("Done on"), "date"),
            Column("status", N_("Milestone status"), "select", "item-statuses", counts=False),
        ),
        N_("Add a milestone"),
    ),
    ("agreements", "parties"): Rows(
        (PARTY, Column("role", N_("Role"), "select", "agreement-roles", counts=False)),
        N_("Add a party"),
    ),
    ("agreements", "ratifications"): Rows(
        (
            PARTY,
            Column("date", N_("Ratified on")),
            Column("body", N_("Ratified by (body)")),
            Column("source", N_("Source of the ratification")),
        ),
        N_("Add a ratification"),
    ),
    ("working-groups", "parties"): Rows((PARTY,), N_("Add a party"), plain=True),
}
PICKERS: dict[tuple[str, str], str] = {
    ("projects", "agreement"): "agreements",
    ("working-groups", "agreement"): "agreements",
    ("agreements", "parent"): "agreements",
    ("parties", "iso3"): "countries",
}
FIXED: dict[str, type[enum.Enum]] = {
    "organisation-roles": OrganisationRole,
    "agreement-roles": AgreementRole,
    "item-statuses": ItemStatus,
}
"""Choices from the Hub's vocabularies (labelled in the reader's language when shown)."""
CODE_LISTS: dict[tuple[str, str], Callable[[], dict[str, str]]] = {
    ("projects", "status"): codes.activity_statuses,
    ("parties", "org_type"): codes.organisation_types,
}
"""Fields whose choices are an IATI codelist, named in the reader's language."""
EDITED_BY_ITEM: dict[str, frozenset[str]] = {
    "working-groups": frozenset({"members", "meetings", "decisions", "action_items"}),
}
"""Lists left off a record's form: each item has its own form (``pages.groups``)."""
LABELS = {
    "iso3": N_("Country"),
    "org_type": N_("Organisation type"),
    "iati_ref": N_("IATI organisation identifier"),
    "hub_role": N_("Role in the Hub"),
    "hub_joined": N_("Joined the Hub"),
    "parent": N_("Part of (agreement)"),
    "latitude": N_("Latitude"),
    "longitude": N_("Longitude"),
}
FIELD_NAMES = {
    "ref": N_("Ref"),
    "name": N_("Name"),
    "kind": N_("Kind"),
    "notes": N_("Notes"),
    "sources": N_("Sources"),
    "published": N_("Published"),
    "title": N_("Title"),
    "place": N_("Place"),
    "signed": N_("Signed"),
    "status": N_("Status"),
    "parent": N_("Parent"),
    "summary": N_("Summary"),
    "parties": N_("Parties"),
    "ratifications": N_("Ratifications"),
    "agreement": N_("Agreement"),
    "established": N_("Established"),
    "mandate": N_("Mandate"),
    "members": N_("Members"),
    "meetings": N_("Meetings"),
    "decisions": N_("Decisions"),
    "action_items": N_("Action items"),
    "description": N_("Description"),
    "themes": N_("Themes"),
    "planned_start": N_("Planned start"),
    "actual_start": N_("Actual start"),
    "planned_end": N_("Planned end"),
    "actual_end": N_("Actual end"),
    "countries": N_("Countries"),
    "organisations": N_("Organisations"),
    "milestones": N_("Milestones"),
}
"""The labels of the other schema fields (as ``label_of`` would write them)."""
LONG_TEXT = {"description", "summary", "mandate", "notes"}
DATES = {"planned_start", "actual_start", "planned_end", "actual_end"}
PARTIAL = N_("a date at the precision known: 2024, 2024-11 or 2024-11-13")
EXAMPLES = {
    "ref": N_(
        "a short name for links: letters, digits, '-', '_', '.' or ':', e.g. CHAD-SOLAR-2025"
    ),
    "countries": N_(
        "the recipient countries and each one's share of the project (adding up to 100)"
    ),
    "organisations": N_("who funds, implements or is accountable for the project"),
    "signed": PARTIAL,
    "hub_joined": PARTIAL,
    "established": PARTIAL,
    "ratifications": N_(
        "'Ratified on' is a date at the precision known: 2024, 2024-11 or 2024-11-13"
    ),
}
"""The help under an input (marked for translation: ``_(text)`` where shown)."""
BLANK_ROWS = 2
_ROW_KEY = re.compile(r"^([a-z_]+)-(\d{1,3})-([a-z_]+)$")


@dataclass
class Field:
    """One input of a form (``kind`` "rows": a list of repeatable rows)."""

    name: str
    label: str
    kind: str
    value: Any = ""
    required: bool = False
    options: list[tuple[str, str]] = field(default_factory=list)
    help: str = ""
    error: str = ""
    rows: int = 3
    columns: tuple[Column, ...] = ()
    items: list[dict[str, str]] = field(default_factory=list)
    item_errors: dict[str, str] = field(default_factory=dict)
    choices: Choices = field(default_factory=dict)
    note: str = ""
    add: str = ""
    blank: str = ""
    """The empty choice of an optional select ("" : the template's "(none)")."""


def countries() -> list[tuple[str, str]]:
    """Every ISO 3166 country as (alpha-3 code, "Name (code)"), by name, in the reader's
    language."""
    return _countries(i18n.current())


@lru_cache(maxsize=len(i18n.LANGUAGES))
def _countries(locale: str) -> list[tuple[str, str]]:
    with i18n.use(locale):
        named = [(i18n.country_name(str(c.alpha_3)), str(c.alpha_3)) for c in pycountry.countries]
    return [(code, f"{name} ({code})") for name, code in sorted(named)]


def _enum_of(annotation: Any) -> type[enum.Enum] | None:
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
            return candidate
    return None


def _list_item_enum(annotation: Any) -> type[enum.Enum] | None:
    if typing.get_origin(annotation) is list:
        return _enum_of(typing.get_args(annotation)[0])
    return None


def label_of(name: str) -> str:
    """The label a person reads for a schema field."""
    known = LABELS.get(name) or FIELD_NAMES.get(name)
    return _(known) if known else name.replace("_", " ").capitalize()


def _is_bool(annotation: Any) -> bool:
    return annotation is bool or bool in typing.get_args(annotation)


def rows_of(resource: Resource, name: str) -> Rows | None:
    """How a list field of a record type is edited as rows (None: not a list of rows)."""
    if name == "sources":
        return SOURCES
    return ROWS.get((resource.name, name))


def _num(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _cell(value: Any) -> str:
    return "" if value is None else _num(value)


def encode(resource: Resource, record: dict[str, Any]) -> dict[str, Any]:
    """A record (as the API reads it) as form values (rows as lists of dicts of text)."""
    out: dict[str, Any] = {}
    for name, info in resource.create.model_fields.items():
        value = record.get(name)
        spec = rows_of(resource, name)
        if spec is not None:
            key = spec.columns[0].name
            items = [{key: v} if spec.plain else v for v in value or []]
            out[name] = [{c.name: _cell(i.get(c.name)) for c in spec.columns} for i in items]
        elif _list_item_enum(info.annotation):
            out[name] = list(value or [])
        elif _is_bool(info.annotation):
            out[name] = bool(value) if value is not None else bool(info.default)
        elif isinstance(value, list | dict):
            out[name] = json.dumps(value, ensure_ascii=False, indent=1, default=str)
        else:
            out[name] = _cell(value)
    return out


def fields(
    resource: Resource,
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    creating: bool,
    staff: bool,
    choices: Choices,
    notes: dict[str, str] | None = None,
) -> list[Field]:
    """The inputs of a record's form, with values, pickers and errors."""
    out = []
    fixed = {name: enum_options(members) for name, members in FIXED.items()}
    options = {**fixed, "countries": countries(), **choices}
    schema = resource.create.model_fields
    for name in sorted(schema, key=lambda n: n != "ref"):  # the ref first, then the schema's order
        info = schema[name]
        if (name == "ref" and not creating) or (name == "published" and not staff):
            continue
        if name in EDITED_BY_ITEM.get(resource.name, ()):
            continue
        f = Field(name=name, label=label_of(name), kind="text", value=values.get(name, ""))
        f.required = info.is_required()
        f.error = errors.get(name, "")
        f.help = _(EXAMPLES[name]) if name in EXAMPLES else (info.description or "")
        f.note = (notes or {}).get(name, "")
        spec = rows_of(resource, name)
        member = _list_item_enum(info.annotation)
        choice = _enum_of(info.annotation)
        picker = PICKERS.get((resource.name, name))
        if name == "published":
            f.kind, f.label = "checkbox", _("Published (the public sees it)")
        elif spec is not None:
            f.kind, f.columns, f.add, f.choices = "rows", _columns(spec), _(spec.add), options
            f.items = [*(values.get(name) or []), *([{}] * BLANK_ROWS)]
            prefix = f"{name}-"
            f.item_errors = {k: v for k, v in errors.items() if k.startswith(prefix)}
        elif member is not None:
            f.kind, f.options = "checkboxes", enum_options(member)
            f.value = values.get(name) or []
        elif picker is not None:
            f.kind, f.options = "select", with_current(options.get(picker, []), f.value)
        elif (resource.name, name) in CODE_LISTS:
            f.kind = "select"
            f.options = [(k, f"{k} {v}") for k, v in CODE_LISTS[(resource.name, name)]().items()]
        elif choice is not None:
            f.kind, f.options = "select", enum_options(choice)
        elif name in DATES:
            f.kind = "date"
        elif name in ("latitude", "longitude"):
            f.kind = "number"
        elif name in LONG_TEXT:
            f.kind, f.rows = "textarea", 4
        if f.kind == "select" and creating and f.value == "" and isinstance(info.default, str):
            f.value = str(getattr(info.default, "value", info.default))  # the schema's default
        out.append(f)
    return out


def _columns(spec: Rows) -> tuple[Column, ...]:
    """The row's columns with their label and empty choice in the reader's language."""
    return tuple(
        replace(c, label=_(c.label), blank=_(c.blank) if c.blank else "") for c in spec.columns
    )


def with_current(options: list[tuple[str, str]], current: Any) -> list[tuple[str, str]]:
    """The options, with the current value added when it is not among them (kept as typed)."""
    if current and all(v != current for v, _text in options):
        return [(str(current), str(current)), *options]
    return options


def _typed_rows(form: Any, name: str, spec: Rows) -> list[dict[str, str]]:
    """The rows typed for a list, in order, leaving out the empty ones."""
    found: dict[int, dict[str, str]] = {}
    for key in form:
        match = _ROW_KEY.match(str(key))
        if match and match.group(1) == name:
            text = form.get(key)
            found.setdefault(int(match.group(2)), {})[match.group(3)] = (
                text.strip() if isinstance(text, str) else ""
            )
    names = [c.name for c in spec.columns]
    rows = [{n: found[i].get(n, "") for n in names} for i in sorted(found)]
    counted = [c.name for c in spec.columns if c.counts]
    return [r for r in rows if any(r[n] for n in counted)]


def _legacy_rows(text: str, spec: Rows) -> list[dict[str, str]]:
    """Rows from one text input (``TCD:60 | GNB:40``, ``a | b``, or a JSON list)."""
    names = [c.name for c in spec.columns]
    if text.startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError:
            items = []
        return [{n: _cell(i.get(n)) for n in names} for i in items if isinstance(i, dict)]
    parts = [p.strip() for p in text.split("|") if p.strip()]
    if spec.plain:
        return [{names[0]: p} for p in parts]
    out = []
    for part in parts:
        left, sep, right = part.partition(":")
        if not sep or not left.strip() or not right.strip():
            raise ValueError(
                _(
                    "'{part}' is not written as {first}:{second}; choose the {first} and fill "
                    "in the {second} in the rows below"
                ).format(part=part, first=names[0], second=names[1])
            )
        out.append({names[0]: left.strip(), names[1]: right.strip()})
    return out


def decode(
    resource: Resource, form: Any, *, keep: dict[str, Any] | None = None
) -> tuple[BaseModel | None, dict[str, Any], dict[str, str]]:
    """(validated create-payload or None, the values typed, every error by input).

    ``keep`` supplies values of fields the form does not show (the ref of an edited
    record, ``published`` for a focal point, the lists edited item by item).
    """
    payload: dict[str, Any] = {}
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, info in resource.create.model_fields.items():
        spec = rows_of(resource, name)
        if keep and name in keep:
            payload[name] = keep[name]
        elif name in EDITED_BY_ITEM.get(resource.name, ()):
            continue  # a new record starts without items
        elif spec is not None:
            rows = _typed_rows(form, name, spec)
            legacy = form.get(name)
            if not rows and isinstance(legacy, str) and legacy.strip():
                try:
                    rows = _legacy_rows(legacy.strip(), spec)
                except ValueError as exc:
                    errors[name] = as_sentence(f"{label_of(name)}: {exc}")
            values[name] = rows
            items = [{k: v for k, v in r.items() if v != ""} for r in rows]
            payload[name] = [i[spec.columns[0].name] for i in items] if spec.plain else items
        elif _list_item_enum(info.annotation):
            values[name] = [v for v in form.getlist(name) if isinstance(v, str)]
            payload[name] = values[name]
        elif name == "published":
            values[name] = payload[name] = form.get(name) == "true"
        else:
            text = form.get(name)
            values[name] = text.strip() if isinstance(text, str) else ""
            if values[name] != "":
                payload[name] = values[name]
    try:
        model = resource.create.model_validate(payload)
    except ValidationError as exc:
        for e in exc.errors():
            key, label = where(resource, [*e["loc"]])
            message = (
                plain_words(dict(e), label) if key != "_form" else as_sentence(pydantic_message(e))
            )
            errors.setdefault(_model_field(resource, e) if key == "_form" else key, message)
        model = None
    return (None if errors else model), values, errors


def where(resource: Resource, loc: list[Any]) -> tuple[str, str]:
    """(input name, label) of an error location: ``countries-0-share``, "Share % (row 1)"."""
    if not loc:
        return "_form", ""
    name = str(loc[0])
    spec = rows_of(resource, name)
    if spec is None or len(loc) < 2 or not isinstance(loc[1], int):
        return name, label_of(name)
    column = spec.columns[0] if spec.plain or len(loc) < 3 else None
    for c in spec.columns:
        if len(loc) >= 3 and c.name == str(loc[2]):
            column = c
    if column is None:
        return name, label_of(name)
    label = _("{label} (row {row})").format(label=_(column.label), row=loc[1] + 1)
    return f"{name}-{loc[1]}-{column.name}", label


def _model_field(resource: Resource, error: Any) -> str:
    """The field a record-wide rule's message names first ('_form' when none)."""
    text = str(error.get("msg", ""))
    named = [n for n in resource.create.model_fields if re.search(rf"\b{n}\b", text)]
    return named[0] if named else "_form"


def summary(inputs: list[Field]) -> list[tuple[str, str]]:
    """(input id, message) of every error on a form, in the order of the inputs."""
    out = []
    for f in inputs:
        if f.error:
            out.append((f"f-{f.name}", f.error))
        out.extend((f"f-{key}", message) for key, message in f.item_errors.items())
    return out


def sentence(msg: str) -> str:
    """Pydantic's terse messages as sentences that say what to do."""
    if msg in ("Field required", _("Field required")):
        return _("This field is required; fill it in.")
    return as_sentence(msg)
