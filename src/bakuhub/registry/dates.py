"""Dates as reported: a day, a month or only a year ("2024-11-13", "2024-05", "2024")."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import AfterValidator

from bakuhub.i18n import _
from bakuhub.registry.codes import Precision

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_partial_date(text: str) -> tuple[dt.date, Precision]:
    """Split a reported date into the first day it covers and its precision.

    >>> parse_partial_date("2024-05")
    (datetime.date(2024, 5, 1), <Precision.month: 'month'>)
    """
    match = _PATTERN.match(text.strip())
    if not match:
        raise ValueError(
            _("'{text}' is not a date; write YYYY-MM-DD, YYYY-MM or YYYY").format(text=text)
        )
    year, month, day = match.groups()
    try:
        value = dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(
            _("'{text}' is not a calendar date ({reason})").format(text=text, reason=exc)
        ) from None
    precision = Precision.day if day else Precision.month if month else Precision.year
    return value, precision


def format_partial_date(value: dt.date | None, precision: str | None) -> str | None:
    """Write a stored date back at the precision it was reported with."""
    if value is None:
        return None
    if precision == Precision.year:
        return f"{value.year:04d}"
    if precision == Precision.month:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def _check(text: str) -> str:
    value, precision = parse_partial_date(text)
    return format_partial_date(value, precision) or ""


PartialDate = Annotated[str, AfterValidator(_check)]
"""A date reported as YYYY-MM-DD, YYYY-MM or YYYY (validated, normalised)."""
