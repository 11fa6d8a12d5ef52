"""JSON API of accounts: who am I, my tokens, the accounts (administrators), the audit log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from bakuhub.accounts import admin
from bakuhub.accounts import service as accounts
from bakuhub.accounts.permissions import Principal, Role, require
from bakuhub.audit import service as audit
from bakuhub.i18n import N_
from bakuhub.registry.schemas import Ref, Strict
from bakuhub.timestamps import UtcDateTime
from bakuhub.web.deps import IdPath, PrincipalDep, SessionDep
from bakuhub.web.policy import check_may_create_token

router = APIRouter(tags=["accounts"])


class TokenIn(Strict):
    name: str = Field(min_length=1, max_length=100)
    role: Role | None = Field(default=None, description="At most your own role; default yours")


class MeOut(BaseModel):
    """Who the request is made as (``signed_in`` false and the rest null: anonymous)."""

    signed_in: bool
    username: str | None = None
    role: Role | None = None
    party: str | None = None
    via_token: bool | None = None


class TokenOut(BaseModel):
    """A personal API token, never its secret."""

    id: int
    name: str
    role: str | None
    starts_with: str
    created_at: UtcDateTime
    last_used_at: UtcDateTime | None
    expires_at: UtcDateTime | None = Field(description="Always null: tokens do not expire.")
    revoked: bool


class NewTokenOut(TokenOut):
    """A token just made, with its secret (shown this once)."""

    token: str


class UserOut(BaseModel):
    """An account and its state."""

    username: str
    display_name: str
    role: str
    party: str | None
    active: bool
    live_tokens: int
    created_at: UtcDateTime


class PasswordSetOut(BaseModel):
    username: str
    tokens_revoked: int


class TokensRevokedOut(BaseModel):
    username: str
    revoked: int


class AuditEntryOut(BaseModel):
    """One change of the record: who, when, what before and after."""

    id: int
    at: UtcDateTime
    actor: str
    action: str
    record_type: str
    record_ref: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@router.get("/me", summary="Who the request is made as")
def get_me(principal: PrincipalDep) -> MeOut:
    if principal is None:
        return MeOut(signed_in=False)
    return MeOut(
        signed_in=True,
        username=principal.username,
        role=principal.role,
        party=principal.party_ref,
        via_token=principal.via_token,
    )


@router.post(
    "/tokens",
    status_code=201,
    summary="Create a personal API token (shown once; with a signed-in session, not a token)",
)
def create_token(data: TokenIn, session: SessionDep, principal: PrincipalDep) -> NewTokenOut:
    who = check_may_create_token(principal)
    row, clear = accounts.create_token(
        session=session,
        username=who.username,
        name=data.name,
        role=data.role.value if data.role else None,
        at_most=who.role,
        actor=who.username,
    )
    return NewTokenOut(**_token_out(row).model_dump(), token=clear)


def _token_out(row: Any) -> TokenOut:
    return TokenOut(
        id=row.id,
        name=row.name,
        role=row.role,
        starts_with=row.prefix,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        expires_at=None,
        revoked=row.revoked,
    )


@router.get(
    "/tokens",
    summary="Your personal API tokens, newest first (never their secrets; they do not expire)",
)
def list_tokens(session: SessionDep, principal: PrincipalDep) -> list[TokenOut]:
    who = require(principal, Role.viewer, N_("list your API tokens"))
    return [_token_out(t) for t in accounts.list_tokens(session=session, user_id=who.user_id)]


@router.delete("/tokens/{token_id}", status_code=204, summary="Revoke one of your tokens")
def revoke_token(token_id: IdPath, session: SessionDep, principal: PrincipalDep) -> Response:
    who = require(principal, Role.viewer, N_("revoke an API token"))
    accounts.revoke_token(
        session=session, user_id=who.user_id, token_id=token_id, actor=who.username
    )
    return Response(status_code=204)


Username = Path(min_length=1, max_length=80, description="Sign-in name")
UsernameStr = Annotated[
    str, Field(min_length=2, max_length=80, pattern=r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,79}$")
]
Password = Annotated[str, Field(min_length=1, max_length=admin.MAX_PASSWORD)]
DisplayName = Annotated[str, Field(max_length=admin.MAX_DISPLAY_NAME)]


class UserIn(Strict):
    username: UsernameStr = Field(description="Sign-in name: 2-80 letters, digits or . _ @ -")
    password: Password = Field(description="Initial password (the password rule applies)")
    role: Role
    party: Ref | None = Field(default=None, description="Ref of a focal point's party")
    display_name: DisplayName = ""


class UserPatch(Strict):
    role: Role | None = Field(default=None, description="New role (default: unchanged)")
    party: Ref | None = Field(
        default=None, description="Ref of a focal point's party (default: unchanged)"
    )
    display_name: DisplayName | None = None


class PasswordIn(Strict):
    password: Password = Field(description="New password (the password rule applies)")


def _user_out(user: accounts.User, live: dict[int, int]) -> UserOut:
    return UserOut(
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        party=user.party.ref if user.party else None,
        active=user.active,
        live_tokens=live.get(user.id, 0),
        created_at=user.created_at,
    )


def _administrator(principal: PrincipalDep) -> Principal:
    """The principal, when an administrator (checked before the body is read)."""
    return require(principal, Role.administrator, N_("manage accounts"))


AdminDep = Annotated[Principal, Depends(_administrator)]


@router.get("/users", summary="Every account with its state (administrators)")
def list_users(session: SessionDep, who: AdminDep) -> list[UserOut]:
    live = admin.live_token_counts(session=session)
    return [_user_out(u, live) for u in admin.list_users(session=session)]


@router.post(
    "/users",
    status_code=201,
    summary="Create an account with an initial password (administrators, signed in: not "
    "with a token)",
)
def create_user(data: UserIn, session: SessionDep, who: AdminDep) -> UserOut:
    user = admin.create_account(
        session=session,
        actor=who.username,
        username=data.username,
        password=data.password,
        role=data.role.value,
        party_ref=data.party,
        display_name=data.display_name,
        via_token=who.via_token,
    )
    return _user_out(user, {})


@router.get("/users/{username}", summary="One account with its state (administrators)")
def read_user(session: SessionDep, who: AdminDep, username: str = Username) -> UserOut:
    user = accounts.fetch_user(session, username)
    return _user_out(user, admin.live_token_counts(session=session))


@router.patch(
    "/users/{username}",
    summary="Change an account's role, party or display name; a role or party change ends "
    "its sessions (administrators)",
)
def update_user(
    data: UserPatch, session: SessionDep, who: AdminDep, username: str = Username
) -> UserOut:
    party: str | admin.Keep | None = data.party if "party" in data.model_fields_set else admin.KEEP
    user = admin.update_account(
        session=session,
        actor=who.username,
        username=username,
        role=data.role.value if data.role else None,
        party_ref=party,
        display_name=data.display_name,
        via_token=who.via_token,
    )
    return _user_out(user, admin.live_token_counts(session=session))


@router.post(
    "/users/{username}/password",
    summary="Set another user's password: ends their sessions, revokes their tokens, lifts a "
    "sign-in lock (administrators, signed in: not with a token)",
)
def set_user_password(
    data: PasswordIn, session: SessionDep, who: AdminDep, username: str = Username
) -> PasswordSetOut:
    revoked = admin.reset_password(
        session=session,
        actor=who.username,
        username=username,
        password=data.password,
        via_token=who.via_token,
    )
    return PasswordSetOut(username=username, tokens_revoked=revoked)


def _set_active(session: Session, who: Principal, username: str, active: bool) -> UserOut:
    user = admin.set_active(session=session, username=username, active=active, actor=who.username)
    return _user_out(user, admin.live_token_counts(session=session))


@router.post(
    "/users/{username}/disable",
    summary="Disable an account: its sessions and tokens stop at once (administrators)",
)
def disable_user(session: SessionDep, who: AdminDep, username: str = Username) -> UserOut:
    return _set_active(session, who, username, False)


@router.post("/users/{username}/enable", summary="Enable a disabled account (administrators)")
def enable_user(session: SessionDep, who: AdminDep, username: str = Username) -> UserOut:
    return _set_active(session, who, username, True)


@router.post(
    "/users/{username}/revoke-tokens",
    summary="Revoke every API token of an account (administrators)",
)
def revoke_user_tokens(
    session: SessionDep, who: AdminDep, username: str = Username
) -> TokensRevokedOut:
    count = admin.revoke_user_tokens(session=session, username=username, actor=who.username)
    return TokensRevokedOut(username=username, revoked=count)


@router.get("/audit", summary="The audit log, newest first (secretariat)")
def list_audit_log(
    session: SessionDep,
    principal: PrincipalDep,
    record_type: str | None = None,
    record_ref: str | None = None,
    actor: str | None = None,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
) -> list[AuditEntryOut]:
    require(principal, Role.secretariat, N_("read the audit log"))
    rows = audit.list_entries(
        session=session,
        record_type=record_type,
        record_ref=record_ref,
        actor=actor,
        limit=limit,
        offset=offset,
    )
    return [AuditEntryOut(**audit.read_entry(e)) for e in rows]
