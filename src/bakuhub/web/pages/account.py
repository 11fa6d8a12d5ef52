"""Pages: sign in, sign out, your account (tokens, password, language); the accounts of
others are in ``account_users`` (included here).

Password hashing (argon2) is slow on purpose: the form posts read the form on the
event loop and do the rest in a worker thread.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from bakuhub.accounts import service as accounts
from bakuhub.accounts.permissions import RANK, Forbidden, Principal, Role, require, role_name
from bakuhub.accounts.throttle import Limits, Throttled, client_address, record_attempt
from bakuhub.accounts.throttle import forget_attempts as forget
from bakuhub.config import Settings
from bakuhub.errors import BakuhubError, Busy
from bakuhub.i18n import N_, _
from bakuhub.web.auth import sign_in, sign_out
from bakuhub.web.deps import IdPath, PrincipalDep, SessionDep, SettingsDep
from bakuhub.web.locale import safe_next
from bakuhub.web.pages import account_users
from bakuhub.web.pages.common import form_text, redirect, render
from bakuhub.web.policy import check_may_create_token

router = APIRouter(include_in_schema=False)


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", {"next": safe_next(next), "username": "", "error": ""})


def _check_login(
    session: Session, settings: Settings, username: str, password: str, address: str
) -> accounts.User | None:
    """Count the attempt, then check the password (in a worker thread: argon2 is slow)."""
    limits = Limits(
        per_name=settings.login_attempts,
        per_address=settings.login_attempts_per_address,
        window_s=settings.login_window,
    )
    record_attempt(session=session, username=username, address=address, limits=limits)
    user = accounts.authenticate(session=session, username=username, password=password)
    if user is not None:
        forget(session=session, username=username, address=address)
    return user


@router.post("/login")
async def login(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    form = await request.form()
    username, password = form_text(form, "username"), str(form.get("password") or "")
    target = safe_next(form_text(form, "next") or "/")
    peer = request.client.host if request.client else None
    address = client_address(peer, request.headers.get("x-forwarded-for"), settings.trusted_proxies)
    try:
        user = await run_in_threadpool(_check_login, session, settings, username, password, address)
    except (Throttled, Busy) as exc:
        context = {"next": target, "username": username, "error": exc.message}
        return render(request, "login.html", context, status_code=exc.status_code)
    if user is not None:
        sign_in(request, user)
        return redirect(target)
    error = _("The user name or the password is wrong; check both and try again.")
    context = {"next": target, "username": username, "error": error}
    return render(request, "login.html", context, status_code=401)


@router.post("/logout")
def logout(request: Request, session: SessionDep) -> Response:
    sign_out(request, session)
    return redirect("/")


TOKEN_NAME_MAX = 100
NOTICES = {
    "changed": N_(
        "Your password was changed. Your other sessions were signed out and your API "
        "tokens revoked."
    ),
    "revoked": N_("The token was revoked: programs using it are refused from now on."),
    "language": N_("Your language was saved; the pages now follow it on every device."),
}
"""Said after a change (translated where shown)."""


def _account(
    request: Request, session: Session, who: Principal, status_code: int = 200, **extra: Any
) -> Response:
    tokens = accounts.list_tokens(session=session, user_id=who.user_id)
    roles = [r.value for r in Role if RANK[r] <= RANK[who.role]]
    user = accounts.get_user(session=session, user_id=who.user_id)
    context = {
        "tokens": tokens,
        "roles": roles,
        "chosen_language": user.language if user else "",
        "new_token": None,
        "errors": {},
        "values": {"name": "", "role": who.role.value},
        "notice": "",
    }
    response = render(request, "account.html", {**context, **extra}, status_code=status_code)
    if extra.get("new_token"):
        response.headers["Cache-Control"] = "no-store"  # the secret is shown once, never kept
    return response


@router.get("/account")
def account(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    who = require(principal, Role.viewer, N_("see your account"))
    notice = NOTICES.get(request.query_params.get("done", ""), "")
    if request.query_params.get("changed"):
        notice = NOTICES["changed"]
    return _account(request, session, who, notice=_(notice) if notice else "")


def _token_errors(name: str, role: str, roles: list[str]) -> dict[str, str]:
    errors = {}
    if not name:
        errors["name"] = _("Say what the token is for (e.g. 'monthly export script').")
    elif len(name) > TOKEN_NAME_MAX:
        errors["name"] = _("It has {count} characters; shorten it to {maximum} at most.").format(
            count=len(name), maximum=TOKEN_NAME_MAX
        )
    if role not in roles:
        allowed = ", ".join(role_name(r) for r in roles)
        errors["role"] = _("A token cannot have more rights than you; choose {roles}.").format(
            roles=allowed
        )
    return errors


def _token_form(
    request: Request, session: Session, who: Principal, name: str, role: str
) -> Response:
    roles = [r.value for r in Role if RANK[r] <= RANK[who.role]]
    errors = _token_errors(name, role, roles)
    values = {"name": name, "role": role}
    if errors:
        status = 403 if "role" in errors and role in {r.value for r in Role} else 422
        return _account(request, session, who, status, errors=errors, values=values)
    _row, clear = accounts.create_token(
        session=session,
        username=who.username,
        name=name,
        role=role,
        at_most=who.role,
        actor=who.username,
    )
    return _account(request, session, who, new_token=clear)


@router.post("/account/tokens")
async def new_token(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    who = check_may_create_token(principal)
    form = await request.form()
    name, role = form_text(form, "name"), form_text(form, "role") or who.role.value
    return await run_in_threadpool(_token_form, request, session, who, name, role)


@router.get("/account/tokens/{token_id}/revoke")
def confirm_revoke(
    request: Request, token_id: IdPath, session: SessionDep, principal: PrincipalDep
) -> Response:
    who = require(principal, Role.viewer, N_("revoke an API token"))
    token = accounts.own_token(session=session, user_id=who.user_id, token_id=token_id)
    return render(
        request,
        "account_confirm.html",
        {
            "title": _("Revoke the token “{name}”?").format(name=token.name),
            "consequences": [
                _("Every program or script that sends this token is refused from now on."),
                _("This cannot be undone: to give a program access again, create a new token."),
            ],
            "action": f"/account/tokens/{token.id}/revoke",
            "button": _("Revoke the token"),
            "cancel": "/account",
            "already": _("This token is already revoked.") if token.revoked else "",
        },
    )


@router.post("/account/tokens/{token_id}/revoke")
def revoke(token_id: IdPath, session: SessionDep, principal: PrincipalDep) -> Response:
    who = require(principal, Role.viewer, N_("revoke an API token"))
    accounts.revoke_token(
        session=session, user_id=who.user_id, token_id=token_id, actor=who.username
    )
    return redirect("/account?done=revoked")


def _change_password(
    request: Request, session: Session, who: Principal, fields: dict[str, str]
) -> Response:
    if fields["password"] != fields["confirm"]:
        errors = {"confirm": _("The two new passwords differ; type the same one twice.")}
        return _account(request, session, who, 422, errors=errors)
    try:
        user = accounts.change_own_password(
            session=session, user_id=who.user_id, current=fields["current"], new=fields["password"]
        )
    except BakuhubError as exc:
        fields_named = [d["loc"][0] for d in exc.details if isinstance(d.get("loc"), list)]
        field = "current" if "current" in fields_named else "password"
        return _account(request, session, who, exc.status_code, errors={field: exc.message})
    sign_in(request, user)  # this session goes on; the others (and all tokens) end
    return redirect("/account?changed=1")


@router.post("/account/password")
async def change_password(
    request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    who = require(principal, Role.viewer, N_("change your password"))
    if who.via_token:
        raise Forbidden(_("An API token cannot change a password; sign in to do it."))
    form = await request.form()
    fields = {k: str(form.get(k) or "") for k in ("current", "password", "confirm")}
    return await run_in_threadpool(_change_password, request, session, who, fields)


def _save_language(request: Request, session: Session, who: Principal, chosen: str) -> Response:
    try:
        accounts.set_language(session=session, user_id=who.user_id, language=chosen)
    except BakuhubError as exc:
        errors = {"language": exc.message}
        return _account(request, session, who, exc.status_code, errors=errors)
    if chosen:
        request.session["lang"] = chosen
    else:
        request.session.pop("lang", None)  # the browser's Accept-Language chooses again
    return redirect("/account?done=language")


@router.post("/account/language")
async def change_language(
    request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    """Keep the pages' language on the account ('' = the browser's choice) and in this
    browser's session; the next sign-in on any device starts in it."""
    who = require(principal, Role.viewer, N_("choose your language"))
    if who.via_token:
        raise Forbidden(_("An API token cannot change the account's language; sign in to do it."))
    form = await request.form()
    chosen = form_text(form, "language")[:20]
    return await run_in_threadpool(_save_language, request, session, who, chosen)


router.include_router(account_users.router)
