"""JSON API of sweeps: define one (a grid or samples over scenario fields), list them,
follow one's runs (progress, place in the queue, results), download its table as CSV,
cancel its unfinished runs.

Who may do what follows :mod:`bakuhub.jobs.access`: analysts run sweeps, their
author (or the secretariat) cancels them; anonymous readers see a sweep without its
author and its runs without their error texts, as they see jobs.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from bakuhub.accounts.permissions import Principal, Role, require
from bakuhub.i18n import _
from bakuhub.jobs import access, sweep_batches
from bakuhub.jobs.retry import in_session
from bakuhub.jobs.sweep_batches import SweepView, read_sweep
from bakuhub.jobs.sweep_batches import results_csv as table_csv
from bakuhub.jobs.sweep_define import SweepIn, base_scenario, submit_request
from bakuhub.jobs.sweep_fields import sweep_fields
from bakuhub.timestamps import UtcDateTime
from bakuhub.web.contract import TOO_MANY_JOBS, file_response
from bakuhub.web.deps import PrincipalDep, SessionDep
from bakuhub.web.routes.jobs import RunnerDep

router = APIRouter(prefix="/sweeps", tags=["sweeps"])
BATCH = r"^[A-Za-z0-9][A-Za-z0-9._@:+-]*$"
Batch = Annotated[
    str, Path(min_length=1, max_length=120, pattern=BATCH, description="The sweep's batch label.")
]


def may_run(principal: PrincipalDep) -> Principal:
    """Dependency: an analyst (focal point or above), checked before the body is read."""
    return access.check_may_submit(principal)


def signed_in(principal: PrincipalDep) -> Principal:
    """Dependency: a signed-in user (who may cancel own sweeps)."""
    return require(principal, Role.viewer, _("cancel a sweep"))


class FieldOut(BaseModel):
    """A scenario field a sweep may vary."""

    path: str
    label: str
    kind: str = Field(description="number, integer (grid only) or choice (grid only)")
    low: float | None
    high: float | None
    choices: list[str | int]


class SweepRunOut(BaseModel):
    """One run of a sweep."""

    run: int
    job_id: int
    params: dict[str, Any] = Field(description="The values of the varied fields.")
    state: str
    progress: float = Field(description="Share of the run's stages done, 0 to 1.")
    ahead: int | None = Field(description="Queued jobs ahead of this one (queued runs only).")
    cached: bool
    seconds: float | None
    figures: dict[str, float | None] = Field(description="Key results (units in the names).")
    message: str | None = Field(description="The last progress line (signed-in readers).")
    error: str | None = Field(description="Why the run failed (signed-in readers).")


class SweepOut(BaseModel):
    """A sweep: its runs with progress, place in the queue and results."""

    batch: str
    name: str
    base: str
    created_by: str | None = Field(description="Its author (signed-in readers).")
    created_at: UtcDateTime
    varied: list[str]
    counts: dict[str, int]
    progress: float
    active: bool
    runs: list[SweepRunOut]


class SweepListedOut(BaseModel):
    """A sweep as listed."""

    batch: str
    created_by: str | None
    created_at: UtcDateTime
    runs: int
    progress: float
    active: bool
    counts: dict[str, int]


def sweep_out(view: SweepView, *, full: bool) -> SweepOut:
    """A sweep as the API answers it (redacted unless ``full``)."""
    runs = [
        SweepRunOut(
            run=r.number,
            job_id=r.job.id,
            params=r.params,
            state=r.job.state,
            progress=r.job.progress,
            ahead=r.ahead,
            cached=r.job.cached,
            seconds=r.job.seconds,
            figures=r.figures,
            message=r.job.message if full else None,
            error=r.job.error if full else None,
        )
        for r in view.runs
    ]
    return SweepOut(
        batch=view.batch,
        name=view.name,
        base=view.base,
        created_by=view.created_by if full else None,
        created_at=view.created_at,
        varied=view.varied,
        counts=view.counts,
        progress=view.progress,
        active=view.active,
        runs=runs,
    )


@router.get("/fields", summary="The scenario fields a sweep of a base scenario may vary")
def list_sweep_fields(
    base: str = Query(max_length=80, description="A shipped scenario's name."),
) -> list[FieldOut]:
    found = sweep_fields(base_scenario(base))
    return [
        FieldOut(
            path=f.path, label=f.label, kind=f.kind, low=f.low, high=f.high, choices=[*f.choices]
        )
        for f in found.values()
    ]


@router.post(
    "",
    summary="Run a sweep: one corridor study per run, as jobs",
    status_code=202,
    responses=TOO_MANY_JOBS,
)
def submit_sweep(
    body: SweepIn,
    who: Annotated[Principal, Depends(may_run)],
    session: SessionDep,
    runner: RunnerDep,
) -> SweepOut:
    base = base_scenario(body.base)
    batch = in_session(
        session,
        lambda: submit_request(
            session=session, request=body, base=base, runner=runner, user=who.username
        ),
    )
    return sweep_out(read_sweep(session=session, batch=batch), full=True)


@router.get("", summary="Sweeps (batches of jobs), newest first")
def list_sweeps(
    session: SessionDep,
    principal: PrincipalDep,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=2**31 - 1),
) -> list[SweepListedOut]:
    full = access.full_view(principal)
    return [
        SweepListedOut(
            batch=s.batch,
            created_by=s.created_by if full else None,
            created_at=s.created_at,
            runs=s.runs,
            progress=s.progress,
            active=s.active,
            counts=s.counts,
        )
        for s in sweep_batches.list_sweeps(session=session, limit=limit, offset=offset)
    ]


@router.get("/{batch}", summary="A sweep: each run's progress, place in the queue, results")
def get_sweep(batch: Batch, session: SessionDep, principal: PrincipalDep) -> SweepOut:
    return sweep_out(read_sweep(session=session, batch=batch), full=access.full_view(principal))


@router.get(
    "/{batch}/results.csv",
    summary="A sweep's results table as CSV",
    response_class=Response,
    responses=file_response("text/csv", description="The results table (CSV, UTF-8)."),
)
def get_sweep_results_csv(batch: Batch, session: SessionDep, principal: PrincipalDep) -> Response:
    view = read_sweep(session=session, batch=batch)
    text = table_csv(view, full=access.full_view(principal))
    name = re.sub(r"[^A-Za-z0-9._-]", "-", batch)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="sweep-{name}.csv"'},
    )


@router.post(
    "/{batch}/cancel", summary="Cancel a sweep's queued and running runs (your own; staff any)"
)
def cancel_sweep(
    batch: Batch,
    who: Annotated[Principal, Depends(signed_in)],
    session: SessionDep,
    runner: RunnerDep,
) -> SweepOut:
    in_session(
        session,
        lambda: sweep_batches.cancel_sweep(
            session=session, batch=batch, principal=who, runner=runner
        ),
    )
    return sweep_out(read_sweep(session=session, batch=batch), full=True)
