"""The review page (``/review``): the periods waiting for the secretariat, approved or
returned several at once (all or none), and for a focal point the periods of its
party returned to it with the reviewer's comment, and those still waiting."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from bakuhub.accounts.permissions import Principal, Role, require
from bakuhub.errors import BakuhubError, validated
from bakuhub.i18n import N_, _, ngettext
from bakuhub.results import review
from bakuhub.results.codes import PeriodState
from bakuhub.results.schemas import ReviewIn
from bakuhub.web import policy
from bakuhub.web.deps import PrincipalDep, SessionDep
from bakuhub.web.pages.common import form_text, redirect, render

router = APIRouter(include_in_schema=False)


def _mine(
    session: Session, principal: Principal, periods: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The periods of projects of the focal point's party."""
    refs = {p["project"]["ref"] for p in periods}
    own = {
        r
        for r in refs
        if policy.belongs(principal, "projects", policy.project_for(session, principal, r))
    }
    return [p for p in periods if p["project"]["ref"] in own]


def _context(session: Session, principal: Principal) -> dict[str, Any]:
    waiting = review.list_periods(session=session)
    context: dict[str, Any] = {"can_review": principal.is_staff, "returned": []}
    if principal.role == Role.focal_point:
        waiting = _mine(session, principal, waiting)
        returned = review.list_periods(session=session, states=(PeriodState.returned,))
        context["returned"] = _mine(session, principal, returned)
    context["waiting"] = waiting
    return context


@router.get("/review")
def review_page(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    who = require(principal, Role.viewer, N_("see the periods waiting for review"))
    context = {**_context(session, who), "errors": {}, "row_errors": {}, "ticked": set()}
    done = request.query_params.get("done", "")
    verb = request.query_params.get("to", "")
    if done.isdigit() and len(done) < 6 and verb in ("approved", "returned"):
        count = int(done)
        if verb == "approved":
            text = ngettext("{count} period approved.", "{count} periods approved.", count)
        else:
            text = ngettext("{count} period returned.", "{count} periods returned.", count)
        context["done"] = text.format(count=count)
    return render(request, "results_review.html", {**context, "comment": ""})


@router.post("/review")
async def review_post(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    form = await request.form()
    return await run_in_threadpool(_review, request, form, session, principal)


def _ticked(form: Any) -> list[dict[str, int]]:
    """The ticked periods as ``{"id", "version"}`` (``id:version`` values)."""
    out = []
    for value in form.getlist("period"):
        left, _colon, right = str(value).partition(":")
        if left.isdigit() and right.isdigit() and len(left) < 11 and len(right) < 11:
            out.append({"id": int(left), "version": int(right)})
    return out


def _review(request: Request, form: Any, session: Session, principal: Principal | None) -> Response:
    """Approve or return the ticked periods (secretariat), all or none."""
    who = policy.require_staff(principal, N_("approve or return result periods"))
    to = form_text(form, "to")
    comment = form_text(form, "comment")
    ticked = _ticked(form)
    errors: dict[str, str] = {}
    row_errors: dict[int, str] = {}
    if not ticked:
        errors["period"] = _("Tick the periods to approve or return; none was ticked.")
    if to == PeriodState.returned.value and not comment:
        errors["comment"] = _("Write what the focal point should correct; it is shown to them.")
    if not errors:
        try:
            data = validated(ReviewIn, {"to": to, "periods": ticked, "comment": comment})
            with session.begin_nested():
                moved = review.review(session=session, data=data, author=who.username)
            verb = "approved" if to == PeriodState.approved.value else "returned"
            return redirect(f"/review?done={len(moved)}&to={verb}")
        except BakuhubError as exc:
            for problem in exc.details:
                if "period" in problem:
                    row_errors[int(problem["period"])] = str(problem["msg"])
            errors["_form"] = exc.message
    context = {
        **_context(session, who),
        "errors": errors,
        "row_errors": row_errors,
        "ticked": {t["id"] for t in ticked},
        "comment": comment,
    }
    return render(request, "results_review.html", context, status_code=422)
