"""CSV export and all-or-nothing CSV import for every record type.

One row per record, one column per field of the record's create schema. Lists
of plain values (sources, themes, party refs) are joined with `` | ``; lists of
structured items (parties with roles, members, milestones...) are JSON arrays.
"""

from __future__ import annotations

import csv
import io
import json
import re
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from bakuhub.errors import BakuhubError, InvalidInput, StaleVersion, validated
from bakuhub.i18n import _
from bakuhub.registry import service
from bakuhub.registry.resources import Resource

SEPARATOR = " | "
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection)."""
GUARD = "'"
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class ImportReport:
    """What an import did."""

    created: int
    updated: int


def _list_kind(annotation: Any) -> str | None:
    """'json' for lists of models, 'plain' for lists of values, None for scalars."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(candidate) is list:
            (item,) = typing.get_args(candidate)
            base = typing.get_origin(item) or item
            if isinstance(base, type) and issubclass(base, BaseModel):
                return "json"
            return "plain"
    return None


def columns(resource: Resource) -> list[str]:
    """The CSV columns of a record type, ``ref`` first."""
    names = list(resource.create.model_fields)
    names.remove("ref")
    return ["ref", *names]


def neutralise(cell: str) -> str:
    """A cell a spreadsheet shows as text: ``'`` before a formula start (``=+-@``, tab,
    CR), and before a cell that already starts with ``'`` and one of those, so that
    ``restore`` gives back exactly the text. Plain numbers (``-5``) stay as they are."""
    if not cell or _NUMBER.match(cell):
        return cell
    if cell.startswith(FORMULA_START) or restore(cell) != cell:
        return GUARD + cell
    return cell


def restore(cell: str) -> str:
    """The text of a cell written by ``neutralise`` (other cells are left as they are)."""
    if cell.startswith(GUARD) and cell[1:].startswith((*FORMULA_START, GUARD)):
        return cell[1:]
    return cell


def _encode(value: Any, kind: str | None) -> str:
    if value is None:
        return ""
    if kind == "json":
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    elif kind == "plain":
        text = SEPARATOR.join(str(v) for v in value)
    else:
        text = str(value)
    return neutralise(text)


def export_csv(*, session: Session, resource: Resource, published_only: bool = False) -> str:
    """Every record of one type as CSV text (only published ones with ``published_only``)."""
    names = columns(resource)
    kinds = {n: _list_kind(resource.create.model_fields[n].annotation) for n in names}
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    stmt = select(resource.model).order_by(resource.model.id)
    if published_only:
        stmt = stmt.where(resource.model.published.is_(True))
    for row in session.scalars(stmt):
        read = resource.read(row, published_only=published_only)
        record = resource.out.model_validate(read).model_dump(mode="json")
        writer.writerow({n: _encode(record.get(n), kinds[n]) for n in names})
    return buffer.getvalue()


def _decode_row(
    resource: Resource, row: dict[str, str], line: int
) -> tuple[Any, list[dict[str, Any]]]:
    payload: dict[str, Any] = {}
    errors: list[dict[str, Any]] = []
    for name, cell in row.items():
        if cell is None or cell.strip() == "":
            continue
        text = restore(cell)
        kind = _list_kind(resource.create.model_fields[name].annotation)
        if kind == "json":
            try:
                payload[name] = json.loads(text)
            except json.JSONDecodeError as exc:
                errors.append(
                    {
                        "row": line,
                        "column": name,
                        "msg": _("not a JSON list ({reason})").format(reason=exc.msg),
                    }
                )
        elif kind == "plain":
            payload[name] = [p.strip() for p in text.split("|") if p.strip()]
        else:
            payload[name] = text.strip()
    if errors:
        return None, errors
    try:
        return validated(resource.create, payload), []
    except InvalidInput as exc:
        for d in exc.details:
            loc = [str(p) for p in d["loc"]]
            column = loc[0] if loc else _("(row)")
            where = ".".join(loc[1:])
            msg = f"{where}: {d['msg']}" if where else d["msg"]
            errors.append({"row": line, "column": column, "msg": msg})
        return None, errors


def _read_rows(resource: Resource, text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    allowed = set(columns(resource))
    header = reader.fieldnames or []
    unknown = [h for h in header if h not in allowed]
    if not header:
        raise InvalidInput(
            _("The {records} CSV is empty; it needs a header row.").format(records=resource.name)
        )
    if unknown:
        raise InvalidInput(
            _(
                "The {records} CSV has unknown columns {unknown}; the columns are {columns} "
                "(export a file to see the layout)."
            ).format(
                records=resource.name,
                unknown=", ".join(unknown),
                columns=", ".join(columns(resource)),
            )
        )
    rows = list(reader)
    for index, row in enumerate(rows):
        if None in row:
            raise InvalidInput(
                _(
                    "Line {line} of the {records} CSV has more cells than the header ({count} "
                    "columns); remove the extra cells or quote cells that contain commas."
                ).format(line=index + 2, records=resource.name, count=len(header))
            )
    return rows


def import_csv(*, session: Session, resource: Resource, text: str, author: str) -> ImportReport:
    """Create or update (by ref) every row, or nothing: any bad row refuses the whole file.

    The error lists every bad row and column. The caller's transaction must roll
    back on the error (the web request and the CLI do).
    """
    rows = _read_rows(resource, text)
    errors: list[dict[str, Any]] = []
    created = updated = 0
    valid: list[tuple[int, Any]] = []
    for index, row in enumerate(rows):
        line = index + 2  # header is line 1
        data, row_errors = _decode_row(resource, row, line)
        errors.extend(row_errors)
        if data is not None:
            valid.append((line, data))
    for line, data in valid:
        existing = session.scalar(select(resource.model).where(resource.model.ref == data.ref))
        try:
            if existing is None:
                service.create_record(session=session, resource=resource, data=data, author=author)
                created += 1
            else:
                service.replace_record(
                    session=session, resource=resource, row=existing, data=data, author=author
                )
                updated += 1
        except StaleVersion:
            raise  # changed by someone else meanwhile: 409, the whole file again
        except BakuhubError as exc:
            column = (
                exc.details[0]["loc"][0] if exc.details and exc.details[0]["loc"] else _("(row)")
            )
            errors.append({"row": line, "column": str(column), "msg": exc.message})
    if errors:
        listed = "; ".join(
            _("line {row}, column {column}: {message}").format(
                row=e["row"], column=e["column"], message=e["msg"]
            )
            for e in errors
        )
        raise InvalidInput(
            _(
                "Nothing was imported: {count} problem(s) in the {records} CSV. {listed}. "
                "Correct these rows and import the file again."
            ).format(count=len(errors), records=resource.name, listed=listed),
            details=errors,
        )
    return ImportReport(created=created, updated=updated)
