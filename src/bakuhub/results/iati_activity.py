"""An IATI activity as read from a file: payloads ready to validate and write, with
what was skipped and why (filled by ``iati_read`` and its element readers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bakuhub.results.schemas import BudgetIn, ProfileIn, TransactionIn


@dataclass
class Org:
    """A participating organisation of an activity, in a role."""

    role: str
    ref: str | None
    type: str | None
    name: str


@dataclass
class Activity:
    """One activity read from a file, as payloads ready to validate and write."""

    identifier: str
    project: dict[str, Any]
    organisations: list[Org]
    profile: ProfileIn
    budgets: list[BudgetIn]
    transactions: list[TransactionIn]
    results: list[dict[str, Any]]
    skipped: list[dict[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    texts: list[dict[str, Any]] = field(default_factory=list)
    """Each ``result`` element's titles and descriptions (and its indicators') in other
    languages (``iati_xml.result_texts``), stored by ``texts.store_imported``."""
