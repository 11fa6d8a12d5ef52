"""JSON API of accounts: who am I, my tokens, the accounts (administrators), the audit log."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Query, Response
from pydantic import Field
from sqlalchemy.orm import Session

from bakuhub.accounts import service as accounts
from bakuhub.accounts.permissions import Principal, Role, require
from bakuhub.audit import service as audit
from bakuhub.registry.schemas import Strict
from bakuhub.web.deps import IdPath, PrincipalDep, SessionDep
from bakuhub.web.policy import check_may_create_token

router = APIRouter(tags=["accounts"])


class TokenIn(Strict):
    name: str = Field(min_length=1, max_length=100)
    role: Role | None = Field(default=None, description="At most your own role; default yours")


@router.get("/me", summary="Who the request is made as")
def me(principal: PrincipalDep) -> dict[str, Any]:
    if principal is None:
        return {"signed_in": False}
    return {
        "signed_in": True,
        "username": principal.username,
        "role": principal.role.value,
        "party": principal.party_ref,
        "via_token": principal.via_token,
    }


@router.post(
    "/tokens",
    status_code=201,
    summary="Create a personal API token (shown once; with a signed-in session, not a token)",
)
def create_token(data: TokenIn, session: SessionDep, principal: PrincipalDep) -> dict[str, Any]:
    who = check_may_create_token(principal)
    row, clear = accounts.create_token(
        session=session,
        username=who.username,
        name=data.name,
        role=data.role.value if data.role else None,
        at_most=who.role,
    )
    return {"id": row.id, "name": row.name, "role": row.role, "token": clear}


@router.delete("/tokens/{token_id}", status_code=204, summary="Revoke one of your tokens")
def revoke_token(token_id: IdPath, session: SessionDep, principal: PrincipalDep) -> Response:
    who = require(principal, Role.viewer, "revoke an API token")
    accounts.revoke_token(session=session, user_id=who.user_id, token_id=token_id)
    return Response(status_code=204)


Username = Path(min_length=1, max_length=80, description="Sign-in name")


def _user_out(user: accounts.User, live: dict[int, int]) -> dict[str, Any]:
    party = user.party.ref if user.party else None
    return {
        "username": user.username,
        "role": user.role,
        "party": party,
        "active": user.active,
        "live_tokens": live.get(user.id, 0),
    }


@router.get("/users", summary="Every account with its state (administrators)")
def list_users(session: SessionDep, principal: PrincipalDep) -> list[dict[str, Any]]:
    require(principal, Role.administrator, "list the accounts")
    live = accounts.live_token_counts(session=session)
    return [_user_out(u, live) for u in accounts.list_users(session=session)]


def _set_active(
    session: Session, principal: Principal | None, username: str, active: bool
) -> dict[str, Any]:
    who = require(principal, Role.administrator, "disable or enable accounts")
    user = accounts.set_active(
        session=session, username=username, active=active, actor=who.username
    )
    return _user_out(user, accounts.live_token_counts(session=session))


@router.post(
    "/users/{username}/disable",
    summary="Disable an account: its sessions and tokens stop at once (administrators)",
)
def disable_user(
    session: SessionDep, principal: PrincipalDep, username: str = Username
) -> dict[str, Any]:
    return _set_active(session, principal, username, False)


@router.post("/users/{username}/enable", summary="Enable a disabled account (administrators)")
def enable_user(
    session: SessionDep, principal: PrincipalDep, username: str = Username
) -> dict[str, Any]:
    return _set_active(session, principal, username, True)


@router.post(
    "/users/{username}/revoke-tokens",
    summary="Revoke every API token of an account (administrators)",
)
def revoke_user_tokens(
    session: SessionDep, principal: PrincipalDep, username: str = Username
) -> dict[str, Any]:
    who = require(principal, Role.administrator, "revoke the tokens of other users")
    count = accounts.revoke_user_tokens(session=session, username=username, actor=who.username)
    return {"username": username, "revoked": count}


@router.get("/audit", summary="The audit log, newest first (secretariat)")
def audit_log(
    session: SessionDep,
    principal: PrincipalDep,
    record_type: str | None = None,
    record_ref: str | None = None,
    actor: str | None = None,
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0),
) -> list[dict[str, Any]]:
    require(principal, Role.secretariat, "read the audit log")
    rows = audit.list_entries(
        session=session,
        record_type=record_type,
        record_ref=record_ref,
        actor=actor,
        limit=limit,
        offset=offset,
    )
    return [audit.read_entry(e) for e in rows]
