"""Answers kept while the database has not changed: the registry's list and detail JSON.

A partner system polls the same pages; most reads repeat one another between two writes.
Each server process keeps the JSON bytes of recent answers, keyed by everything the
answer depends on (the record type, the query, whether the reader sees drafts), and
tagged with the database's change counter (``bakuhub.changes``) read before the answer
was made. An answer is served again only while the counter still has that value: the
first read after any committed write, by any process or machine, finds the counter moved
and starts afresh. Nothing about a reader beyond "sees drafts or not" enters an answer
(``published_only``), so that is all the key needs; authentication still runs first on
every request.

Bounded by entries and by bytes (least recently used go first); ``entries=0`` keeps
nothing.

The public's repeated reads take a shorter way (``KeptReads``): a GET from a reader who
sends no token and has no sign-in in its session is answered, before routing, from the
answer the route made for the same path and query string for such a reader, while the
counter has not moved. The route keeps that answer under ``public_key`` as well, only
for such a reader, and only after it validated the query and answered it: the short way
serves nothing the route has not served to the public at the same counter. Its one
database read (the counter) runs in a worker thread, as the route's would.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from anyio import to_thread
from fastapi import Response
from pydantic import TypeAdapter
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from starlette.types import ASGIApp, Receive, Scope, Send

from bakuhub import changes

MAX_BYTES = 64 * 1024 * 1024
"""The most JSON one server process keeps (64 MiB)."""


class AnswerCache:
    """JSON answers by key, valid for one value of the change counter."""

    def __init__(self, entries: int, max_bytes: int = MAX_BYTES) -> None:
        self.entries = entries
        self.max_bytes = max_bytes
        self._kept: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = 0
        self._counter: int | None = None
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.short_hits = 0
        """Answers served by ``KeptReads`` (also counted in ``hits``)."""

    def get(self, key: Hashable, counter: int | None) -> bytes | None:
        """The answer kept for ``key`` if the counter has not moved since, else None."""
        if counter is None or not self.entries:
            return None
        with self._lock:
            if self._counter is None or counter > self._counter:  # the database moved on
                self._kept.clear()
                self._size = 0
                self._counter = counter
            body = self._kept.get(key) if counter == self._counter else None
            if body is None:
                self.misses += 1
                return None
            self._kept.move_to_end(key)
            self.hits += 1
            return body

    def has(self, key: Hashable) -> bool:
        """Whether anything is kept for ``key`` (at whatever counter: ``get`` decides)."""
        return key in self._kept

    def put(self, key: Hashable, counter: int | None, body: bytes) -> None:
        """Keep ``body`` for ``key``, made from the database as it was at ``counter``."""
        if counter is None or not self.entries or len(body) > self.max_bytes // 4:
            return
        with self._lock:
            if counter != self._counter:  # the database moved on while it was made
                return
            old = self._kept.pop(key, None)
            self._size -= len(old) if old is not None else 0
            self._kept[key] = body
            self._size += len(body)
            while len(self._kept) > self.entries or self._size > self.max_bytes:
                _key, dropped = self._kept.popitem(last=False)
                self._size -= len(dropped)


def public_reader(scope: Scope) -> bool:
    """A request that sends no token and whose session holds no sign-in: it is answered
    as the public (``published_only``), whatever else it carries."""
    if any(name == b"authorization" for name, _value in scope.get("headers") or ()):
        return False
    session = scope.get("session")
    return not (isinstance(session, dict) and "uid" in session)


def public_key(scope: Scope) -> tuple[str, str, bytes]:
    """The key of the public's answer to this request: its path and query string."""
    return ("public", scope["path"], scope.get("query_string", b""))


def json_answer(
    cache: AnswerCache,
    session: Session,
    key: Hashable,
    adapter: TypeAdapter[object],
    make: Callable[[], object],
    public: Scope | None = None,
) -> Response:
    """The answer for ``key``: kept bytes while the database is unchanged, else ``make()``
    validated and serialised by ``adapter`` (the operation's declared answer, as FastAPI
    would) and kept. ``public``: the request's scope when the reader is the public; the
    answer is then also kept for ``KeptReads`` under ``public_key``."""
    counter = changes.current(session.connection())
    body = cache.get(key, counter)
    if body is None:
        body = adapter.dump_json(adapter.validate_python(make()))
        cache.put(key, counter, body)
    if public is not None and public_reader(public):
        cache.put(public_key(public), counter, body)
    return Response(content=body, media_type="application/json")


def read_counter(engine: Engine) -> int | None:
    """The change counter, read on a connection of its own (``app.state.read_counter``:
    the test harness, whose requests share one session, reads it through that)."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":  # one round trip: no BEGIN, no ROLLBACK
            conn.execution_options(isolation_level="AUTOCOMMIT")
        return changes.current(conn)


class KeptReads:
    """ASGI middleware (innermost: inside the session, language and security-header
    layers, so the answer carries the same headers): the public's repeated GET answered
    from the kept answer, without routing, while the change counter has not moved."""

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or not scope["path"].startswith(self.prefix)
            or not public_reader(scope)
        ):
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        cache: AnswerCache = state.answer_cache
        key = public_key(scope)
        if not cache.has(key):
            await self.app(scope, receive, send)
            return
        body = cache.get(key, await to_thread.run_sync(state.read_counter))
        if body is None:
            await self.app(scope, receive, send)
            return
        cache.short_hits += 1
        await Response(content=body, media_type="application/json")(scope, receive, send)
