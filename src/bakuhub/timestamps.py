"""Timestamps as the API and files give them: in UTC, with the offset.

SQLite hands back the stored UTC time without a zone; PostgreSQL an aware time in the
session's zone. :data:`UtcDateTime` (a pydantic type for answers) and :func:`as_utc`
make both ``2026-11-13T09:30:00Z``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator


def as_utc(value: dt.datetime) -> dt.datetime:
    """``value`` in UTC: a naive time (SQLite's, stored as UTC) gets UTC attached, an aware
    one is converted."""
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


UtcDateTime = Annotated[dt.datetime, AfterValidator(as_utc)]
"""A timestamp of an answer, always in UTC with its offset (naive values read as UTC)."""
