"""Pages: sign in, sign out, my account (tokens, password) and the accounts of others.

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
from bakuhub.accounts.permissions import RANK, Forbidden, Principal, Role, require
from bakuhub.accounts.throttle import Limits, Throttled, client_address, record_attempt
from bakuhub.accounts.throttle import forget_attempts as forget
from bakuhub.config import Settings
from bakuhub.errors import BakuhubError, Busy
from bakuhub.web.auth import sign_in, sign_out
from bakuhub.web.deps import PrincipalDep, SessionDep, SettingsDep
from bakuhub.web.pages.common import form_text, redirect, render
from bakuhub.web.policy import check_may_create_token

router = APIRouter(include_in_schema=False)


def _safe_next(target: str) -> str:
    """Only local paths (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", {"next": _safe_next(next), "username": "", "error": ""})


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
    target = _safe_next(form_text(form, "next") or "/")
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
    error = "The user name or the password is wrong; check both and try again."
    context = {"next": target, "username": username, "error": error}
    return render(request, "login.html", context, status_code=401)


@router.post("/logout")
def logout(request: Request, session: SessionDep) -> Response:
    sign_out(request, session)
    return redirect("/")


def _account(
    request: Request, session: Session, who: Principal, status_code: int = 200, **extra: Any
) -> Response:
    tokens = accounts.list_tokens(session=session, user_id=who.user_id)
    roles = [r.value for r in Role if RANK[r] <= RANK[who.role]]
    context = {"tokens": tokens, "roles": roles, "new_token": None, "errors": {}, "notice": ""}
    return render(request, "account.html", {**context, **extra}, status_code=status_code)


@router.get("/account")
def account(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    who = require(principal, Role.viewer, "see your account")
    notice = "Your password was changed." if request.query_params.get("changed") else ""
    return _account(request, session, who, notice=notice)


def _new_token(session: Session, who: Principal, name: str, role: str) -> str:
    _row, clear = accounts.create_token(
        session=session, username=who.username, name=name, role=role or None, at_most=who.role
    )
    return clear


@router.post("/account/tokens")
async def new_token(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    who = check_may_create_token(principal)
    form = await request.form()
    name, role = form_text(form, "name") or "token", form_text(form, "role")
    clear = await run_in_threadpool(_new_token, session, who, name, role)
    return await run_in_threadpool(_account, request, session, who, 200, new_token=clear)


@router.post("/account/tokens/{token_id}/revoke")
def revoke(token_id: int, session: SessionDep, principal: PrincipalDep) -> Response:
    who = require(principal, Role.viewer, "revoke an API token")
    accounts.revoke_token(session=session, user_id=who.user_id, token_id=token_id)
    return redirect("/account")


def _change_password(
    request: Request, session: Session, who: Principal, fields: dict[str, str]
) -> Response:
    if fields["password"] != fields["confirm"]:
        errors = {"confirm": "The two new passwords differ; type the same one twice."}
        return _account(request, session, who, 422, errors=errors)
    try:
        user = accounts.change_own_password(
            session=session, user_id=who.user_id, current=fields["current"], new=fields["password"]
        )
    except BakuhubError as exc:
        field = "current" if "current password" in exc.message else "password"
        return _account(request, session, who, exc.status_code, errors={field: exc.message})
    sign_in(request, user)  # this session goes on; the others (and all tokens) end
    return redirect("/account?changed=1")


@router.post("/account/password")
async def change_password(
    request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    who = require(principal, Role.viewer, "change your password")
    if who.via_token:
        raise Forbidden("An API token cannot change a password; sign in to do it.")
    form = await request.form()
    fields = {k: str(form.get(k) or "") for k in ("current", "password", "confirm")}
    return await run_in_threadpool(_change_password, request, session, who, fields)


@router.get("/account/users")
def users_page(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    who = require(principal, Role.administrator, "manage accounts")
    rows = accounts.list_users(session=session)
    live = accounts.live_token_counts(session=session)
    context = {"users": rows, "live": live, "me": who.username}
    return render(request, "users.html", context)


ADMIN_ACTIONS = ("disable", "enable", "revoke-tokens")


def _admin_action(session: Session, who: Principal, username: str, action: str) -> None:
    if action == "revoke-tokens":
        accounts.revoke_user_tokens(session=session, username=username, actor=who.username)
    else:
        accounts.set_active(
            session=session, username=username, active=action == "enable", actor=who.username
        )


def _admin_route(action: str) -> Any:
    def handler(username: str, session: SessionDep, principal: PrincipalDep) -> Response:
        who = require(principal, Role.administrator, "manage accounts")
        _admin_action(session, who, username, action)
        return redirect("/account/users")

    handler.__name__ = f"user_{action.replace('-', '_')}"
    return handler


for _action in ADMIN_ACTIONS:
    router.add_api_route(
        f"/account/users/{{username}}/{_action}", _admin_route(_action), methods=["POST"]
    )
