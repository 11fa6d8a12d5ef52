"""Saved corridor scenarios in the browser: the list (shipped and saved), a scenario's
page (its fields in readable groups, parent, studies, actions and discussion), the
editor (every field; new by fork of a shipped or saved scenario, or a change of one's
own), YAML upload and download, publish, delete (with a confirmation page), run as a
job, and comments.

Who: anyone reads what :mod:`bakuhub.studies.scenarios` lets them see; analysts
(focal points and above) fork, upload and run; the author or the secretariat edit,
publish and delete; signed-in users comment. Roles are checked by dependencies before
the form is read, owners by the service.

The editor's two POSTs are ``async``: they await the form (its inputs are many and
named by row), then do every other step in a worker thread (``run_in_threadpool``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from bakuhub.accounts.permissions import Principal, Role
from bakuhub.config import Settings
from bakuhub.corridor.safe_yaml import MAX_YAML_BYTES
from bakuhub.corridor.scenario import shipped_scenario, shipped_scenario_path, shipped_scenarios
from bakuhub.errors import Conflict, InvalidInput
from bakuhub.i18n import _
from bakuhub.jobs.access import TooManyJobs
from bakuhub.studies import scenarios, service
from bakuhub.studies.comments import MAX_BODY
from bakuhub.studies.schemas import RunIn
from bakuhub.web.deps import PrincipalDep, SessionDep, SettingsDep
from bakuhub.web.pages import corridor_scenario_edit as edit
from bakuhub.web.pages import corridor_scenario_form as sf
from bakuhub.web.pages.common import principal_of, redirect, render
from bakuhub.web.pages.corridor_scenario_edit import BASE, AnalystDep, RefPath, SignedInDep
from bakuhub.web.pages.corridor_scenario_reading import shown_groups, shown_lists
from bakuhub.web.routes.corridor_scenarios import submit_study_job
from bakuhub.web.routes.jobs import RunnerDep

router = APIRouter(include_in_schema=False)
router.include_router(edit.router)  # its /new before the /{ref} routes here

# -- the list -------------------------------------------------------------------------


def _short(title: str, fallback: str) -> str:
    """A shipped scenario's title: the first line of its description when it is short
    (a folded YAML paragraph is one long line), else its name."""
    return title if 0 < len(title) <= 80 else fallback


def _listed(session: Session, principal: Principal | None) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name in shipped_scenarios():
        spec = shipped_scenario(name)
        title = _short((spec.description.splitlines() or [name])[0], name)
        out.append({"ref": name, "title": title, "year": spec.year, "state": "shipped"})
    for row in scenarios.list_scenarios(session=session, principal=principal, limit=200):
        out.append(
            {
                "ref": row.ref,
                "title": row.title,
                "year": row.spec.get("year"),
                "author": row.author,
                "version": row.version,
                "parent": row.parent,
                "state": "published" if row.published else "draft",
            }
        )
    return out


def _list_page(request: Request, session: Session, status: int = 200, **extra: Any) -> Response:
    principal = principal_of(request)
    context = {
        "listed": _listed(session, principal),
        "may_fork": principal is not None and principal.at_least(Role.focal_point),
        "max_kib": MAX_YAML_BYTES // 1024,
        "upload_errors": [],
        "upload_error": "",
    }
    return render(request, "corridor_scenarios.html", {**context, **extra}, status)


@router.get(BASE)
def list_page(request: Request, session: SessionDep, principal: PrincipalDep) -> Response:
    """Shipped scenarios, then the saved ones the reader may see."""
    return _list_page(request, session)


@router.post(f"{BASE}/import")
def upload(
    request: Request,
    session: SessionDep,
    who: AnalystDep,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Save an uploaded YAML scenario as a draft (the editor's validation), or list
    each refusal by field path on the list page."""
    content = file.file.read(MAX_YAML_BYTES + 1) if file is not None else b""
    problems: list[tuple[str, str]] = []
    message = ""
    if not content:
        message = _("YAML file: choose a scenario file (.yaml) to upload.")
    elif len(content) > MAX_YAML_BYTES:
        message = _("YAML file: the file is over {size} KiB; a scenario is a few lines.").format(
            size=MAX_YAML_BYTES // 1024
        )
    else:
        try:
            row = scenarios.import_yaml(
                session=session, principal=who, text=content.decode("utf-8")
            )
            return redirect(f"{BASE}/{row.ref}")
        except UnicodeDecodeError:
            message = _(
                "YAML file: the file is not UTF-8 text; save it as UTF-8 and upload it again."
            )
        except (InvalidInput, Conflict) as exc:
            session.rollback()
            message = exc.message
            problems = [
                (
                    ".".join(str(p) for p in d.get("loc") or []) or _("file"),
                    sf.plain(str(d.get("msg"))),
                )
                for d in exc.details
            ]
    return _list_page(request, session, 422, upload_error=message, upload_errors=problems)


# -- a scenario's page ----------------------------------------------------------------


def _scenario_page(
    request: Request,
    session: Session,
    settings: Settings,
    ref: str,
    status: int = 200,
    **extra: Any,
) -> Response:
    principal = principal_of(request)
    shipped = shipped_scenario_path(ref) is not None
    if shipped:
        spec = shipped_scenario(ref)
        about: dict[str, Any] = {
            "ref": ref,
            "title": _short((spec.description.splitlines() or [ref])[0], ref),
            "description": spec.description,
            "digest": spec.digest(),
            "state": "shipped",
        }
        data = spec.model_dump(mode="json")
        own = False
    else:
        row = scenarios.get_scenario(session=session, principal=principal, ref=ref)
        about = scenarios.scenario_out(row)
        about["state"] = "published" if row.published else "draft"
        data = row.spec
        own = principal is not None and principal.at_least(Role.focal_point)
        own = (
            own
            and principal is not None
            and (principal.is_staff or principal.username == row.author)
        )
    values = sf.form_of(data)
    where = service.StudyFilter(scenario=ref, limit=50)
    context = {
        "about": about,
        "shipped": shipped,
        "groups": shown_groups(values),
        "lists": shown_lists(values),
        "studies": service.list_studies(
            session=session, principal=principal, data_dir=settings.data_dir, where=where
        ),
        "may_change": own,
        "may_run": principal is not None and principal.at_least(Role.focal_point),
        "jobs_per_user": settings.jobs_per_user,
        "parent_known": bool(about.get("parent")),
        "comments": []
        if shipped
        else service.thread(
            session=session, principal=principal, target_type="scenario", target=ref
        ),
        "comment_action": f"{BASE}/{ref}/comments",
        "may_comment": principal is not None and not shipped,
        "comment_body": "",
        "comment_error": "",
        "run_error": "",
        "run_resolution": "",
        "max_body": MAX_BODY,
    }
    return render(request, "corridor_scenario.html", {**context, **extra}, status)


@router.get(f"{BASE}/{{ref}}")
def scenario_page(
    ref: RefPath,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    principal: PrincipalDep,
) -> Response:
    """A shipped or saved scenario: fields, parent, studies, actions, discussion."""
    return _scenario_page(request, session, settings, ref)


@router.get(f"{BASE}/{{ref}}/yaml")
def download(ref: RefPath, session: SessionDep, principal: PrincipalDep) -> Response:
    """The scenario as a YAML file (what ``bakuhub corridor solve FILE`` reads)."""
    import yaml

    if shipped_scenario_path(ref) is not None:
        text = yaml.safe_dump(
            shipped_scenario(ref).model_dump(mode="json"), sort_keys=False, allow_unicode=True
        )
    else:
        text = scenarios.export_yaml(session=session, principal=principal, ref=ref)
    headers = {"Content-Disposition": f'attachment; filename="{ref}.yaml"'}
    return Response(text, media_type="application/yaml", headers=headers)


# -- actions --------------------------------------------------------------------------

Version = Annotated[str, Form(max_length=12)]


def _version(text: str) -> int:
    return int(text) if text.isdigit() else 0


@router.post(f"{BASE}/{{ref}}/publish")
def publish(
    ref: RefPath,
    session: SessionDep,
    who: AnalystDep,
    version: Version = "",
    published: Annotated[str, Form(max_length=8)] = "true",
) -> Response:
    """Publish the scenario (everyone reads it and its studies) or return it to draft."""
    scenarios.set_published(
        session=session,
        principal=who,
        ref=ref,
        published=published == "true",
        version=_version(version),
    )
    return redirect(f"{BASE}/{ref}")


@router.get(f"{BASE}/{{ref}}/delete")
def delete_page(ref: RefPath, request: Request, session: SessionDep, who: AnalystDep) -> Response:
    """Ask before deleting (the author or the secretariat)."""
    row = scenarios.get_scenario(session=session, principal=who, ref=ref)
    scenarios.may_change(who, row, _("delete it"))
    about = scenarios.scenario_out(row)
    return render(request, "corridor_scenario_form.html", {"confirm": about})


@router.post(f"{BASE}/{{ref}}/delete")
def delete(ref: RefPath, session: SessionDep, who: AnalystDep, version: Version = "") -> Response:
    """Delete the scenario and its discussion (refused while a study uses it)."""
    scenarios.delete_scenario(session=session, principal=who, ref=ref, version=_version(version))
    return redirect(BASE)


@router.post(f"{BASE}/{{ref}}/run")
def run(
    ref: RefPath,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    runner: RunnerDep,
    who: AnalystDep,
    resolution: Annotated[str, Form(max_length=200)] = "",
    counterfactual: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Run the saved scenario as a job (roles and quotas of jobs) and follow it; a
    refused resolution is told beside its input and no job is made."""
    resolution = resolution.strip()
    try:
        if len(resolution) > 32:
            raise InvalidInput(
                _("Time resolution: write at most 32 characters, e.g. repdays/12 or segments:48.")
            )
        scenario = scenarios.run_spec(session=session, principal=who, ref=ref)
        job = submit_study_job(
            session=session,
            runner=runner,
            principal=who,
            settings=settings,
            scenario=scenario,
            scenario_ref=ref,
            origin="page",
            run=RunIn(resolution=resolution or None, counterfactual=counterfactual == "on"),
        )
        return redirect(f"/corridor/jobs/{job.id}")
    except (InvalidInput, TooManyJobs) as exc:
        session.rollback()
        message = exc.message
        said = [d for d in exc.details or [] if d.get("loc") == ["resolution"]]
        if isinstance(exc, InvalidInput) and said:
            message = _("Time resolution: {message}.").format(
                message=sf.plain(str(said[0].get("msg")))
            )
        return _scenario_page(
            request, session, settings, ref, 422, run_error=message, run_resolution=resolution
        )


@router.post(f"{BASE}/{{ref}}/comments")
def comment(
    ref: RefPath,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    who: SignedInDep,
    body: Annotated[str, Form(max_length=MAX_BODY * 2)] = "",
) -> Response:
    """Add the user's comment to the scenario's discussion."""
    try:
        service.comment_on(
            session=session, principal=who, target_type="scenario", target=ref, body=body
        )
    except InvalidInput as exc:
        session.rollback()
        return _scenario_page(
            request, session, settings, ref, 422, comment_error=exc.message, comment_body=body
        )
    return redirect(f"{BASE}/{ref}#comments")
