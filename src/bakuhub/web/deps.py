"""Request dependencies: settings, database session, who is asking."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import BackgroundTasks, Depends, Path, Request
from sqlalchemy.orm import Session

from bakuhub.accounts.permissions import Principal, Unauthenticated
from bakuhub.config import Settings
from bakuhub.db import MAX_ID, session_scope
from bakuhub.i18n import _


async def get_app_settings(request: Request) -> Settings:
    """The settings the app was created with (no I/O: no thread hop for it)."""
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """A session per request: committed when the handler succeeds, else rolled back.

    Used with ``scope="function"`` (``SessionDep``), so the commit happens before the
    answer is sent: the page a browser is redirected to after a form, or a client's next
    request, sees the change, and a commit that fails is an error, not a success.
    """
    with session_scope(request.app.state.sessionmaker) as session:
        yield session


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _sep, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _from_cookie(request: Request, session: Session) -> Principal | None:
    from bakuhub.accounts import service as accounts

    store: dict[str, Any] = request.session
    uid = store.get("uid")
    if not isinstance(uid, int):
        return None
    user = accounts.get_user(session=session, user_id=uid)
    if (
        user is None
        or not user.active
        or store.get("fp") != accounts.fingerprint(user)
        or store.get("ep") != user.session_epoch
    ):
        store.pop("uid", None)
        return None
    return accounts.principal_of(user)


def get_principal(
    request: Request,
    session: Annotated[Session, Depends(get_session, scope="function")],
    background: BackgroundTasks,
) -> Principal | None:
    """The signed-in principal (API token first, then session cookie), or None.

    A token's last use is recorded after the answer, at most every few minutes, in
    its own transaction (``accounts.touch_token``): a read never writes.
    """
    if hasattr(request.state, "principal"):
        cached: Principal | None = request.state.principal
        return cached
    from bakuhub.accounts import service as accounts

    principal: Principal | None
    token = _bearer(request)
    if token is not None:
        found = accounts.user_for_token(session=session, token=token)
        if found is None:
            raise Unauthenticated(
                _(
                    "The API token is unknown, revoked or belongs to a disabled account; "
                    "create a new one on your account page."
                )
            )
        user, row = found
        principal = accounts.principal_of(user, token_role=row.role, via_token=True)
        if accounts.needs_touch(row):
            engine = request.app.state.engine
            background.add_task(accounts.touch_token, engine=engine, token_id=row.id)
    else:
        principal = _from_cookie(request, session)
    request.state.principal = principal
    return principal


def get_author(principal: Annotated[Principal | None, Depends(get_principal)]) -> str:
    """Who makes a change: the signed-in user's name."""
    return principal.username if principal else "anonymous"


SessionDep = Annotated[Session, Depends(get_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]
PrincipalDep = Annotated[Principal | None, Depends(get_principal)]
AuthorDep = Annotated[str, Depends(get_author)]
IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="A record id (1 to 2^31 - 1).")]
"""A record id in a path, bounded so the database can hold it (422 otherwise)."""
