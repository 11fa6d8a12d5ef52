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
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from fastapi import Response
from pydantic import TypeAdapter
from sqlalchemy.orm import Session

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


def json_answer(
    cache: AnswerCache,
    session: Session,
    key: Hashable,
    adapter: TypeAdapter[object],
    make: Callable[[], object],
) -> Response:
    """The answer for ``key``: kept bytes while the database is unchanged, else ``make()``
    validated and serialised by ``adapter`` (the operation's declared answer, as FastAPI
    would) and kept."""
    counter = changes.current(session.connection())
    body = cache.get(key, counter)
    if body is None:
        body = adapter.dump_json(adapter.validate_python(make()))
        cache.put(key, counter, body)
    return Response(content=body, media_type="application/json")
