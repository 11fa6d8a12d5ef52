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
from bakuhub.i18n import N_, _


class Role(StrEnum):
    """What an account may do, from least to most."""

    viewer = "viewer"
    focal_point = "focal_point"
    secretariat = "secretariat"
    administrator = "administrator"


RANK = {Role.viewer: 1, Role.focal_point: 2, Role.secretariat: 3, Role.administrator: 4}
ROLE_LABELS = {
    Role.viewer: N_("viewer"),
    Role.focal_point: N_("focal point"),
    Role.secretariat: N_("secretariat"),
    Role.administrator: N_("administrator"),
}
"""Each role as people read it (translate where shown: :func:`role_name`)."""


def role_name(role: Role | str) -> str:
    """A role as the reader reads it, in the current language (an unknown one as given)."""
    try:
        return _(ROLE_LABELS[Role(role)])
    except ValueError:
        return str(role)


def role_names() -> str:
    """Every role, lowest first, as a list the reader reads (``viewer, focal point, ...``)."""
    return ", ".join(role_name(r) for r in Role)


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
    """The principal, or Unauthenticated/Forbidden when it may not do ``what``.

    ``what`` completes "Sign in to ..." and "Your role cannot ...": callers mark it with
    ``N_()``; it is translated here, in the request's language.
    """
    if principal is None:
        raise Unauthenticated(_("Sign in (or send an API token) to {what}.").format(what=_(what)))
    if not principal.at_least(role):
        raise Forbidden(
            _("Your role ({role}) cannot {what}; it needs {needed} or above.").format(
                role=role_name(principal.role), what=_(what), needed=role_name(role)
            )
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
