"""JSON API of accounts: who am I, my tokens, the audit log (secretariat)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Response
from pydantic import Field

from bakuhub.accounts import audit
from bakuhub.accounts import service as accounts
from bakuhub.accounts.permissions import Role, require
from bakuhub.registry.schemas import Strict
from bakuhub.web.deps import PrincipalDep, SessionDep

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


@router.post("/tokens", status_code=201, summary="Create a personal API token (shown once)")
def create_token(data: TokenIn, session: SessionDep, principal: PrincipalDep) -> dict[str, Any]:
    who = require(principal, Role.viewer, "create an API token")
    row, clear = accounts.create_token(
        session=session,
        username=who.username,
        name=data.name,
        role=data.role.value if data.role else who.role.value,
    )
    return {"id": row.id, "name": row.name, "role": row.role, "token": clear}


@router.delete("/tokens/{token_id}", status_code=204, summary="Revoke one of your tokens")
def revoke_token(token_id: int, session: SessionDep, principal: PrincipalDep) -> Response:
    who = require(principal, Role.viewer, "revoke an API token")
    accounts.revoke_token(session=session, user_id=who.user_id, token_id=token_id)
    return Response(status_code=204)


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
