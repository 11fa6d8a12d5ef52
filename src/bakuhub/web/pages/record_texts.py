"""Pages: a record's title and description in other languages
(``/projects/{ref}/languages``, ``/results/{id}/languages``,
``/indicators/{id}/languages``), and the note a page shows when it falls back to the
record's own language.

Who may edit: the secretariat, or a focal point of the project's party (``policy``),
as for the project itself. The record's own text is edited on its own form; each other
language has a title and a description here (an empty one removes that language).
A refused form comes back with the error and what was typed kept (HTTP 422).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from bakuhub import i18n
from bakuhub.accounts.permissions import Principal
from bakuhub.errors import BakuhubError
from bakuhub.i18n import N_, _
from bakuhub.results import framework_edit as edit
from bakuhub.results import texts as service
from bakuhub.results.texts import FIELDS, LIMITS, Shown
from bakuhub.web import policy
from bakuhub.web.deps import PrincipalDep, SessionDep
from bakuhub.web.pages.common import redirect, render, who

router = APIRouter(include_in_schema=False)
KINDS = {
    "project": N_("project"),
    "result": N_("result"),
    "indicator": N_("indicator"),
}
"""The records with texts in other languages, as a heading names them."""


@lru_cache(maxsize=64)
def _language_name(code: str, reader: str) -> str:
    from babel import Locale

    try:
        name = Locale.parse(code).get_language_name(reader)
    except (ValueError, LookupError):
        name = None
    return str(name or i18n.LANGUAGES.get(code, code))


def language_name(code: str) -> str:
    """A language's name in the reader's language (CLDR, through Babel): ``français``
    for ``fr`` in French, ``French`` in English."""
    return _language_name(code, i18n.current())


def note(shown: dict[str, Shown]) -> dict[str, str] | None:
    """What ``_language_note.html`` says when a text is not in the reader's language
    (None: everything is shown in it)."""
    fell = [s for s in shown.values() if s.fallback]
    if not fell:
        return None
    return {
        "shown": language_name(fell[0].language),
        "wanted": language_name(fell[0].wanted),
        "lang": fell[0].language,
    }


def project_texts(
    session: Session, principal: Principal | None, record: dict[str, Any]
) -> dict[str, Any]:
    """For the project page: its title and description (``record_shown.title.text``...) and
    its results' and indicators' (``result_texts.results[id].title.text``) in the
    reader's language, the fallback note (``language_note``) and whether the reader
    may edit the other languages (``can_translate``)."""
    shown = service.for_reader(
        session=session, target="project", key=record["ref"], published_only=principal is None
    )
    return {
        "record_shown": shown,
        "language_note": note(shown),
        "result_texts": service.results_for_reader(session, record["ref"]),
        "can_translate": principal is not None and policy.belongs(principal, "projects", record),
    }


# ---- the edit page ------------------------------------------------------------------


def _project_ref(session: Session, target: str, key: str) -> str:
    if target == "project":
        return key
    if target == "result":
        return edit.project_of(session, result_id=int(key))
    return edit.project_of(session, indicator_id=int(key))


def _back(target: str, key: str, ref: str) -> str:
    if target == "project":
        return f"/projects/{ref}"
    if target == "result":
        return f"/projects/{ref}#result-{key}"
    return f"/projects/{ref}#indicator-{key}"


def _page(
    request: Request,
    session: Session,
    target: str,
    key: str,
    typed: dict[str, dict[str, str]] | None = None,
    error: str = "",
    status: int = 200,
) -> Response:
    texts = service.get_texts(session=session, target=target, key=key)
    own = texts["language"]
    values = typed or texts["texts"]
    editions = [
        {
            "code": code,
            "name": language_name(code),
            "autonym": autonym,
            "dir": "rtl" if i18n.is_rtl(code) else "ltr",
            "title": values.get("title", {}).get(code, ""),
            "description": values.get("description", {}).get(code, ""),
        }
        for code, autonym in i18n.LANGUAGES.items()
        if code != own
    ]
    context = {
        "target": target,
        "kind": _(KINDS[target]),
        "key": key,
        "texts": texts,
        "own_name": language_name(own),
        "own_dir": "rtl" if i18n.is_rtl(own) else "ltr",
        "editions": editions,
        "limits": LIMITS,
        "error": error,
        "action": request.url.path,
        "back": _back(target, key, texts["project"]),
    }
    return render(request, "record_texts.html", context, status_code=status)


def _show(
    target: str, key: str, request: Request, session: Session, principal: Principal | None
) -> Response:
    ref = _project_ref(session, target, key)
    policy.project_for(session, principal, ref, write=True)
    return _page(request, session, target, key)


def _typed(form: FormData) -> dict[str, dict[str, str]]:
    """The texts a form sends (``title-fr``, ``description-fr``...), as typed."""
    out: dict[str, dict[str, str]] = {}
    for field in FIELDS:
        for code in i18n.LANGUAGES:
            value = form.get(f"{field}-{code}")
            if isinstance(value, str):
                out.setdefault(field, {})[code] = value
    return out


def _save(
    target: str,
    key: str,
    request: Request,
    form: FormData,
    session: Session,
    principal: Principal | None,
) -> Response:
    ref = _project_ref(session, target, key)
    policy.project_for(session, principal, ref, write=True)
    typed = _typed(form)
    try:
        with session.begin_nested():
            saved = service.set_texts(
                session=session, target=target, key=key, texts=typed, author=who(principal)
            )
    except BakuhubError as exc:
        if exc.status_code in (401, 403):
            raise
        return _page(request, session, target, key, typed, exc.message, exc.status_code)
    return redirect(_back(target, key, saved["project"]))


@router.get("/projects/{ref}/languages")
def project_languages(
    ref: str, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    return _show("project", ref, request, session, principal)


@router.post("/projects/{ref}/languages")
async def save_project_languages(
    ref: str, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    return await run_in_threadpool(_save, "project", ref, request, form, session, principal)


@router.get("/results/{result_id}/languages")
def result_languages(
    result_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    return _show("result", str(result_id), request, session, principal)


@router.post("/results/{result_id}/languages")
async def save_result_languages(
    result_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    key = str(result_id)
    return await run_in_threadpool(_save, "result", key, request, form, session, principal)


@router.get("/indicators/{indicator_id}/languages")
def indicator_languages(
    indicator_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    return _show("indicator", str(indicator_id), request, session, principal)


@router.post("/indicators/{indicator_id}/languages")
async def save_indicator_languages(
    indicator_id: int, request: Request, session: SessionDep, principal: PrincipalDep
) -> Response:
    form = await request.form()
    key = str(indicator_id)
    return await run_in_threadpool(_save, "indicator", key, request, form, session, principal)
