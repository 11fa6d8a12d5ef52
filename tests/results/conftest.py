"""Fixtures of the results tests: a small record built through the services.

The builders live in ``bakuhub.testing.records``; they are re-exported here for the
tests that import them from ``.conftest``.
"""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from bakuhub.testing import (
    count_indicator,
    make_agreement,
    make_full_project,
    make_parties,
    make_project,
    make_record,
)

__all__ = [
    "count_indicator",
    "make_agreement",
    "make_full_project",
    "make_parties",
    "make_project",
]


@pytest.fixture
def record(session: Session) -> Session:
    """Parties, an agreement with a programme under it, and a full project."""
    return make_record(session)
