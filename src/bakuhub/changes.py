"""The database's change counter: one number that moves on with every committed write.

Answers computed from the database may be kept (``bakuhub.web.answer_cache``) as long as
this number has not moved. It lives in the database, so every server process, the
command line and a job worker on another machine move it for each other.

How it moves: an engine made by ``bakuhub.db.make_engine`` watches every statement it
sends. Before the first INSERT, UPDATE or DELETE of a transaction it adds one to the
counter, in the same transaction: the new number is seen exactly when the write is
(committed together, rolled back together), and no reader can see the new data under
the old number. Taking the counter's row first in every writing transaction also makes
writers queue on it in one order, so it adds no deadlock. It steps again after each
savepoint begins, is released or rolled back (a rolled-back savepoint may have undone
the step; a transaction that commits its parts as savepoints, as the test harness does,
is then seen to change at each part; more steps are as good as one).
Schema changes (``CREATE``, ``ALTER``) do not step it: they come with a new release,
and each server process starts with an empty cache.
"""

from __future__ import annotations

import weakref
from typing import Any

from sqlalchemy import Connection, Engine, event

TABLE = "change_counter"
"""The table (``bakuhub.db.ChangeCounter``; this module imports no table, so that
``db.make_engine`` can watch with it)."""
STEP = f"UPDATE {TABLE} SET n = n + 1 WHERE id = 1"
READ = f"SELECT n FROM {TABLE} WHERE id = 1"
WRITES = ("insert", "update", "delete", "replace", "merge")
_STEPPED = "bakuhub_change_stepped"
_HAVE_TABLE: weakref.WeakSet[Engine] = weakref.WeakSet()
"""Engines whose database is known to have the counter's table."""


def _is_write(statement: str) -> bool:
    """A statement that writes, or locks rows to write them (``FOR UPDATE``: the counter
    must still be the first lock a writer takes)."""
    head = statement.lstrip()[:8].lower()
    if head.startswith(WRITES) or "FOR UPDATE" in statement:
        return True
    return head.startswith("with") and _writes_in_cte(statement)


def _writes_in_cte(statement: str) -> bool:
    lowered = statement.lower()
    return any(f"{verb} " in lowered for verb in ("insert into", "update", "delete from"))


def _table_exists(conn: Connection, cursor: Any) -> bool:
    """Whether the counter's table is there (not yet, while migrations create the schema).

    Remembered once found; looked up again while missing, which only happens on a
    database whose migrations have not run.
    """
    if conn.engine in _HAVE_TABLE:
        return True
    if conn.dialect.name == "sqlite":
        cursor.execute(f"SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{TABLE}'")
    else:
        cursor.execute(f"SELECT to_regclass('{TABLE}') IS NOT NULL")
    row = cursor.fetchone()
    if row and row[0]:
        _HAVE_TABLE.add(conn.engine)
        return True
    return False


def _before_cursor_execute(
    conn: Connection, cursor: Any, statement: str, parameters: Any, context: Any, many: bool
) -> None:
    if conn.info.get(_STEPPED) or not _is_write(statement) or TABLE in statement:
        return
    if not _table_exists(conn, cursor):
        return
    cursor.execute(STEP)
    conn.info[_STEPPED] = True


def _forget(conn: Connection, *_args: Any) -> None:
    conn.info.pop(_STEPPED, None)


def watch(engine: Engine) -> None:
    """Step the counter with every writing transaction made through ``engine``."""
    event.listen(engine, "before_cursor_execute", _before_cursor_execute)
    for name in (
        "begin",
        "commit",
        "rollback",
        "savepoint",
        "release_savepoint",
        "rollback_savepoint",
    ):
        event.listen(engine, name, _forget)


def current(conn: Connection) -> int | None:
    """The counter now; None where the database has no counter yet (nothing may then be
    kept). Read it before the data an answer is made of: a write committed in between
    then only makes the kept answer newer than its number says, never older."""
    if conn.engine not in _HAVE_TABLE:
        cursor = conn.connection.cursor()
        try:
            if not _table_exists(conn, cursor):
                return None
        finally:
            cursor.close()
    value = conn.exec_driver_sql(READ).scalar()
    return None if value is None else int(value)
