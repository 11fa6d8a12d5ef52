"""Account services: users, passwords, personal API tokens, sessions, disabling.

Every function takes keyword arguments and a session; the caller owns the
transaction. Password rule and hashing: ``passwords``; sign-in limits: ``throttle``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bakuhub import db
from bakuhub.accounts.models import ApiToken
from bakuhub.accounts.models import User as User
from bakuhub.accounts.passwords import MIN_PASSWORD as MIN_PASSWORD
from bakuhub.accounts.passwords import hash_password as hash_password
from bakuhub.accounts.passwords import hasher
from bakuhub.accounts.permissions import (
    RANK,
    Forbidden,
    Principal,
    Role,
    effective_role,
    role_name,
)
from bakuhub.accounts.throttle import lift_lockout
from bakuhub.audit import service as audit
from bakuhub.db import utcnow
from bakuhub.errors import Conflict, InvalidInput, NotFound
from bakuhub.i18n import LANGUAGES, _
from bakuhub.registry.models import Party

TOKEN_PREFIX = "bkh_"
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,79}$")
TOUCH_EVERY = dt.timedelta(minutes=5)
"""A token's ``last_used_at`` is written at most this often (never inside a request)."""


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise InvalidInput(
            _("role: '{value}' is not a role; use one of {allowed}.").format(
                value=value, allowed=allowed
            ),
            details=[{"loc": ["role"], "msg": _("use one of {allowed}").format(allowed=allowed)}],
        ) from None


def _party(session: Session, role: Role, party_ref: str | None) -> int | None:
    if role != Role.focal_point:
        if party_ref:
            raise InvalidInput(_("party: only a focal point has a party; leave it empty."))
        return None
    if not party_ref:
        raise InvalidInput(
            _("party: a focal point needs the ref of its party (e.g. AZE or IOM)."),
            details=[{"loc": ["party"], "msg": _("required for a focal point")}],
        )
    found = session.scalar(select(Party.id).where(Party.ref == party_ref))
    if found is None:
        raise InvalidInput(
            _(
                "party: there is no party with ref '{ref}'; list them with "
                "`bakuhub registry list parties`."
            ).format(ref=party_ref),
            details=[{"loc": ["party"], "msg": _("no party '{ref}'").format(ref=party_ref)}],
        )
    return found


def fetch_user(session: Session, username: str) -> User:
    """The user with this name, or NotFound."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(
            _(
                "There is no user '{username}'; the accounts are listed on /account/users "
                "and by `bakuhub users list`."
            ).format(username=username)
        )
    return user


def create_user(
    *,
    session: Session,
    username: str,
    password: str,
    role: str,
    party_ref: str | None = None,
    display_name: str = "",
    actor: str | None = None,
) -> User:
    """Create an account (a focal point names its party's ref); audited when ``actor``."""
    if not USERNAME.match(username):
        raise InvalidInput(
            _("username: '{username}' is not usable; use 2-80 letters, digits or . _ @ -.").format(
                username=username
            ),
            details=[{"loc": ["username"], "msg": _("2-80 letters, digits or . _ @ -")}],
        )
    if session.scalar(select(User.id).where(User.username == username)):
        raise Conflict(
            _("A user '{username}' already exists; choose another name.").format(username=username)
        )
    checked = _role(role)
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password, username),
        role=checked.value,
        party_id=_party(session, checked, party_ref),
        active=True,
    )
    session.add(user)
    session.flush()
    if actor is not None:
        audit.record(
            session=session,
            actor=actor,
            action="create",
            record_type="users",
            record_ref=username,
            after=account_view(user),
        )
    return user


def account_view(user: User) -> dict[str, object]:
    """An account as the audit log keeps it (never its password hash)."""
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "party": user.party.ref if user.party else None,
        "active": user.active,
    }


def end_sessions(user: User) -> None:
    """End every browser session of ``user`` (their cookies stop working at once)."""
    user.session_epoch = (user.session_epoch or 0) + 1


def set_language(*, session: Session, user_id: int, language: str) -> None:
    """Remember the pages' language a user chose ('' = follow the browser)."""
    if language and language not in LANGUAGES:
        raise InvalidInput(
            _(
                "language: '{language}' is not a language bakuhub speaks; choose one of "
                "{languages}."
            ).format(language=language[:20], languages=", ".join(LANGUAGES))
        )
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("There is no user with id {id}.").format(id=user_id))
    user.language = language
    session.flush()


def revoke_all_tokens(*, session: Session, user: User) -> int:
    """Revoke every token of a user; how many were still live."""
    result = session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))
        .values(revoked=True)
        .execution_options(synchronize_session="fetch")
    )
    return int(getattr(result, "rowcount", 0) or 0)


def set_password(
    *, session: Session, username: str, password: str, actor: str | None = None
) -> User:
    """Replace a user's password: ends their sessions, revokes their tokens, lifts a lockout.

    Tokens are revoked because a password change usually follows a suspected leak,
    and a token made with a leaked password would otherwise outlive it.
    """
    user = fetch_user(session, username)
    user.password_hash = hash_password(password, username)
    end_sessions(user)
    revoked = revoke_all_tokens(session=session, user=user)
    lift_lockout(session=session, user=user)
    audit_account(session, actor, "set password", user, {"tokens_revoked": revoked})
    session.flush()
    return user


def change_own_password(*, session: Session, user_id: int, current: str, new: str) -> User:
    """A signed-in user's own change, checked against the current password."""
    user = session.get(User, user_id)
    if user is None or not _verify(user, current):
        raise InvalidInput(
            _("current password: it is not your current password; type it again."),
            details=[{"loc": ["current"], "msg": _("not your current password")}],
        )
    return set_password(session=session, username=user.username, password=new, actor=user.username)


def audit_account(
    session: Session, actor: str | None, action: str, user: User, extra: dict[str, object]
) -> None:
    """One ``users`` audit entry for an account change (none without an ``actor``)."""
    if actor is None:
        return
    after = {"username": user.username, "active": user.active, **extra}
    audit.record(
        session=session,
        actor=actor,
        action=action,
        record_type="users",
        record_ref=user.username,
        after=after,
    )


def get_user(*, session: Session, user_id: int) -> User | None:
    """The user with this id, or None."""
    return session.get(User, user_id)


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


def _verify(user: User, password: str) -> bool:
    try:
        hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    return True


def authenticate(*, session: Session, username: str, password: str) -> User | None:
    """The active user with this name and password, or None (slow: argon2)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        hasher().hash(password or "x")  # same work either way: no user enumeration by timing
        return None
    if not _verify(user, password):
        return None
    if hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hasher().hash(password)
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    *,
    session: Session,
    username: str,
    name: str,
    role: str | None = None,
    at_most: Role | None = None,
    actor: str | None = None,
) -> tuple[ApiToken, str]:
    """A new personal token (returned once, in clear) scoped to ``role`` or the user's.

    ``at_most`` caps the role further: the role the request creating it acts with.
    Audited (never the secret) when ``actor`` is given.
    """
    user = fetch_user(session, username)
    ceiling = Role(user.role)
    if at_most is not None and RANK[at_most] < RANK[ceiling]:
        ceiling = at_most
    scoped = _role(role) if role else ceiling
    if RANK[scoped] > RANK[ceiling]:
        raise Forbidden(
            _(
                "role: a token cannot have more rights ({role}) than the one making it "
                "({ceiling}); pick {ceiling} or below."
            ).format(role=role_name(scoped), ceiling=role_name(ceiling))
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
    if actor is not None:
        _token_audit(session, actor, "create token", token)
    return token, clear


def _token_audit(session: Session, actor: str, action: str, token: ApiToken) -> None:
    after = {"token": token.id, "name": token.name, "role": token.role, "revoked": token.revoked}
    audit.record(
        session=session,
        actor=actor,
        action=action,
        record_type="users",
        record_ref=token.user.username,
        after=after,
    )


def user_for_token(*, session: Session, token: str) -> tuple[User, ApiToken] | None:
    """The active user and token behind a clear token, or None (reads only)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.digest == _digest(token)))
    if row is None or row.revoked or not row.user.active:
        return None
    if not hmac.compare_digest(row.digest, _digest(token)):
        return None
    return row.user, row


def needs_touch(row: ApiToken) -> bool:
    """Whether a token's last use is older than ``TOUCH_EVERY`` (or unknown)."""
    last = row.last_used_at
    if last is None:
        return True
    if last.tzinfo is None:
        last = last.replace(tzinfo=dt.UTC)
    return utcnow() - last >= TOUCH_EVERY


def touch_token(*, engine: Engine, token_id: int) -> None:
    """Record a token's last use in its own short transaction, never waiting for a lock.

    Run after the answer is sent; when the database is busy the write is skipped
    (the next use retries), so a read never waits for, nor holds, a lock on the token.
    """
    try:
        with engine.connect() as conn:
            sqlite = conn.dialect.name == "sqlite"
            if sqlite:
                conn.connection.dbapi_connection.execute("PRAGMA busy_timeout=0")  # type: ignore[union-attr]
            try:
                if not sqlite:
                    conn.exec_driver_sql("SET LOCAL lock_timeout = '100ms'")
                conn.execute(
                    update(ApiToken).where(ApiToken.id == token_id).values(last_used_at=utcnow())
                )
                conn.commit()
            finally:
                if sqlite:
                    conn.rollback()
                    conn.connection.dbapi_connection.execute(  # type: ignore[union-attr]
                        f"PRAGMA busy_timeout={db.SQLITE_BUSY_TIMEOUT_MS}"
                    )
    except SQLAlchemyError:
        return


def list_tokens(*, session: Session, user_id: int) -> list[ApiToken]:
    """A user's tokens, newest first."""
    stmt = select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
    return list(session.scalars(stmt))


def own_token(*, session: Session, user_id: int, token_id: int) -> ApiToken:
    """One of a user's tokens, or NotFound (another user's token is not found either)."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user_id:
        raise NotFound(
            _("You have no token {id}; see your tokens on /account.").format(id=token_id)
        )
    return row


def revoke_token(
    *, session: Session, user_id: int, token_id: int, actor: str | None = None
) -> None:
    """Revoke one of a user's tokens (audited when ``actor`` is given)."""
    row = own_token(session=session, user_id=user_id, token_id=token_id)
    if row.revoked:
        return
    row.revoked = True
    session.flush()
    if actor is not None:
        _token_audit(session, actor, "revoke token", row)
