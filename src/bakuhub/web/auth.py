"""Who is asking: sessions (signed cookies), personal API tokens, CSRF, the write guard.

- A browser signs in with a form; the session is a signed, HttpOnly, SameSite=Lax
  cookie (Starlette's ``SessionMiddleware``, signed with ``Settings.secret_key``,
  ``Secure`` unless ``cookie_secure`` is false) holding the user id, a fingerprint of
  the password hash, the user's session epoch and a CSRF token. The server ends
  sessions by moving the epoch on (sign-out, password change, disabling the account).
- A program sends ``Authorization: Bearer bkh_...``; tokens are stored as SHA-256
  digests and carry a role no higher than their user's.
- Every state-changing request (POST, PUT, PATCH, DELETE) passes :func:`guard`
  first: a cookie session must send its CSRF token (form field ``csrf_token`` or
  header ``X-CSRF-Token``), and only the sign-in form is open to anonymous users.
  Each route then checks the role it needs (``bakuhub.web.policy``).
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from bakuhub.accounts import service as accounts
from bakuhub.accounts.permissions import Forbidden, Principal, Unauthenticated
from bakuhub.i18n import _
from bakuhub.web.deps import get_principal

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
OPEN_WRITES = frozenset({"/login", "/language"})
"""State-changing paths an anonymous visitor may use (still with a CSRF token)."""
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


def csrf_token(request: Request) -> str:
    """The session's CSRF token (created on first use)."""
    store: dict[str, Any] = request.session
    token = store.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        store["csrf"] = token
    return token


async def _sent_csrf(request: Request) -> str | None:
    sent = request.headers.get(CSRF_HEADER)
    if sent:
        return sent
    ctype = request.headers.get("content-type", "")
    if ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def guard(
    request: Request, principal: Annotated[Principal | None, Depends(get_principal)]
) -> None:
    """Refuse a state-changing request without a valid CSRF token or without a sign-in."""
    if request.method not in UNSAFE:
        return
    if principal is None and request.url.path not in OPEN_WRITES:
        raise Unauthenticated(_("Sign in (or send an API token) to change anything."))
    if principal is None or not principal.via_token:
        expected = request.session.get("csrf")
        sent = await _sent_csrf(request)
        if not expected or not sent or not secrets.compare_digest(str(expected), sent):
            raise Forbidden(
                _(
                    "The form's security token is missing or out of date (CSRF check); reload "
                    "the page and send it again."
                )
            )


def sign_in(request: Request, user: accounts.User) -> None:
    """Start a session for ``user`` (a fresh CSRF token too), in the language the user
    chose before (on any device), else the one this browser was already reading."""
    language = user.language or request.session.get("lang")
    request.session.clear()
    request.session.update(
        {
            "uid": user.id,
            "fp": accounts.fingerprint(user),
            "ep": user.session_epoch,
            "csrf": secrets.token_urlsafe(32),
        }
    )
    if isinstance(language, str) and language:
        request.session["lang"] = language


def sign_out(request: Request, session: Session) -> None:
    """End the session, on the server too: every session of the user stops working.

    The cookie is signed but kept by the browser, so clearing it is not enough (a
    copy would still work): the user's session epoch moves on.
    """
    uid = request.session.get("uid")
    user = accounts.get_user(session=session, user_id=uid) if isinstance(uid, int) else None
    if user is not None:
        accounts.end_sessions(user)
        session.flush()
    language = request.session.get("lang")
    request.session.clear()
    if isinstance(language, str) and language:
        request.session["lang"] = language  # the language is the reader's, not the account's
