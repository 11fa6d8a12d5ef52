"""Database plumbing: declarative base, engine factory, session scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ClassVar

from sqlalchemy import BigInteger, DateTime, Engine, Integer, MetaData, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from bakuhub import changes
from bakuhub.errors import optional_import

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every bakuhub table."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dt.datetime: DateTime(timezone=True)}


class ChangeCounter(Base):
    """The one row (id 1) whose ``n`` counts the committed writing transactions
    (``bakuhub.changes`` steps it)."""

    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)


MAX_ID = 2**31 - 1
"""The largest id a table holds (PostgreSQL ``integer``); ids from outside are bounded by it."""

SQLITE_BUSY_TIMEOUT_MS = 15_000
"""How long a SQLite writer waits for another writer's transaction before giving up."""

read_only: ContextVar[bool] = ContextVar("bakuhub_read_only", default=False)
"""Set for a request that only reads (GET, HEAD): its SQLite transactions are deferred,
so readers never wait for writers. Every other transaction takes the write lock at its
start (``BEGIN IMMEDIATE``): a read-then-write can then never fail half-way, writers
queue (up to the busy timeout) and a version check sees the latest committed row."""


def utcnow() -> dt.datetime:
    """Current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so
    # that SAVEPOINTs and rollbacks work (SQLAlchemy's documented pysqlite recipe).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN" if read_only.get() else "BEGIN IMMEDIATE")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys, a busy timeout and write
    transactions that take the lock at their start (see ``read_only``). Every engine
    steps the database's change counter with each writing transaction
    (``bakuhub.changes``)."""
    if url.startswith("sqlite"):
        timeout = SQLITE_BUSY_TIMEOUT_MS / 1000
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": timeout})
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        if url.startswith("postgresql"):
            optional_import("psycopg", extra="postgres", needed_for="for a PostgreSQL database")
        if "poolclass" not in kwargs:
            # as many kept connections as requests run at once in a server process under
            # load: connections opened and closed beyond the pool cost 100s of ms each
            kwargs.setdefault("pool_size", POOL_SIZE)
            kwargs.setdefault("max_overflow", POOL_SIZE)
        engine = create_engine(url, **kwargs)
        if not kwargs.get("pool_pre_ping"):
            _ping_after_idle(engine)
    changes.watch(engine)
    return engine


POOL_SIZE = 16
"""Connections a PostgreSQL engine keeps open (and as many more at peaks)."""
IDLE_PING_S = 5.0
"""A pooled connection unused for longer than this is checked before it serves again."""


def _ping_after_idle(engine: Engine) -> None:
    """Check a pooled connection that has been idle (a server restarted, a firewall or
    the server dropped it meanwhile) before it serves a request; a dead one is replaced
    (``DisconnectionError``: the pool tries a fresh connection).

    Not before every use (SQLAlchemy's ``pool_pre_ping``): that is one more round trip
    per request, a third of a kept answer's time. A connection in steady use is known
    good; one lost while in use (the server restarted under load) fails the request it
    serves, as it did with ``pool_pre_ping``, and SQLAlchemy renews the whole pool.
    """
    import time

    from sqlalchemy import exc

    def _connected(_dbapi: Any, record: Any) -> None:
        record.info["used"] = time.monotonic()

    def _checkout(dbapi: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get("used", 0.0) > IDLE_PING_S:
            try:
                engine.dialect.do_ping(dbapi)
            except Exception as error:
                raise exc.DisconnectionError(str(error)) from error
        record.info["used"] = time.monotonic()

    event.listen(engine.pool, "connect", _connected)
    event.listen(engine.pool, "checkout", _checkout)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """A session factory bound to ``engine`` (objects stay usable after commit)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Commit on success, roll back on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
