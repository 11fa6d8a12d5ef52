"""The reader's language: chosen per request, switched on every page, remembered.

Order: the language chosen in this browser's session (copied from the account at
sign-in: a user's choice follows them to any device), else the browser's
``Accept-Language``, else English. The API's human messages follow the same rule
(a program sends ``Accept-Language``). Every answer says ``Content-Language`` and
varies on the headers that chose it. The switch itself is a page
(``web/pages/language.py``).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bakuhub import i18n

MAX_NEXT = 2_000
LOCAL_PATH = re.compile(r"/(?![/\\])[^\s\x00-\x1f\x7f\\]*")


def _session_language(scope: Scope) -> str | None:
    session = scope.get("session")
    chosen = session.get("lang") if isinstance(session, dict) else None
    return chosen if isinstance(chosen, str) and chosen in i18n.LANGUAGES else None


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


def request_language(scope: Scope) -> str:
    """The language this request is answered in."""
    return _session_language(scope) or i18n.negotiate(_header(scope, b"accept-language"))


class LocaleMiddleware:
    """ASGI middleware (inside the session middleware): set the request's language for
    everything that makes text while answering it, and say it in the answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        language = request_language(scope)
        i18n.set_current(language)

        async def send_with_language(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                if b"content-language" not in present:
                    headers.append((b"content-language", language.encode()))
                if b"vary" not in present:
                    headers.append((b"vary", b"Accept-Language, Cookie"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_language)


def safe_next(target: str) -> str:
    """A local path to go back to (no open redirect, bounded): it starts with one ``/``
    and holds no backslash, whitespace or control character (browsers drop tabs and
    newlines, so ``/\t/evil.example`` would become ``//evil.example``); else ``/``."""
    if len(target) > MAX_NEXT or not LOCAL_PATH.fullmatch(target):
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc else target
