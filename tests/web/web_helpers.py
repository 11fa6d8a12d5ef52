"""Helpers shared by the web tests: the names they import, from ``bakuhub.testing``."""

from __future__ import annotations

from bakuhub.testing import (
    API,
    TEST_PASSWORD,
    csrf_of,
    form_values,
    project_body,
    result_body,
    write_study,
)
from bakuhub.testing import study_summary as summary

__all__ = [
    "API",
    "TEST_PASSWORD",
    "csrf_of",
    "form_values",
    "project_body",
    "result_body",
    "summary",
    "write_study",
]
