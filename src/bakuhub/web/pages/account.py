"""Pages: sign in, sign out, my account and my API tokens."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from bakuhub.accounts import service as accounts
from bakuhub.accounts.permissions import RANK, Role, require
from bakuhub.web.auth import sign_in, sign_out
from bakuhub.web.deps import PrincipalDep, SessionDep, SettingsDep
from bakuhub.web.pages.common import form_text, redirect, render

router = APIRouter(include_in_schema=False)


def _safe_next(target: str) -> str:
    """Only local paths (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", {"next": _safe_next(next), "username": "", "error": ""})


@router.post("/login")
async def login(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    form = await request.form()
    username, password = form_text(form, "username"), str(form.get("password") or "")
    target = _safe_next(form_text(form, "next") or "/")
    client = request.client.host if request.client else "unknown"
    key = f"{username.lower()}|{client}"
    failures = accounts.recent_failures(session=session, key=key, window_s=settings.login_window)
    error = ""
    if failures >= settings.login_attempts:
        minutes = max(1, settings.login_window // 60)
        error = (
            f"Too many failed sign-ins for '{username}'; wait {minutes} minutes and try again, "
            "or ask an administrator to reset your password."
        )
        status = 429
    else:
        user = accounts.authenticate(session=session, username=username, password=password)
        if user is not None:
            accounts.clear_failures(session=session, key=key)
            sign_in(request, user)
            return redirect(target)
        accounts.note_failure(session=session, key=key)
        error = "The user name or the password is wrong; check both and try again."
        status = 401
    context = {"next": target, "username": username, "error": error}
    return render(request, "login.html", context, status_code=status)


@router.post("/logout")
def logout(request: Request) -> Response:
    sign_out(request)
    return redirect("/")


@router.get("/account")
def account(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    who = require(principal, Role.viewer, "see your account")
    tokens = accounts.list_tokens(session=session, user_id=who.user_id)
    roles = [r.value for r in Role if RANK[r] <= RANK[who.role]]
    return render(request, "account.html", {"tokens": tokens, "roles": roles, "new_token": None})


@router.post("/account/tokens")
async def new_token(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    who = require(principal, Role.viewer, "create an API token")
    form = await request.form()
    _row, clear = accounts.create_token(
        session=session,
        username=who.username,
        name=form_text(form, "name") or "token",
        role=form_text(form, "role") or None,
    )
    tokens = accounts.list_tokens(session=session, user_id=who.user_id)
    roles = [r.value for r in Role if RANK[r] <= RANK[who.role]]
    return render(request, "account.html", {"tokens": tokens, "roles": roles, "new_token": clear})


@router.post("/account/tokens/{token_id}/revoke")
def revoke(token_id: int, session: SessionDep, principal: PrincipalDep) -> Response:
    who = require(principal, Role.viewer, "revoke an API token")
    accounts.revoke_token(session=session, user_id=who.user_id, token_id=token_id)
    return redirect("/account")
