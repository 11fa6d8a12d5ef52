"""Record forms built from the record's create schema.

A form is one record in the same shape as a CSV row (``registry.csvio``): plain
fields as text, lists of values joined with `` | ``, lists of items as JSON, and
a few lists of pairs written compactly (``TCD:60 | GNB:40``). Errors come back per
field, to be shown beside it.
"""

from __future__ import annotations

import enum
import json
import typing
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from bakuhub.registry import csvio
from bakuhub.registry.codes import IATI_ACTIVITY_STATUS, IATI_ORGANISATION_TYPES
from bakuhub.registry.resources import Resource

COMPACT: dict[tuple[str, str], tuple[str, str]] = {
    ("projects", "countries"): ("country", "share"),
    ("projects", "organisations"): ("party", "role"),
    ("agreements", "parties"): ("party", "role"),
}
"""Lists of pairs written as ``KEY:VALUE | KEY:VALUE``."""
CODE_LISTS: dict[tuple[str, str], dict[str, str]] = {
    ("projects", "status"): IATI_ACTIVITY_STATUS,
    ("parties", "org_type"): IATI_ORGANISATION_TYPES,
}
EDITED_BY_ITEM: dict[str, frozenset[str]] = {
    "working-groups": frozenset({"members", "meetings", "decisions", "action_items"}),
}
"""Lists left off a record's form: each item has its own form (``pages.groups``)."""
LONG_TEXT = {"description", "summary", "mandate", "notes"}
DATES = {"planned_start", "actual_start", "planned_end", "actual_end"}
EXAMPLES = {
    "countries": "e.g. TCD:60 | GNB:40 (ISO code:share in %, adding up to 100)",
    "organisations": "e.g. IOM:implementing | AZE:funding (party ref:role)",
    "parties": "e.g. AZE:signatory | TCD:signatory (party ref:role)",
    "sources": "links or citations, separated by |",
    "themes": "",
    "signed": "a date at the precision known: 2024, 2024-11 or 2024-11-13",
    "hub_joined": "a date at the precision known: 2024, 2024-11 or 2024-11-13",
    "established": "a date at the precision known: 2024, 2024-11 or 2024-11-13",
}


@dataclass
class Field:
    """One input of a form."""

    name: str
    label: str
    kind: str
    value: Any = ""
    required: bool = False
    options: list[tuple[str, str]] = field(default_factory=list)
    help: str = ""
    error: str = ""
    rows: int = 3
    list: list[str] = field(default_factory=list)


def _enum_of(annotation: Any) -> type[enum.Enum] | None:
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
            return candidate
    return None


def _list_item_enum(annotation: Any) -> type[enum.Enum] | None:
    if typing.get_origin(annotation) is list:
        return _enum_of(typing.get_args(annotation)[0])
    return None


def _label(name: str) -> str:
    return name.replace("_", " ").capitalize()


def _is_bool(annotation: Any) -> bool:
    return annotation is bool or bool in typing.get_args(annotation)


def encode(resource: Resource, record: dict[str, Any]) -> dict[str, Any]:
    """A record (as the API reads it) as form values."""
    out: dict[str, Any] = {}
    for name, info in resource.create.model_fields.items():
        value = record.get(name)
        if (resource.name, name) in COMPACT:
            key, val = COMPACT[(resource.name, name)]
            out[name] = " | ".join(f"{v[key]}:{_num(v[val])}" for v in value or [])
        elif _list_item_enum(info.annotation):
            out[name] = list(value or [])
        elif _is_bool(info.annotation):
            out[name] = bool(value) if value is not None else bool(info.default)
        else:
            kind = csvio._list_kind(info.annotation)
            if kind == "json" and value:
                out[name] = json.dumps(value, ensure_ascii=False, indent=1, default=str)
            else:
                out[name] = csvio._encode(value, kind)
    return out


def _num(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def fields(
    resource: Resource,
    values: dict[str, Any],
    errors: dict[str, str],
    *,
    creating: bool,
    staff: bool,
    refs: dict[str, list[str]],
) -> list[Field]:
    """The inputs of a record's form, with values and errors."""
    out = []
    for name, info in resource.create.model_fields.items():
        if name == "ref" and not creating:
            continue
        if name == "published" and not staff:
            continue
        if name in EDITED_BY_ITEM.get(resource.name, ()):
            continue
        f = Field(name=name, label=_label(name), kind="text", value=values.get(name, ""))
        f.required = info.is_required()
        f.error = errors.get(name, "")
        f.help = EXAMPLES.get(name, info.description or "")
        member = _list_item_enum(info.annotation)
        choices = _enum_of(info.annotation)
        if name == "published":
            f.kind, f.label = "checkbox", "Published (the public sees it)"
        elif member is not None:
            f.kind = "checkboxes"
            f.options = [(m.value, _label(m.value)) for m in member]
            f.value = values.get(name) or []
        elif (resource.name, name) in CODE_LISTS:
            f.kind = "select"
            f.options = [(k, f"{k} {v}") for k, v in CODE_LISTS[(resource.name, name)].items()]
        elif choices is not None:
            f.kind = "select"
            f.options = [(m.value, _label(m.value)) for m in choices]
        elif name in DATES:
            f.kind = "date"
        elif name in ("latitude", "longitude"):
            f.kind = "number"
        elif name in LONG_TEXT:
            f.kind, f.rows = "textarea", 4
        elif csvio._list_kind(info.annotation) == "json" and (resource.name, name) not in COMPACT:
            f.kind, f.rows = "textarea", 5
            f.help = "a JSON list; see the API documentation for the fields of each item"
        if name in refs:
            f.list = refs[name]
        out.append(f)
    return out


def decode(
    resource: Resource, form: Any, *, keep: dict[str, Any] | None = None
) -> tuple[BaseModel | None, dict[str, Any], dict[str, str]]:
    """(validated create-payload or None, the values typed, errors per field).

    ``keep`` supplies values of fields the form does not show (the ref of an edited
    record, ``published`` for a focal point, the lists edited item by item).
    """
    row: dict[str, str] = {}
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, info in resource.create.model_fields.items():
        if keep and name in keep:
            row[name] = csvio._encode(keep[name], csvio._list_kind(info.annotation))
            continue
        if name in EDITED_BY_ITEM.get(resource.name, ()):
            continue  # a new record starts without items
        if _list_item_enum(info.annotation):
            chosen = [v for v in form.getlist(name) if isinstance(v, str)]
            values[name] = chosen
            row[name] = " | ".join(chosen)
            continue
        if name == "published":
            values[name] = form.get(name) == "true"
            row[name] = "true" if values[name] else "false"
            continue
        text = form.get(name)
        text = text.strip() if isinstance(text, str) else ""
        values[name] = text
        if (resource.name, name) in COMPACT and text:
            parsed = _compact(resource.name, name, text)
            if isinstance(parsed, str):
                errors[name] = parsed
                continue
            text = json.dumps(parsed)
        row[name] = text
    if errors:
        return None, values, errors
    payload, problems = csvio._decode_row(resource, row, line=0)
    for p in problems:
        column = p["column"] if p["column"] != "(row)" else "_form"
        errors.setdefault(column, sentence(p["msg"]))
    return payload, values, errors


def _compact(resource: str, name: str, text: str) -> list[dict[str, str]] | str:
    key, val = COMPACT[(resource, name)]
    items = []
    for part in (p.strip() for p in text.split("|")):
        if not part:
            continue
        left, sep, right = part.partition(":")
        if not sep or not left.strip() or not right.strip():
            return f"'{part}' is not written as {key}:{val}; {EXAMPLES.get(name, '')}"
        items.append({key: left.strip(), val: right.strip()})
    return items


def sentence(msg: str) -> str:
    """Pydantic's terse messages as sentences that say what to do."""
    if msg == "Field required":
        return "This field is required; fill it in."
    text = msg.removeprefix("Value error, ")
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
