"""Domain errors. Each message is a sentence for a person: which input, what is
wrong, what to do. The web maps them to HTTP statuses, the CLI to exit codes."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from bakuhub.i18n import N_, _, ngettext

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


class RefTaken(Conflict):
    """A new record's ref is taken by another record of its type."""


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
            _(
                "{package} is not installed; it is needed {needed_for}: pip install {command}"
            ).format(package=top, needed_for=needed_for, command=f"bakuhub[{extra}]")
        ) from None


PYDANTIC_MESSAGES: dict[str, str] = {
    "missing": N_("Field required"),
    "greater_than": N_("Input should be greater than {gt}"),
    "greater_than_equal": N_("Input should be greater than or equal to {ge}"),
    "less_than": N_("Input should be less than {lt}"),
    "less_than_equal": N_("Input should be less than or equal to {le}"),
    "multiple_of": N_("Input should be a multiple of {multiple_of}"),
    "finite_number": N_("Input should be a finite number"),
    "int_parsing": N_("Input should be a valid integer, unable to parse string as an integer"),
    "int_type": N_("Input should be a valid integer"),
    "int_from_float": N_("Input should be a valid integer, got a number with a fractional part"),
    "float_parsing": N_("Input should be a valid number, unable to parse string as a number"),
    "float_type": N_("Input should be a valid number"),
    "decimal_parsing": N_("Input should be a valid decimal"),
    "bool_parsing": N_("Input should be a valid boolean, unable to interpret input"),
    "bool_type": N_("Input should be a valid boolean"),
    "string_type": N_("Input should be a valid string"),
    "string_pattern_mismatch": N_("String should match pattern '{pattern}'"),
    "date_parsing": N_("Input should be a valid date in the format YYYY-MM-DD, {error}"),
    "date_from_datetime_parsing": N_("Input should be a valid date or datetime, {error}"),
    "date_from_datetime_inexact": N_(
        "Datetimes provided to dates should have zero time - e.g. be exact dates"
    ),
    "date_type": N_("Input should be a valid date"),
    "datetime_parsing": N_("Input should be a valid datetime, {error}"),
    "datetime_type": N_("Input should be a valid datetime"),
    "enum": N_("Input should be {expected}"),
    "literal_error": N_("Input should be {expected}"),
    "url_parsing": N_("Input should be a valid URL, {error}"),
    "url_type": N_("URL input should be a string or URL"),
    "url_scheme": N_("URL scheme should be {expected_schemes}"),
    "json_invalid": N_("Invalid JSON: {error}"),
    "json_type": N_("JSON input should be string, bytes or bytearray"),
    "value_error": N_("Value error, {error}"),
    "assertion_error": N_("Assertion failed, {error}"),
    "list_type": N_("Input should be a valid list"),
    "dict_type": N_("Input should be a valid dictionary"),
    "model_type": N_("Input should be a valid dictionary or instance of {class_name}"),
    "model_attributes_type": N_(
        "Input should be a valid dictionary or object to extract fields from"
    ),
    "extra_forbidden": N_("Extra inputs are not permitted"),
}
"""Pydantic's messages by error ``type``, in pydantic's English (the ``ctx`` values as
placeholders), translated when the details are made; the types with a count (too long,
too short) are in :func:`_counted`. Unknown types keep pydantic's English."""


def _counted(kind: str, ctx: dict[str, Any]) -> tuple[str, str] | None:
    """(translated, English) template of a message with a count, or None."""
    if kind == "string_too_short":
        n = int(ctx.get("min_length") or 0)
        pair = (
            "String should have at least {min_length} character",
            "String should have at least {min_length} characters",
        )
        return ngettext(
            "String should have at least {min_length} character",
            "String should have at least {min_length} characters",
            n,
        ), pair[n != 1]
    if kind == "string_too_long":
        n = int(ctx.get("max_length") or 0)
        pair = (
            "String should have at most {max_length} character",
            "String should have at most {max_length} characters",
        )
        return ngettext(
            "String should have at most {max_length} character",
            "String should have at most {max_length} characters",
            n,
        ), pair[n != 1]
    if kind == "too_short":
        n = int(ctx.get("min_length") or 0)
        pair = (
            "{field_type} should have at least {min_length} item after validation, "
            "not {actual_length}",
            "{field_type} should have at least {min_length} items after validation, "
            "not {actual_length}",
        )
        return ngettext(
            "{field_type} should have at least {min_length} item after validation, "
            "not {actual_length}",
            "{field_type} should have at least {min_length} items after validation, "
            "not {actual_length}",
            n,
        ), pair[n != 1]
    if kind == "too_long":
        n = int(ctx.get("max_length") or 0)
        pair = (
            "{field_type} should have at most {max_length} item after validation, "
            "not {actual_length}",
            "{field_type} should have at most {max_length} items after validation, "
            "not {actual_length}",
        )
        return ngettext(
            "{field_type} should have at most {max_length} item after validation, "
            "not {actual_length}",
            "{field_type} should have at most {max_length} items after validation, "
            "not {actual_length}",
            n,
        ), pair[n != 1]
    return None


def _ctx_text(value: Any) -> str:
    """A ``ctx`` value as pydantic writes it (a whole float without ``.0``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def pydantic_message(error: Any) -> str:
    """Pydantic's message of one error (``ValidationError.errors()`` item) in the reader's
    language: pydantic's own English when not translated or of an unknown type."""
    english = str(error.get("msg", ""))
    kind = str(error.get("type", ""))
    ctx = dict(error.get("ctx") or {})
    try:
        counted = _counted(kind, ctx)
    except (TypeError, ValueError):
        return english
    if counted is not None:
        template, original = counted
    elif kind in PYDANTIC_MESSAGES:
        original = PYDANTIC_MESSAGES[kind]
        template = _(original)
    else:
        return english
    if template == original:
        return english
    try:
        return template.format(**{k: _ctx_text(v) for k, v in ctx.items()})
    except (KeyError, IndexError, ValueError):
        return english


def validation_details(exc: ValidationError) -> list[dict[str, Any]]:
    """Pydantic errors as ``{"loc": [...], "msg": ...}`` rows (messages in the reader's
    language)."""
    return [{"loc": list(e["loc"]), "msg": pydantic_message(e)} for e in exc.errors()]


def describe(details: list[dict[str, Any]]) -> str:
    """One sentence listing each field at fault and why."""
    parts = []
    for d in details:
        where = ".".join(str(p) for p in d["loc"]) or _("record")
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
            _(
                "{what} was changed by someone else since you read it (it is now at version "
                "{current}, your change is based on version {based_on}); reload it and {then}."
            ).format(what=what, current=current, based_on=based_on, then=then)
        )


REF_RULE = N_("use only letters, digits, '-', '_', '.' or ':', starting with a letter or digit")
"""How a ref is written (translate it where it is shown: ``_(REF_RULE)``)."""
_DATE_TYPES = {"date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact"}
_NUMBER_TYPES = {"float_parsing", "float_type", "int_parsing", "int_type", "decimal_parsing"}
_LIMITS = {
    "greater_than": N_("{label} must be more than {gt}; change the number."),
    "greater_than_equal": N_("{label} must be at least {ge}; change the number."),
    "less_than": N_("{label} must be less than {lt}; change the number."),
    "less_than_equal": N_("{label} must be at most {le}; change the number."),
}


def as_sentence(text: str) -> str:
    """``text`` with a capital first letter and a full stop."""
    prefix = _(PYDANTIC_MESSAGES["value_error"]).partition("{error}")[0]
    text = text.strip().removeprefix("Value error, ")
    text = text.removeprefix(prefix) if prefix.strip() else text
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")


def plain_words(error: dict[str, Any], label: str) -> str:
    """One pydantic error (``ValidationError.errors()`` item) as a sentence for a person.

    It names the input (``label``), says what is wrong and what to do, without
    pydantic's vocabulary (patterns, types, ``Input should be...``).
    """
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    given = error.get("input")
    shown = f"'{given}'" if isinstance(given, str | int | float) else _("this")
    if kind == "missing" or (kind == "string_too_short" and ctx.get("min_length") == 1):
        return _("{label} is required; fill it in.").format(label=label)
    if kind == "string_too_short":
        return _("{label} is too short; use at least {limit} characters.").format(
            label=label, limit=ctx.get("min_length")
        )
    if kind == "string_too_long":
        if isinstance(given, str):
            return _(
                "{label} is too long ({size} characters); shorten it to at most {limit} characters."
            ).format(label=label, size=len(given), limit=ctx.get("max_length"))
        return _(
            "{label} is too long (too many characters); shorten it to at most {limit} characters."
        ).format(label=label, limit=ctx.get("max_length"))
    if kind == "string_pattern_mismatch":
        return _("{label}: {value} cannot be used; {rule}, e.g. CHAD-SOLAR-2025.").format(
            label=label, value=shown, rule=_(REF_RULE)
        )
    if kind in _NUMBER_TYPES:
        return _("{label}: {value} is not a number; write a number such as 60 or 12.5.").format(
            label=label, value=shown
        )
    if kind in _LIMITS:
        limits = {k: f"{v:g}" if isinstance(v, float) else v for k, v in ctx.items()}
        return _(_LIMITS[kind]).format(label=label, **limits)
    if kind in _DATE_TYPES or kind == "date_type":
        return _("{label}: {value} is not a date; write it as YYYY-MM-DD, e.g. 2025-06-30.").format(
            label=label, value=shown
        )
    if kind in ("enum", "literal_error"):
        return _("{label}: {value} is not one of the choices; pick one from the list.").format(
            label=label, value=shown
        )
    if kind == "bool_parsing":
        return _("{label}: tick the box or leave it empty.").format(label=label)
    if kind == "extra_forbidden":
        return _("{label} is not an input of this form; leave it out.").format(label=label)
    if kind in ("list_type", "model_type", "dict_type", "model_attributes_type"):
        return _(
            "{label} is not written in the expected form; fill it in again with the inputs."
        ).format(label=label)
    if kind == "value_error" and "error" in ctx:
        return as_sentence(f"{label}: {ctx['error']}")
    return as_sentence(f"{label}: {pydantic_message(error) or _('is not valid')}")
