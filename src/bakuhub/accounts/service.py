"""Account services: users, passwords (argon2id), personal API tokens, sign-in limits.

Every function takes keyword arguments and a session; the caller owns the
transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bakuhub.accounts.models import ApiToken, LoginFailure, User
from bakuhub.accounts.permissions import RANK, Principal, Role, effective_role
from bakuhub.db import utcnow
from bakuhub.errors import Conflict, InvalidInput, NotFound
from bakuhub.registry.models import Party

TOKEN_PREFIX = "bkh_"
MIN_PASSWORD = 10
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,79}$")


def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id, the library's (RFC 9106 low-memory) defaults


def hash_password(password: str) -> str:
    """An argon2id hash of a password that is long enough."""
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(
            f"password: it has {len(password)} characters; use at least {MIN_PASSWORD}.",
            details=[{"loc": ["password"], "msg": f"use at least {MIN_PASSWORD} characters"}],
        )
    return _hasher().hash(password)


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise InvalidInput(
            f"role: '{value}' is not a role; use one of {allowed}.",
            details=[{"loc": ["role"], "msg": f"use one of {allowed}"}],
        ) from None


def _party(session: Session, role: Role, party_ref: str | None) -> int | None:
    if role != Role.focal_point:
        if party_ref:
            raise InvalidInput("party: only a focal point has a party; leave it empty.")
        return None
    if not party_ref:
        raise InvalidInput(
            "party: a focal point needs the ref of its party (e.g. AZE or IOM).",
            details=[{"loc": ["party"], "msg": "required for a focal point"}],
        )
    found = session.scalar(select(Party.id).where(Party.ref == party_ref))
    if found is None:
        raise InvalidInput(
            f"party: there is no party with ref '{party_ref}'; list them with "
            "`bakuhub registry list parties`.",
            details=[{"loc": ["party"], "msg": f"no party '{party_ref}'"}],
        )
    return found


def fetch_user(session: Session, username: str) -> User:
    """The user with this name, or NotFound."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"There is no user '{username}'; create one with `bakuhub users create`.")
    return user


def create_user(
    *,
    session: Session,
    username: str,
    password: str,
    role: str,
    party_ref: str | None = None,
    display_name: str = "",
) -> User:
    """Create an account (a focal point names its party's ref)."""
    if not USERNAME.match(username):
        raise InvalidInput(
            f"username: '{username}' is not usable; use 2-80 letters, digits or . _ @ -.",
            details=[{"loc": ["username"], "msg": "2-80 letters, digits or . _ @ -"}],
        )
    if session.scalar(select(User.id).where(User.username == username)):
        raise Conflict(f"A user '{username}' already exists; choose another name.")
    checked = _role(role)
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        role=checked.value,
        party_id=_party(session, checked, party_ref),
        active=True,
    )
    session.add(user)
    session.flush()
    return user


def set_password(*, session: Session, username: str, password: str) -> User:
    """Replace a user's password (signs out their sessions: the fingerprint changes)."""
    user = fetch_user(session, username)
    user.password_hash = hash_password(password)
    session.flush()
    return user


def set_role(*, session: Session, username: str, role: str, party_ref: str | None = None) -> User:
    """Change a user's role (and party, for a focal point)."""
    user = fetch_user(session, username)
    checked = _role(role)
    user.party_id = _party(session, checked, party_ref)
    user.role = checked.value
    session.flush()
    return user


def fingerprint(user: User) -> str:
    """A short digest of the password hash: sessions die when the password changes."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def principal_of(user: User, token_role: str | None = None, via_token: bool = False) -> Principal:
    """The principal a user (optionally through a scoped token) acts as."""
    party = user.party
    return Principal(
        user_id=user.id,
        username=user.username,
        role=effective_role(user.role, token_role),
        party_ref=party.ref if party else None,
        party_iso3=party.iso3 if party else None,
        via_token=via_token,
    )


def recent_failures(*, session: Session, key: str, window_s: int) -> int:
    """Failed sign-ins for ``key`` within the last ``window_s`` seconds."""
    since = utcnow() - dt.timedelta(seconds=window_s)
    stmt = select(func.count()).where(LoginFailure.key == key, LoginFailure.at >= since)
    return int(session.scalar(stmt) or 0)


def authenticate(*, session: Session, username: str, password: str) -> User | None:
    """The active user with this name and password, or None."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        _hasher().hash(password or "x")  # same work either way: no user enumeration by timing
        return None
    try:
        _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = _hasher().hash(password)
    return user


def note_failure(*, session: Session, key: str) -> None:
    """Count a failed sign-in."""
    session.add(LoginFailure(key=key))
    session.flush()


def clear_failures(*, session: Session, key: str) -> None:
    """Forget failed sign-ins after a successful one."""
    session.execute(delete(LoginFailure).where(LoginFailure.key == key))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    *, session: Session, username: str, name: str, role: str | None = None
) -> tuple[ApiToken, str]:
    """A new personal token (returned once, in clear) scoped to ``role`` or the user's."""
    user = fetch_user(session, username)
    scoped = _role(role) if role else Role(user.role)
    if RANK[scoped] > RANK[Role(user.role)]:
        raise InvalidInput(
            f"role: a token cannot have more rights ({scoped.value}) than its user "
            f"({user.role}); pick {user.role} or below."
        )
    clear = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name.strip()[:100] or "token",
        prefix=clear[:10],
        digest=_digest(clear),
        role=scoped.value,
    )
    session.add(token)
    session.flush()
    return token, clear


def user_for_token(*, session: Session, token: str) -> tuple[User, ApiToken] | None:
    """The active user and token behind a clear token, or None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.digest == _digest(token)))
    if row is None or row.revoked or not row.user.active:
        return None
    if not hmac.compare_digest(row.digest, _digest(token)):
        return None
    row.last_used_at = utcnow()
    return row.user, row


def list_tokens(*, session: Session, user_id: int) -> list[ApiToken]:
    """A user's tokens, newest first."""
    stmt = select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
    return list(session.scalars(stmt))


def revoke_token(*, session: Session, user_id: int, token_id: int) -> None:
    """Revoke one of a user's tokens."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user_id:
        raise NotFound(f"You have no token {token_id}.")
    row.revoked = True
    session.flush()
