"""Short transactions that are tried again when SQLite reports a lock.

Workers, the server and the CLI write the job tables at the same time. PostgreSQL
queues such writes; SQLite answers ``database is locked`` when a transaction that
has read must write after another process wrote (WAL snapshot), or when its busy
timeout passes. Each write here is short and safe to repeat, so it is repeated.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bakuhub.db import session_scope

T = TypeVar("T")
TRIES = 8


def is_locked(exc: OperationalError) -> bool:
    """Whether the error is SQLite's lock (worth trying again)."""
    return "database is locked" in str(exc.orig) or "database table is locked" in str(exc.orig)


def _pause(attempt: int) -> None:
    time.sleep(min(0.05 * 2**attempt, 1.0))


def transaction(factory: sessionmaker[Session], action: Callable[[Session], T]) -> T:
    """Run ``action`` in its own committed transaction, again if SQLite was locked."""
    for attempt in range(TRIES):
        try:
            with session_scope(factory) as session:
                return action(session)
        except OperationalError as exc:
            if attempt == TRIES - 1 or not is_locked(exc):
                raise
            _pause(attempt)
    raise AssertionError("unreachable")


def in_session(session: Session, action: Callable[[], T]) -> T:
    """Run ``action`` and flush; when SQLite was locked, roll the session back and
    run it again. Only for a session that holds nothing else yet (a request's)."""
    for attempt in range(TRIES):
        try:
            result = action()
            session.flush()
            return result
        except OperationalError as exc:
            if attempt == TRIES - 1 or not is_locked(exc):
                raise
            session.rollback()
            _pause(attempt)
    raise AssertionError("unreachable")
