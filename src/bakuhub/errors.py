"""Domain errors. Each message is a sentence for a person: which input, what is
wrong, what to do. The web maps them to HTTP statuses, the CLI to exit codes."""

from __future__ import annotations

from typing import Any


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
