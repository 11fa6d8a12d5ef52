"""Bulk import of a project's transactions, budgets, results, indicators and periods.

One file of one kind (columns: ``bulk_templates``; reading: ``bulk_files``) goes
through two steps:

1. **Preview** (``preview``): every row is validated with the schema the forms and
   the API use, parties and parent records are looked up, and each row is matched by
   its key (``bulk_templates.KEYS``: a transaction's ``ref``, a budget's kind and
   period, a result's title...) to say whether it adds or updates a record. For
   results, indicators and periods the writes are run and rolled back, so the
   framework rules (overlapping periods, parts that add up, reported periods) are
   checked too. Every bad row is named by row, column and reason, all at once. The
   preview ends with a ``digest`` of the file and of the records it would update
   (their versions).
2. **Commit** (``commit``): the same file (re-uploaded, or carried by the preview page)
   and the digest. If any record the file touches changed since the preview (a new
   version, a new record with the same key), the digest differs and nothing is
   written (Conflict). Otherwise every row is written, each with its audit entry; any
   refusal leaves nothing (the caller's transaction rolls back).

Rights are checked by the caller (``web.policy.project_for(write=True)``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from bakuhub.errors import BakuhubError, Conflict, InvalidInput, StaleVersion, plain_words
from bakuhub.i18n import N_, _, ngettext
from bakuhub.registry.models import Project
from bakuhub.results.bulk_files import Table
from bakuhub.results.bulk_kinds import PARENTS, SPECS, Item, parties, payload
from bakuhub.results.bulk_templates import KEYS, kind_name
from bakuhub.results.service import fetch_project

MAX_LISTED = 200
"""The most problems (and preview rows) an answer lists; the count is always given."""
KEY_COLUMN = {
    "transactions": "ref",
    "budgets": "period_start",
    "results": "title",
    "indicators": "title",
    "periods": "start",
}
PARENT_REQUIRED = {
    "result": N_("{column} is required: the title of the result this row belongs to."),
    "indicator": N_("{column} is required: the title of the indicator this row belongs to."),
}
"""The problem of a row without the parent column it needs (by column)."""
WHOLE_ROW = {"budgets": "period_end", "periods": "end", "indicators": "baseline_year"}
"""The column a rule across fields is reported at (e.g. an end before the start)."""


@dataclass
class Plan:
    """What a file would do to a project: its valid rows matched to records."""

    project: Project
    table: Table
    items: list[Item]
    digest: str

    def counts(self) -> dict[str, int]:
        added = sum(1 for i in self.items if i.target is None)
        return {"added": added, "updated": len(self.items) - added}


def _problem(row: int, column: str, msg: str) -> dict[str, Any]:
    return {"row": row, "column": column, "msg": msg}


def refusal(kind: str, errors: list[dict[str, Any]]) -> InvalidInput:
    """Nothing imported: every problem listed (the first ``MAX_LISTED`` in details)."""
    errors = sorted(errors, key=lambda e: (e["row"], e["column"]))
    shown = "; ".join(
        _("row {row}, column {column}: {problem}").format(
            row=e["row"], column=e["column"], problem=e["msg"].rstrip(".")
        )
        for e in errors[:20]
    )
    if len(errors) > 20:
        shown = _("{problems} (and {more} more)").format(problems=shown, more=len(errors) - 20)
    return InvalidInput(
        ngettext(
            "Nothing was imported: {count} problem in the {kind} file. {problems}. "
            "Correct these rows and upload the file again.",
            "Nothing was imported: {count} problems in the {kind} file. {problems}. "
            "Correct these rows and upload the file again.",
            len(errors),
        ).format(count=len(errors), kind=kind_name(kind), problems=shown),
        details=errors[:MAX_LISTED],
    )


def _column(kind: str, loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if not parts:
        return WHOLE_ROW.get(kind, "(row)")
    if kind == "transactions" and parts[0] in ("provider", "receiver"):
        return f"{parts[0]}_{parts[1] if len(parts) > 1 else 'name'}"
    return parts[0]


def _reason(error: Any, column: str) -> str:
    kind = error.get("type")
    if kind == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        return _("'{value}' is not one of {expected}.").format(
            value=error.get("input"), expected=expected
        )
    if kind == "value_error":
        return str(error.get("msg", "")).removeprefix("Value error, ") + "."
    return plain_words(error, column).removeprefix(f"{column}: ")


def _row_item(kind: str, row: int, cells: dict[str, str]) -> tuple[Item | None, list[Any]]:
    """A row validated by its kind's schema (and its parent columns present)."""
    spec = SPECS[kind]
    problems = [
        _problem(row, p, _(PARENT_REQUIRED.get(p, "{column} is required.")).format(column=p))
        for p in PARENTS.get(kind, ())
        if not cells.get(p)
    ]
    try:
        data = spec.schema.model_validate(payload(kind, cells))
    except ValidationError as exc:
        for e in exc.errors():
            column = _column(kind, e["loc"])
            problems.append(_problem(row, column, _reason(e, column)))
        return None, problems
    if problems:
        return None, problems
    extra = {p: cells[p] for p in PARENTS.get(kind, ())}
    item = Item(row=row, data=data, key=None, extra=extra)
    item.key = spec.key(item)
    item.what = spec.what(item)
    return item, []


def _check_parties(session: Session, items: list[Item]) -> list[dict[str, Any]]:
    """Transactions' provider and receiver parties that the registry lacks."""
    wanted = {
        (i.row, side, org.party)
        for i in items
        for side in ("provider", "receiver")
        if (org := getattr(i.data, side)) is not None and org.party
    }
    known = parties(session, {ref for _row, _side, ref in wanted})
    return [
        _problem(
            row,
            f"{side}_party",
            _(
                "there is no party with ref '{ref}' in the registry; use a party's ref, or "
                "leave it empty and fill {name_column} or {ref_column}."
            ).format(ref=ref, name_column=f"{side}_name", ref_column=f"{side}_ref"),
        )
        for row, side, ref in sorted(wanted)
        if ref not in known
    ]


def _match(session: Session, project: Project, kind: str, items: list[Item]) -> list[Any]:
    """Find each row's record (update) and parent; duplicates and ambiguities refused."""
    spec, problems = SPECS[kind], []
    existing = spec.existing(session, project)
    parent_kind = {"indicators": "results", "periods": "indicators"}.get(kind)
    parents = SPECS[parent_kind].existing(session, project) if parent_kind else {}
    seen: dict[Any, int] = {}
    for item in items:
        if parent_kind:
            key = tuple(item.extra[p] for p in PARENTS[kind])
            found = parents.get(key, [])
            column = PARENTS[kind][-1]
            if len(found) != 1:
                problems.append(_problem(item.row, column, _parent_problem(kind, key, found)))
                continue
            item.parent = found[0]
        if item.key is None:
            continue
        if item.key in seen:
            problems.append(
                _problem(
                    item.row,
                    KEY_COLUMN[kind],
                    _("row {row} has the same {key}; list each record once.").format(
                        row=seen[item.key], key=_(KEYS[kind])
                    ),
                )
            )
            continue
        seen[item.key] = item.row
        targets = existing.get(item.key, [])
        if len(targets) > 1:
            problems.append(
                _problem(
                    item.row,
                    KEY_COLUMN[kind],
                    _(
                        "the project has {count} {kind} with this {key}, so the row cannot "
                        "say which to update; change them on the project page."
                    ).format(count=len(targets), kind=kind_name(kind), key=_(KEYS[kind])),
                )
            )
        elif targets:
            item.target = targets[0]
    return problems


def _parent_problem(kind: str, key: tuple[str, ...], found: list[Any]) -> str:
    name = " / ".join(f"'{k}'" for k in key)
    if kind == "indicators":
        if found:
            return _("the project has {count} results named {name}; rename one first.").format(
                count=len(found), name=name
            )
        return _(
            "the project has no result {name}; add it first (the results template) or correct "
            "the title."
        ).format(name=name)
    if found:
        return _("the project has {count} indicators named {name}; rename one first.").format(
            count=len(found), name=name
        )
    return _(
        "the project has no indicator {name}; add it first (the indicators template) or "
        "correct the title."
    ).format(name=name)


def _digest(project: Project, table: Table, kind: str, items: list[Item]) -> str:
    spec = SPECS[kind]
    h = hashlib.sha256(f"{project.ref}\n".encode())
    h.update(table.canonical())
    for i in items:
        target = spec.fingerprint(i.target) if i.target is not None else "-"
        parent = getattr(i.parent, "id", "-")
        h.update(f"\n{i.row}:{parent}:{target}".encode())
    return h.hexdigest()[:32]


def make_plan(*, session: Session, project_ref: str, table: Table) -> Plan:
    """Validate and match every row (InvalidInput listing every bad row, if any)."""
    project = fetch_project(session, project_ref)
    kind, items, problems = table.kind, [], []
    for row, cells in table.rows:
        item, row_problems = _row_item(kind, row, cells)
        problems += row_problems
        if item is not None:
            items.append(item)
    if kind == "transactions":
        problems += _check_parties(session, items)
    problems += _match(session, project, kind, items)
    if problems:
        raise refusal(kind, problems)
    if not items:
        raise InvalidInput(
            _("The {kind} file has no rows to import; fill in the template.").format(
                kind=kind_name(kind)
            )
        )
    return Plan(project, table, items, _digest(project, table, kind, items))


def apply_plan(*, session: Session, plan: Plan, author: str) -> list[dict[str, Any]]:
    """Write every row of a plan; the problems the services found (row by row)."""
    kind, problems = plan.table.kind, []
    spec = SPECS[kind]
    for item in plan.items:
        if item.target is None and not spec.per_row:
            continue
        try:
            with session.begin_nested():
                if item.target is None:
                    spec.add(session, plan.project, [item], author)
                else:
                    spec.update(session, plan.project, item, author)
        except StaleVersion:
            raise _changed(kind) from None
        except BakuhubError as exc:
            problems.append(_problem(item.row, _service_column(kind, exc), exc.message))
    adds = [i for i in plan.items if i.target is None]
    if adds and not spec.per_row:
        spec.add(session, plan.project, adds, author)
    return problems


def _service_column(kind: str, exc: BakuhubError) -> str:
    names = {"start", "end", "target", "actual", "measure", "title", "kind", "value"}
    for detail in exc.details:
        for part in detail.get("loc", []):
            if str(part) in names:
                return str(part)
    return WHOLE_ROW.get(kind, "(row)")


def _changed(kind: str) -> Conflict:
    return Conflict(
        _(
            "Nothing was imported: {kind} of this project changed since the preview (someone "
            "saved, added or deleted one of the records the file touches). Preview the file "
            "again to see what it does now, then commit."
        ).format(kind=kind_name(kind))
    )


def _summary(plan: Plan) -> dict[str, Any]:
    listed = [{"row": i.row, "action": i.action, "what": i.what} for i in plan.items[:MAX_LISTED]]
    return {
        "project": plan.project.ref,
        "kind": plan.table.kind,
        "key": KEYS[plan.table.kind],
        "rows": len(plan.items),
        **plan.counts(),
        "items": listed,
        "digest": plan.digest,
    }


def preview(*, session: Session, project_ref: str, table: Table, author: str) -> dict[str, Any]:
    """What a file would add and update, with its digest; writes nothing.

    InvalidInput lists every bad row (row, column, reason). Results, indicators and
    periods are written and rolled back to check the framework's rules too.
    """
    plan = make_plan(session=session, project_ref=project_ref, table=table)
    if SPECS[table.kind].per_row:
        trial = session.begin_nested()
        try:
            problems = apply_plan(session=session, plan=plan, author=author)
        finally:
            trial.rollback()
        if problems:
            raise refusal(table.kind, problems)
    return _summary(plan)


def commit(
    *, session: Session, project_ref: str, table: Table, digest: str | None, author: str
) -> dict[str, Any]:
    """Write every row of a previewed file, or nothing.

    ``digest`` is the preview's: a file or records changed since refuse the commit
    (Conflict). None skips that check (the command line, benchmarks). The caller's
    transaction must roll back on an error (the web request and the CLI do).
    """
    plan = make_plan(session=session, project_ref=project_ref, table=table)
    if digest is not None and digest != plan.digest:
        raise _changed(table.kind)
    problems = apply_plan(session=session, plan=plan, author=author)
    if problems:
        raise refusal(table.kind, problems)
    return {"project": plan.project.ref, "kind": table.kind, **plan.counts()}
