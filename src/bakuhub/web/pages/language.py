"""Page: the language switch on every page (``POST /language``)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from bakuhub import i18n
from bakuhub.accounts import service as accounts
from bakuhub.web.deps import PrincipalDep, SessionDep
from bakuhub.web.locale import safe_next
from bakuhub.web.pages.common import form_text, redirect

router = APIRouter(include_in_schema=False)


@router.post("/language")
async def switch_language(
    request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    """Switch the pages' language and go back to the page it was switched on.

    Kept in the session; for a signed-in user on the account as well, so the next
    sign-in (on any device) starts in it.
    """
    form = await request.form()
    chosen = form_text(form, "language")
    target = safe_next(form_text(form, "next") or "/")
    if chosen not in i18n.LANGUAGES:
        return redirect(target)  # an unknown language changes nothing
    request.session["lang"] = chosen
    if principal is not None and not principal.via_token:
        await run_in_threadpool(
            accounts.set_language, session=session, user_id=principal.user_id, language=chosen
        )
    return redirect(target)
