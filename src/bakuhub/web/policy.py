"""Who may change which record: the same checks for the JSON API and the pages.

- Anonymous visitors read published records only (drafts answer 404) and approved
  result periods only.
- Viewers read everything, drafts included, and change nothing in the record.
- A focal point creates and edits the projects (with their results and finance) and
  working groups of its own party, and submits result periods; what it creates is a
  draft until the secretariat publishes it, and it cannot change ``published``.
- The secretariat and administrators change everything, publish, and approve or
  return result periods; only they delete records or import files.
- Only administrators manage accounts (disable, enable, revoke another's tokens).
- An API token never creates tokens (see :func:`check_may_create_token`).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from bakuhub.accounts.permissions import Forbidden, Principal, Role, require
from bakuhub.i18n import _
from bakuhub.registry import service
from bakuhub.registry.catalog import RESOURCES
from bakuhub.registry.resources import Resource
from bakuhub.results.codes import PeriodState

OWNED = {"projects", "working-groups"}


def belongs(principal: Principal, resource_name: str, record: dict[str, Any]) -> bool:
    """Whether a record (as the API reads it) belongs to the principal's party.

    A project belongs to a party named among its participating organisations, or to
    a country party whose ISO code is one of its recipient countries; a working
    group belongs to the parties listed on it.
    """
    if principal.is_staff:
        return True
    if principal.role != Role.focal_point or not principal.party_ref:
        return False
    if resource_name == "projects":
        orgs = {o["party"] for o in record.get("organisations") or []}
        countries = {c["country"] for c in record.get("countries") or []}
        return principal.party_ref in orgs or (
            principal.party_iso3 is not None and principal.party_iso3 in countries
        )
    if resource_name == "working-groups":
        return principal.party_ref in set(record.get("parties") or [])
    return False


def _refuse(principal: Principal, sentence: str, **values: Any) -> Forbidden:
    """Forbidden with ``sentence`` (translated, with ``{party}`` and ``values`` filled)."""
    party = principal.party_ref or _("no party")
    return Forbidden(sentence.format(party=party, **values))


def check_may_create(principal: Principal | None, resource: Resource) -> Principal:
    """The principal if its role may create records of this type at all."""
    who = require(principal, Role.focal_point, _("create a {what}").format(what=_(resource.label)))
    if not who.is_staff and resource.name not in OWNED:
        raise Forbidden(_("Only the secretariat creates {what}.").format(what=_(resource.plural)))
    return who


def check_create(principal: Principal | None, resource: Resource, data: BaseModel) -> BaseModel:
    """The payload a principal may create (a focal point's is a draft), or Forbidden."""
    who = check_may_create(principal, resource)
    if who.is_staff:
        return data
    record = data.model_dump(mode="json")
    if not belongs(who, resource.name, record):
        raise _refuse(
            who,
            _(
                "As focal point of {party} you cannot create the {what} '{ref}' for other "
                "parties; it does not belong to your party (ask the secretariat)."
            ),
            what=_(resource.label),
            ref=record.get("ref"),
        )
    return data.model_copy(update={"published": False})


def check_update(
    principal: Principal | None, resource: Resource, before: dict[str, Any], data: BaseModel
) -> BaseModel:
    """The update a principal may make to ``before``, or Forbidden."""
    who = require(principal, Role.focal_point, _("change a {what}").format(what=_(resource.label)))
    if who.is_staff:
        return data
    if resource.name not in OWNED:
        raise Forbidden(_("Only the secretariat changes {what}.").format(what=_(resource.plural)))
    if not belongs(who, resource.name, before):
        raise _refuse(
            who,
            _(
                "As focal point of {party} you cannot change the {what} '{ref}'; it does not "
                "belong to your party (ask the secretariat)."
            ),
            what=_(resource.label),
            ref=before.get("ref"),
        )
    changes = data.model_dump(mode="json", exclude_unset=True)
    if "published" in changes and changes["published"] != before.get("published"):
        raise Forbidden(_("Only the secretariat publishes or unpublishes a record."))
    after = {**before, **changes}
    if not belongs(who, resource.name, after):
        raise _refuse(
            who,
            _(
                "As focal point of {party} you cannot give the {what} '{ref}' to other "
                "parties; it does not belong to your party (ask the secretariat)."
            ),
            what=_(resource.label),
            ref=before.get("ref"),
        )
    return data


def check_delete(principal: Principal | None, resource: Resource) -> None:
    """Only the secretariat deletes records."""
    require(principal, Role.secretariat, _("delete a {what}").format(what=_(resource.label)))


def project_for(
    session: Session, principal: Principal | None, ref: str, *, write: bool = False
) -> dict[str, Any]:
    """A project the principal may read (or, with ``write``, change), or 404/401/403."""
    projects = RESOURCES["projects"]
    record = service.get_record(
        session=session, resource=projects, ref=ref, published_only=principal is None and not write
    )
    if write:
        who = require(principal, Role.focal_point, _("change a project's results or finance"))
        if not belongs(who, "projects", record):
            raise _refuse(
                who,
                _(
                    "As focal point of {party} you cannot change the project '{ref}'; it does "
                    "not belong to your party (ask the secretariat)."
                ),
                ref=ref,
            )
    return record


def check_transition(principal: Principal | None, to: PeriodState) -> None:
    """Approving or returning a period needs the secretariat."""
    if to in (PeriodState.approved, PeriodState.returned):
        require(
            principal,
            Role.secretariat,
            _("move a result period to {state}").format(state=to.value),
        )


def require_staff(principal: Principal | None, what: str) -> Principal:
    """The principal if secretariat or above."""
    return require(principal, Role.secretariat, what)


def check_may_create_token(principal: Principal | None) -> Principal:
    """The principal if it may create a personal API token: signed in, not by a token.

    A token that could mint tokens would let a leaked token outlive its revocation
    (its children stay live), so tokens are made by a person signed in with a
    password (account page, ``POST /api/v1/tokens`` with the session cookie) or by
    the operator (``bakuhub users token``); the new token's role is at most the
    role the request acts with.
    """
    who = require(principal, Role.viewer, _("create an API token"))
    if who.via_token:
        raise Forbidden(
            _(
                "An API token cannot create tokens (a leaked token could otherwise outlive "
                "its revocation); sign in and create it on /account, or use `bakuhub users "
                "token`."
            )
        )
    return who
