"""Domain errors. Each message is a sentence for a person: which input, what is
wrong, what to do. The web maps them to HTTP statuses, the CLI to exit codes."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

Schema = TypeVar("Schema", bound=BaseModel)


class BakuhubError(Exception):
    """Base of every error a user can cause; never shown with a traceback."""

    status_code = 400
    exit_code = 2

    def __init__(self, message: str, *, details: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []


class NotFound(BakuhubError):
    """A record that does not exist."""

    status_code = 404
    exit_code = 3


class StaleVersion(BakuhubError):
    """An update based on an old version of the record."""

    status_code = 409
    exit_code = 4


class Conflict(BakuhubError):
    """The change clashes with existing records (duplicate key, record in use)."""

    status_code = 409
    exit_code = 4


class InvalidInput(BakuhubError):
    """Input that fails validation; ``details`` lists each field or row at fault."""

    status_code = 422
    exit_code = 2


class Busy(BakuhubError):
    """The database stayed busy (locked by other writers) longer than the wait allowed."""

    status_code = 503
    exit_code = 5


class MissingExtra(BakuhubError):
    """An optional package (an extra of ``pip install bakuhub[...]``) is not installed."""


def optional_import(module: str, *, extra: str, needed_for: str) -> ModuleType:
    """Import ``module`` of an optional extra, or say in one sentence how to install it."""
    top = module.split(".")[0]
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is None or exc.name.split(".")[0] != top:
            raise
        raise MissingExtra(
            f"{top} is not installed; it is needed {needed_for}: pip install bakuhub[{extra}]"
        ) from None


def validation_details(exc: ValidationError) -> list[dict[str, Any]]:
    """Pydantic errors as ``{"loc": [...], "msg": ...}`` rows."""
    return [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]


def describe(details: list[dict[str, Any]]) -> str:
    """One sentence listing each field at fault and why."""
    parts = []
    for d in details:
        where = ".".join(str(p) for p in d["loc"]) or "record"
        parts.append(f"{where}: {d['msg']}")
    return "; ".join(parts)


def invalid_input(exc: ValidationError, *, what: str = "") -> InvalidInput:
    """The domain error for a pydantic ``ValidationError``: each field at fault, named.

    The message is ``"<what>: <field>: <why>; ..."`` (without ``what``, the fields
    alone); ``details`` lists the fields for forms and the API.
    """
    details = validation_details(exc)
    text = describe(details)
    return InvalidInput(f"{what}: {text}" if what else text, details=details)


def validated(schema: type[Schema], data: Any, *, what: str = "") -> Schema:
    """``data`` validated by ``schema``, or :class:`InvalidInput` (see :func:`invalid_input`)."""
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise invalid_input(exc, what=what) from None


def check_version(
    *, what: str, current: int, based_on: int | None, then: str = "apply your change again"
) -> None:
    """Refuse a change based on another version than the stored one (optimistic locking).

    ``what`` names the record as a sentence starts (``"The project 'P-1'"``); ``then``
    says what to do after reloading. ``based_on`` None means "no version named".
    """
    if based_on is not None and based_on != current:
        raise StaleVersion(
            f"{what} was changed by someone else since you read it (it is now at version "
            f"{current}, your change is based on version {based_on}); reload it and {then}."
        )


REF_RULE = "use only letters, digits, '-', '_', '.' or ':', starting with a letter or digit"
_DATE_TYPES = {"date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"}
_NUMBER_TYPES = {"float_parsing", "float_type", "int_parsing", "int_type", "decimal_parsing"}
_LIMITS = {
    "greater_than": "more than {gt}",
    "greater_than_equal": "at least {ge}",
    "less_than": "less than {lt}",
    "less_than_equal": "at most {le}",
}


def as_sentence(text: str) -> str:
    """``text`` with a capital first letter and a full stop."""
    text = text.strip().removeprefix("Value error, ")
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")


def plain_words(error: dict[str, Any], label: str) -> str:
    """One pydantic error (``ValidationError.errors()`` item) as a sentence for a person.

    It names the input (``label``), says what is wrong and what to do, without
    pydantic's vocabulary (patterns, types, ``Input should be...``).
    """
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    given = error.get("input")
    shown = f"'{given}'" if isinstance(given, str | int | float) else "this"
    if kind == "missing" or (kind == "string_too_short" and ctx.get("min_length") == 1):
        return f"{label} is required; fill it in."
    if kind == "string_too_short":
        return f"{label} is too short; use at least {ctx.get('min_length')} characters."
    if kind == "string_too_long":
        size = len(given) if isinstance(given, str) else "too many"
        return (
            f"{label} is too long ({size} characters); "
            f"shorten it to at most {ctx.get('max_length')} characters."
        )
    if kind == "string_pattern_mismatch":
        return f"{label}: {shown} cannot be used; {REF_RULE}, e.g. CHAD-SOLAR-2025."
    if kind in _NUMBER_TYPES:
        return f"{label}: {shown} is not a number; write a number such as 60 or 12.5."
    if kind in _LIMITS:
        limits = {k: f"{v:g}" if isinstance(v, float) else v for k, v in ctx.items()}
        return f"{label} must be {_LIMITS[kind].format(**limits)}; change the number."
    if kind in _DATE_TYPES or kind == "date_type":
        return f"{label}: {shown} is not a date; write it as YYYY-MM-DD, e.g. 2025-06-30."
    if kind in ("enum", "literal_error"):
        return f"{label}: {shown} is not one of the choices; pick one from the list."
    if kind == "bool_parsing":
        return f"{label}: tick the box or leave it empty."
    if kind == "extra_forbidden":
        return f"{label} is not an input of this form; leave it out."
    if kind in ("list_type", "model_type", "dict_type", "model_attributes_type"):
        return f"{label} is not written in the expected form; fill it in again with the inputs."
    return as_sentence(f"{label}: {error.get('msg', 'is not valid')}")
