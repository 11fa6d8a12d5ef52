"""Pages: the accounts of every user (administrators): create, change role and party,
set a password, disable and enable, revoke tokens; each destructive action is
confirmed on a page of its own first.

Form posts are plain ``def`` handlers with ``Form`` parameters: FastAPI reads the form
on the event loop and runs the handler (argon2 hashing, database) in a worker thread.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from bakuhub.accounts import admin
from bakuhub.accounts import service as accounts
from bakuhub.accounts.permissions import Principal, Role, require, role_name
from bakuhub.audit import service as audit
from bakuhub.errors import BakuhubError, NotFound
from bakuhub.i18n import N_, _
from bakuhub.web.deps import PrincipalDep, SessionDep
from bakuhub.web.pages.common import redirect, render

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]
DONE = {
    "created": N_(
        "Account {user} created. Give them their user name and initial password; "
        "they can change the password on their account page."
    ),
    "updated": N_(
        "Account {user} changed. Their sessions were ended if the role or party changed."
    ),
    "password": N_(
        "A new password was set for {user}: their sessions ended, their tokens were "
        "revoked and any sign-in lock lifted."
    ),
    "disable": N_("Account {user} disabled: their sessions and tokens stopped at once."),
    "enable": N_("Account {user} enabled again (tokens not revoked work again)."),
    "revoke-tokens": N_("Every API token of {user} was revoked."),
}
"""Said after each change (translated where shown)."""
STATES = {"active": True, "disabled": False}


def _roles() -> dict[str, str]:
    """Each role's value and its name in the reader's language."""
    return {r.value: role_name(r) for r in Role}


def _parties(session: Session) -> list[tuple[str, str]]:
    return [(ref, f"{name} ({ref})") for ref, name in admin.party_choices(session=session)]


def _admin(principal: Principal | None) -> Principal:
    return require(principal, Role.administrator, N_("manage accounts"))


def _errors(exc: BakuhubError, fallback: str) -> dict[str, str]:
    """A refusal as {field: sentence}; a refusal about no field goes to ``fallback``."""
    found = {
        str(d["loc"][0]): str(d["msg"])
        for d in exc.details
        if isinstance(d.get("loc"), list) and d["loc"]
    }
    return found or {fallback: exc.message}


def _matches(user: accounts.User, q: str, role: str, state: str) -> bool:
    text = f"{user.username} {user.display_name} {user.party.ref if user.party else ''}"
    return (
        (not q or q.lower() in text.lower())
        and (not role or user.role == role)
        and (state not in STATES or user.active == STATES[state])
    )


@router.get("/account/users")
def users_page(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    q: str = "",
    role: str = "",
    state: str = "",
    done: str = "",
    user: str = "",
) -> Response:
    who = _admin(principal)
    every = admin.list_users(session=session)
    rows = [u for u in every if _matches(u, q.strip()[:80], role, state)]
    notice = _(DONE[done]).format(user=user[:80]) if done in DONE and user else ""
    context = {
        "users": rows,
        "total": len(every),
        "live": admin.live_token_counts(session=session),
        "me": who.username,
        "roles": _roles(),
        "filters": {"q": q[:80], "role": role, "state": state},
        "notice": notice,
    }
    return render(request, "users.html", context)


def _done(what: str, username: str) -> Response:
    return redirect(f"/account/users?done={what}&user={quote(username)}")


def _new_form(
    request: Request,
    session: Session,
    values: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    context = {
        "values": values,
        "errors": errors,
        "roles": _roles(),
        "parties": _parties(session),
    }
    return render(request, "user_new.html", context, status_code=status_code)


@router.get("/account/users/new")
def new_user_form(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    _admin(principal)
    values = {"username": "", "display_name": "", "role": "viewer", "party": ""}
    return _new_form(request, session, values, {})


@router.post("/account/users/new")
def create_user(
    request: Request,
    session: SessionDep,
    principal: PrincipalDep,
    username: Text = "",
    display_name: Text = "",
    role: Text = "",
    party: Text = "",
    password: Text = "",
    confirm: Text = "",
) -> Response:
    who = _admin(principal)
    values = {
        "username": username.strip(),
        "display_name": display_name.strip(),
        "role": role,
        "party": party.strip(),
    }
    try:
        with session.begin_nested():
            admin.create_account(
                session=session,
                actor=who.username,
                username=values["username"],
                password=password,
                confirm=confirm,
                role=role,
                party_ref=values["party"] or None,
                display_name=values["display_name"],
                via_token=who.via_token,
            )
    except BakuhubError as exc:
        return _new_form(request, session, values, _errors(exc, "username"), exc.status_code)
    return _done("created", values["username"])


def _edit_page(
    request: Request,
    session: Session,
    who: Principal,
    username: str,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    user = accounts.fetch_user(session, username)
    current = {
        "display_name": user.display_name,
        "role": user.role,
        "party": user.party.ref if user.party else "",
    }
    history = audit.list_entries(
        session=session, record_type="users", record_ref=username, limit=10
    )
    context = {
        "user": user,
        "me": who.username,
        "values": values or current,
        "errors": errors or {},
        "roles": _roles(),
        "parties": _parties(session),
        "tokens": accounts.list_tokens(session=session, user_id=user.id),
        "history": history,
    }
    return render(request, "user_edit.html", context, status_code=status_code)


@router.get("/account/users/{username}/edit")
def edit_user_form(
    request: Request, username: str, session: SessionDep, principal: PrincipalDep
) -> Response:
    who = _admin(principal)
    return _edit_page(request, session, who, username)


@router.post("/account/users/{username}/edit")
def edit_user(
    request: Request,
    username: str,
    session: SessionDep,
    principal: PrincipalDep,
    display_name: Text = "",
    role: Text = "",
    party: Text = "",
) -> Response:
    who = _admin(principal)
    values = {"display_name": display_name.strip(), "role": role, "party": party.strip()}
    try:
        with session.begin_nested():
            admin.update_account(
                session=session,
                actor=who.username,
                username=username,
                role=role,
                party_ref=values["party"] or None,
                display_name=values["display_name"],
                via_token=who.via_token,
            )
    except NotFound:
        raise
    except BakuhubError as exc:
        errors = _errors(exc, "role")
        return _edit_page(request, session, who, username, errors, values, exc.status_code)
    return _done("updated", username)


@router.post("/account/users/{username}/password")
def set_user_password(
    request: Request,
    username: str,
    session: SessionDep,
    principal: PrincipalDep,
    password: Text = "",
    confirm: Text = "",
) -> Response:
    who = _admin(principal)
    try:
        with session.begin_nested():
            admin.reset_password(
                session=session,
                actor=who.username,
                username=username,
                password=password,
                confirm=confirm,
                via_token=who.via_token,
            )
    except NotFound:
        raise
    except BakuhubError as exc:
        errors = _errors(exc, "password")
        return _edit_page(request, session, who, username, errors, None, exc.status_code)
    return _done("password", username)


ADMIN_ACTIONS = ("disable", "enable", "revoke-tokens")
CONFIRM: dict[str, tuple[str, list[str], str]] = {
    "disable": (
        N_("Disable the account {user}?"),
        [
            N_("They are signed out everywhere at once and cannot sign in."),
            N_("Their API tokens are refused until the account is enabled again."),
            N_("Nothing they made is deleted; you can enable the account later."),
        ],
        N_("Disable {user}"),
    ),
    "enable": (
        N_("Enable the account {user} again?"),
        [
            N_("They can sign in with their password again."),
            N_("Their API tokens that were not revoked work again."),
        ],
        N_("Enable {user}"),
    ),
    "revoke-tokens": (
        N_("Revoke every API token of {user}?"),
        [
            N_("Every program or script using one of their tokens is refused from now on."),
            N_("This cannot be undone: they create new tokens on their account page."),
        ],
        N_("Revoke the tokens of {user}"),
    ),
}
"""Each action's question, consequences and button (translated where shown)."""


def _confirm_page(
    request: Request, action: str, username: str, error: str = "", status_code: int = 200
) -> Response:
    title, consequences, button = CONFIRM[action]
    context = {
        "title": _(title).format(user=username),
        "consequences": [_(line) for line in consequences],
        "action": f"/account/users/{quote(username)}/{action}",
        "button": _(button).format(user=username),
        "cancel": f"/account/users/{quote(username)}/edit",
        "error": error,
        "danger": action != "enable",
    }
    return render(request, "account_confirm.html", context, status_code=status_code)


def _confirm_route(action: str) -> Any:
    def handler(
        request: Request, username: str, session: SessionDep, principal: PrincipalDep
    ) -> Response:
        _admin(principal)
        accounts.fetch_user(session, username)  # 404 for an unknown account
        return _confirm_page(request, action, username)

    handler.__name__ = f"confirm_{action.replace('-', '_')}"
    return handler


def _action_route(action: str) -> Any:
    def handler(
        request: Request, username: str, session: SessionDep, principal: PrincipalDep
    ) -> Response:
        who = _admin(principal)
        try:
            with session.begin_nested():
                if action == "revoke-tokens":
                    admin.revoke_user_tokens(session=session, username=username, actor=who.username)
                else:
                    admin.set_active(
                        session=session,
                        username=username,
                        active=action == "enable",
                        actor=who.username,
                    )
        except NotFound:
            raise
        except BakuhubError as exc:
            return _confirm_page(request, action, username, exc.message, exc.status_code)
        return _done(action, username)

    handler.__name__ = f"user_{action.replace('-', '_')}"
    return handler


for _action in ADMIN_ACTIONS:
    path = f"/account/users/{{username}}/{_action}"
    router.add_api_route(path, _confirm_route(_action), methods=["GET"])
    router.add_api_route(path, _action_route(_action), methods=["POST"])
