"""Roles and who may change what.

A project belongs to a party when the party is one of its participating
organisations, or is a country party whose ISO code is one of the project's
recipient countries. A working group belongs to the parties listed on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bakuhub.errors import BakuhubError


class Role(StrEnum):
    """What an account may do, from least to most."""

    viewer = "viewer"
    focal_point = "focal_point"
    secretariat = "secretariat"
    administrator = "administrator"


RANK = {Role.viewer: 1, Role.focal_point: 2, Role.secretariat: 3, Role.administrator: 4}


class Unauthenticated(BakuhubError):
    """No valid session or token (HTTP 401)."""

    status_code = 401
    exit_code = 5


class Forbidden(BakuhubError):
    """Signed in, but the role does not allow it (HTTP 403)."""

    status_code = 403
    exit_code = 5


@dataclass(frozen=True)
class Principal:
    """Who makes a request: a user with a role (and a party for focal points)."""

    user_id: int
    username: str
    role: Role
    party_ref: str | None = None
    party_iso3: str | None = None
    via_token: bool = False

    def at_least(self, role: Role) -> bool:
        """Whether this principal's role is ``role`` or above."""
        return RANK[self.role] >= RANK[role]

    @property
    def is_staff(self) -> bool:
        """Secretariat or administrator: may change everything in the record."""
        return self.at_least(Role.secretariat)


def effective_role(user_role: str, token_role: str | None) -> Role:
    """The lower of a user's role and the role a token was scoped to."""
    role = Role(user_role)
    if token_role is None:
        return role
    scoped = Role(token_role)
    return scoped if RANK[scoped] < RANK[role] else role


def require(principal: Principal | None, role: Role, what: str) -> Principal:
    """The principal, or Unauthenticated/Forbidden when it may not do ``what``."""
    if principal is None:
        raise Unauthenticated(f"Sign in (or send an API token) to {what}.")
    if not principal.at_least(role):
        raise Forbidden(
            f"Your role ({principal.role.value}) cannot {what}; it needs "
            f"{role.value.replace('_', ' ')} or above."
        )
    return principal


def project_party_refs(project: dict[str, Any], country_refs: dict[str, str]) -> set[str]:
    """The parties a project (as the API reads it) belongs to.

    ``country_refs`` maps ISO3 codes to the refs of country parties.
    """
    refs = {o["party"] for o in project.get("organisations") or []}
    for c in project.get("countries") or []:
        code = c["country"] if isinstance(c, dict) else c.country
        if code in country_refs:
            refs.add(country_refs[code])
    return refs


def owns(principal: Principal, party_refs: set[str]) -> bool:
    """Whether a focal point's party is among ``party_refs`` (staff own everything)."""
    if principal.is_staff:
        return True
    return principal.role == Role.focal_point and principal.party_ref in party_refs
