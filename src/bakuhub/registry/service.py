"""Registry services: list, get, create, update and delete any record type.

Every function takes keyword arguments and a session; the caller owns the
transaction (the web request or the CLI command commits or rolls back).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from bakuhub.audit import service as audit
from bakuhub.db import utcnow
from bakuhub.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    RefTaken,
    StaleVersion,
    check_version,
    validated,
)
from bakuhub.i18n import _
from bakuhub.registry.catalog import prepare_search
from bakuhub.registry.resources import Resource
from bakuhub.registry.schemas import Page

MAX_SEARCH = 200
"""The longest search text (characters)."""


def list_records(
    *,
    session: Session,
    resource: Resource,
    filters: dict[str, str] | None = None,
    q: str | None = None,
    sort: str | None = None,
    limit: int = 50,
    offset: int = 0,
    published_only: bool = False,
) -> Page[dict[str, Any]]:
    """One page of records, filtered (by the resource's filters), searched and sorted.

    ``q`` is matched case-insensitively inside the resource's searched texts (refs,
    names, titles, descriptions; a project's country and organisation names).
    ``published_only`` (anonymous readers) leaves drafts out, of the rows and the total.
    Every bad filter, sort key or search text is reported at once (``InvalidInput``,
    ``details`` naming each parameter).
    """
    stmt = select(resource.model)
    if published_only:
        stmt = stmt.where(resource.model.published.is_(True))
    problems: list[dict[str, Any]] = []
    stmt = _filtered(stmt, resource, filters or {}, problems, published_only)
    text = (q or "").strip()
    if len(text) > MAX_SEARCH:
        problems.append(
            _problem(
                "q",
                _("the search text has {size} characters; use at most {limit}").format(
                    size=len(text), limit=MAX_SEARCH
                ),
            )
        )
    elif text:
        stmt = stmt.where(or_(*(match(text, published_only) for match in resource.search)))
    order = _order(resource, sort, problems)
    if problems:
        raise InvalidInput("; ".join(p["msg"] for p in problems), details=problems)
    prepare_search(session)
    total = session.scalar(stmt.with_only_columns(func.count(resource.model.id))) or 0
    stmt = stmt.options(*resource.load).order_by(*order).limit(limit).offset(offset)
    rows = session.scalars(stmt).unique().all()
    items = [resource.read(row, published_only=published_only) for row in rows]
    return Page[dict[str, Any]](items=items, total=total, limit=limit, offset=offset)


def _problem(parameter: str, message: str) -> dict[str, Any]:
    """One ``details`` row: the query parameter at fault and a sentence that names it."""
    return {"loc": ["query", parameter], "msg": f"{parameter}: {message}"}


def _filtered(
    stmt: Any,
    resource: Resource,
    filters: dict[str, str],
    problems: list[dict[str, Any]],
    published_only: bool = False,
) -> Any:
    for name, value in filters.items():
        if name not in resource.filters:
            allowed = ", ".join(sorted(resource.filters)) or _("none")
            problems.append(
                _problem(
                    name,
                    _("{records} cannot be filtered by '{name}'; use {allowed}").format(
                        records=resource.name, name=name, allowed=allowed
                    ),
                )
            )
            continue
        apply: Any = resource.filters[name]
        try:
            if getattr(apply, "published_aware", False):  # a filter by a party's ref
                stmt = apply(stmt, value, published_only=published_only)
            else:
                stmt = apply(stmt, value)
        except ValueError as exc:
            problems.append(_problem(name, str(exc)))
    return stmt


def _order(resource: Resource, sort: str | None, problems: list[dict[str, Any]]) -> list[Any]:
    """ORDER BY for ``sort`` (keys separated by commas, ``-`` for descending); rows
    without the value come last either way, then the oldest record first."""
    keys = []
    for key in (sort or "").split(","):
        name = key.strip().lstrip("-")
        if not name:
            continue
        if name not in resource.sorts:
            allowed = ", ".join(sorted(resource.sorts))
            problems.append(
                _problem(
                    "sort",
                    _(
                        "{records} cannot be sorted by '{name}'; use {allowed} (a '-' before a "
                        "key sorts it in descending order)"
                    ).format(records=resource.name, name=name, allowed=allowed),
                )
            )
            continue
        column = resource.sorts[name]
        ordered = column.desc() if key.strip().startswith("-") else column.asc()
        keys.append(ordered.nulls_last())
    keys.append(resource.model.id)
    return keys


def list_labels(
    *, session: Session, resource: Resource, published_only: bool = False
) -> list[tuple[str, str]]:
    """``(ref, name or title)`` of every record of a type, by name (for pickers)."""
    label = getattr(resource.model, "name", None) or resource.model.title
    stmt = select(resource.model.ref, label).order_by(label, resource.model.ref)
    if published_only:
        stmt = stmt.where(resource.model.published.is_(True))
    return [(ref, text) for ref, text in session.execute(stmt)]


def fetch(*, session: Session, resource: Resource, ref: str, published_only: bool = False) -> Any:
    """The row with this ref, or NotFound (also for a draft when ``published_only``)."""
    stmt = select(resource.model).options(*resource.load)
    row = session.scalar(stmt.where(resource.model.ref == ref))
    if row is None or (published_only and not row.published):
        raise NotFound(
            _("There is no {what} with ref '{ref}'.").format(what=_(resource.label), ref=ref)
        )
    return row


def list_refs(*, session: Session, resource: Resource, published_only: bool = False) -> list[str]:
    """The refs of every record of a type, sorted (``published_only``: drafts left out)."""
    stmt = select(resource.model.ref).order_by(resource.model.ref)
    if published_only:
        stmt = stmt.where(resource.model.published.is_(True))
    return list(session.scalars(stmt))


def get_record(
    *, session: Session, resource: Resource, ref: str, published_only: bool = False
) -> dict[str, Any]:
    """One record as the API returns it."""
    row = fetch(session=session, resource=resource, ref=ref, published_only=published_only)
    return resource.read(row, published_only=published_only)


def create_record(
    *, session: Session, resource: Resource, data: BaseModel, author: str
) -> dict[str, Any]:
    """Create a record from a validated create-payload."""
    ref = getattr(data, "ref", None)
    if ref and session.scalar(select(resource.model.id).where(resource.model.ref == ref)):
        raise RefTaken(
            _(
                "A {what} with ref '{ref}' already exists; choose another ref or update the "
                "existing record."
            ).format(what=_(resource.label), ref=ref)
        )
    row = resource.model(ref="", created_by=author, updated_by=author)
    with _saving(session, resource, ref or "(new)"):
        with session.no_autoflush:
            resource.apply(session, row, data)
        session.add(row)
    _reload_references(session, row)
    after = resource.read(row)
    audit.record(
        session=session,
        actor=author,
        action="create",
        record_type=resource.name,
        record_ref=row.ref,
        after=after,
    )
    return after


def update_record(
    *, session: Session, resource: Resource, ref: str, data: BaseModel, author: str
) -> dict[str, Any]:
    """Apply a partial update that names the version it is based on."""
    row = fetch(session=session, resource=resource, ref=ref)
    based_on = getattr(data, "version")  # noqa: B009 - every update schema has it
    check_version(what=_the(resource, ref), current=row.version, based_on=based_on)
    merged = merged_payload(resource, row, data.model_dump(exclude_unset=True))
    return replace_record(session=session, resource=resource, row=row, data=merged, author=author)


def replace_record(
    *,
    session: Session,
    resource: Resource,
    row: Any,
    data: BaseModel,
    author: str,
    version: int | None = None,
) -> dict[str, Any]:
    """Overwrite an existing row with a complete, validated create-payload.

    ``version``, when given, is the version the change is based on (``StaleVersion``
    unless it is the row's).
    """
    what = _the(resource, row.ref)
    check_version(what=what, current=row.version, based_on=version)
    before = resource.read(row)
    with _saving(session, resource, row.ref):
        row.version = row.version + 1
        with session.no_autoflush:
            resource.apply(session, row, data)
        row.updated_by = author
        row.updated_at = utcnow()
    _reload_references(session, row)
    after = resource.read(row)
    audit.record(
        session=session,
        actor=author,
        action="update",
        record_type=resource.name,
        record_ref=row.ref,
        before=before,
        after=after,
    )
    return after


def merged_payload(resource: Resource, row: Any, changes: dict[str, Any]) -> BaseModel:
    """The record's current fields overlaid with ``changes``, validated as a whole."""
    current = resource.out.model_validate(resource.read(row)).model_dump(mode="json")
    fields = set(resource.create.model_fields)
    payload = {k: v for k, v in current.items() if k in fields}
    payload.update({k: v for k, v in changes.items() if k in fields})
    return validated(resource.create, payload)


def delete_record(
    *,
    session: Session,
    resource: Resource,
    ref: str,
    version: int | None = None,
    author: str = "system",
) -> None:
    """Delete a record (refused while other records still refer to it)."""
    row = fetch(session=session, resource=resource, ref=ref)
    what = _the(resource, ref)
    check_version(
        what=what,
        current=row.version,
        based_on=version,
        then=_("delete it if you still mean to"),
    )
    before = resource.read(row)
    with _saving(session, resource, ref):
        session.delete(row)
    audit.record(
        session=session,
        actor=author,
        action="delete",
        record_type=resource.name,
        record_ref=ref,
        before=before,
    )


def _reload_references(session: Session, row: Any) -> None:
    """Forget the row's loaded many-to-one references (``apply`` sets the foreign key
    ids), so that reading it afterwards shows the new agreement, parent, party..."""
    from sqlalchemy import inspect
    from sqlalchemy.orm import MANYTOONE

    keys = [r.key for r in inspect(row).mapper.relationships if r.direction is MANYTOONE]
    if keys:
        session.expire(row, keys)


@contextmanager
def _saving(session: Session, resource: Resource, ref: str) -> Iterator[None]:
    """Make the changes of the block in a SAVEPOINT and flush them there, so that a lost
    race (stale version, duplicate ref) is a clear error and leaves the transaction usable.

    The changes must be made inside the block: ``begin_nested`` first flushes what is
    pending, outside the savepoint, where a failure would spoil the whole transaction.
    """
    try:
        with session.begin_nested():
            yield
            session.flush()
    except StaleDataError:
        raise StaleVersion(
            _(
                "{what} was changed by someone else at the same time; reload it and apply "
                "your change again."
            ).format(what=_the(resource, ref))
        ) from None
    except IntegrityError as exc:
        raise Conflict(
            _(
                "{what} cannot be saved this way: it clashes with other records ({reason}). "
                "Remove the references to it first, or check refs that must be unique."
            ).format(what=_the(resource, ref), reason=_reason(exc))
        ) from None


def _the(resource: Resource, ref: str) -> str:
    """The record named as a sentence starts: "The project 'P-1'" (translated)."""
    return _("The {what} '{ref}'").format(what=_(resource.label), ref=ref)


def _reason(exc: IntegrityError) -> str:
    text = str(exc.orig).splitlines()[0] if exc.orig else str(exc)
    return text[:200]
