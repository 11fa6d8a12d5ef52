"""Import every table module so that ``Base.metadata`` knows all tables."""

from __future__ import annotations

import importlib

TABLE_MODULES = (
    "bakuhub.db",
    "bakuhub.registry.models",
    "bakuhub.risk.models",
    "bakuhub.results.models",
    "bakuhub.accounts.models",
    "bakuhub.audit.models",
    "bakuhub.jobs.models",
    "bakuhub.studies.models",
)


def import_all_models() -> None:
    """Import the table modules that exist in this installation."""
    for name in TABLE_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is None or not name.startswith(exc.name):
                raise
