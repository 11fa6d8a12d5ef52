"""A sweep read back from its batch of jobs (whatever started it: the page, the API,
``bakuhub corridor sweep``): each run's values, state, progress and place in the
queue, its key results (:data:`bakuhub.jobs.sweep.FIGURES`), the whole as a table
and as CSV; the list of sweeps; cancelling a sweep's unfinished runs.

The fields shown for each run are the scenario fields whose values differ between
the batch's runs (read from each job's exact inputs, not from its title).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from bakuhub.accounts.permissions import Principal, Role, require
from bakuhub.errors import Conflict, NotFound
from bakuhub.i18n import _
from bakuhub.jobs import access, service
from bakuhub.jobs.models import ACTIVE, STATES, SUCCEEDED, Job
from bakuhub.jobs.sweep import FIGURES

if TYPE_CHECKING:
    from bakuhub.jobs.runner import JobRunner

MAX_LISTED = 1000
"""Most runs read for one sweep (a command-line sweep has at most 1,000)."""


@dataclass
class Run:
    """One run of a sweep: its job, the values it sets, its place and its results."""

    number: int
    job: Job
    params: dict[str, Any]
    ahead: int | None
    figures: dict[str, float | None]


@dataclass
class SweepView:
    """A sweep as read from its batch."""

    batch: str
    base: str
    created_by: str
    created_at: dt.datetime
    varied: list[str]
    runs: list[Run]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The name given to the sweep (the batch label before its ``@``)."""
        return self.batch.split("@", 1)[0]

    @property
    def active(self) -> bool:
        """Whether a run is still queued or running."""
        return any(self.counts.get(state, 0) for state in ACTIVE)

    @property
    def progress(self) -> float:
        """Mean progress of the runs, 0 to 1."""
        return sum(r.job.progress for r in self.runs) / len(self.runs)


def _leaves(data: Any, prefix: str = "") -> dict[str, Any]:
    """Scenario data as ``{dotted path: value}`` (lists kept whole)."""
    if not isinstance(data, dict):
        return {prefix: data}
    out: dict[str, Any] = {}
    for key, value in data.items():
        out.update(_leaves(value, f"{prefix}.{key}" if prefix else str(key)))
    return out


def _varied(flat: list[dict[str, Any]]) -> list[str]:
    """The paths whose values differ between runs, in the order of the first run."""
    paths = list(dict.fromkeys(p for leaves in flat for p in leaves))
    missing = object()
    return [p for p in paths if len({repr(leaves.get(p, missing)) for leaves in flat}) > 1]


def _figures(job: Job) -> dict[str, float | None]:
    summary = job.result.summary if job.state == SUCCEEDED and job.result is not None else None
    out: dict[str, float | None] = {}
    for name, get in FIGURES.items():
        try:
            out[name] = None if summary is None else float(get(summary))
        except (KeyError, TypeError, ValueError, AttributeError):
            out[name] = None
    return out


def _jobs(session: Session, batch: str) -> list[Job]:
    jobs = list(
        session.scalars(select(Job).where(Job.batch == batch).order_by(Job.id).limit(MAX_LISTED))
    )
    if not jobs:
        raise NotFound(
            _(
                "There is no sweep '{batch}'; the sweeps are listed on /corridor/sweeps and by "
                "GET /api/v1/sweeps."
            ).format(batch=batch)
        )
    return jobs


def read_sweep(*, session: Session, batch: str) -> SweepView:
    """The sweep of ``batch``: its runs in the order submitted, or ``NotFound``."""
    jobs = _jobs(session, batch)
    flat = [_leaves((j.inputs or {}).get("scenario", {})) for j in jobs]
    varied = _varied(flat)
    ahead = service.queue_positions(session=session, job_ids=[j.id for j in jobs])
    runs = [
        Run(n, job, {p: leaves.get(p) for p in varied}, ahead.get(job.id), _figures(job))
        for n, (job, leaves) in enumerate(zip(jobs, flat, strict=True), start=1)
    ]
    counts = dict.fromkeys(STATES, 0)
    for job in jobs:
        counts[job.state] += 1
    return SweepView(
        batch=batch,
        base=str(flat[0].get("name", "")),
        created_by=jobs[0].created_by,
        created_at=jobs[0].created_at,
        varied=varied,
        runs=runs,
        counts=counts,
    )


@dataclass(frozen=True)
class SweepListed:
    """A sweep as listed: its batch, author, date, and how many runs stand where."""

    batch: str
    created_by: str
    created_at: dt.datetime
    runs: int
    progress: float
    counts: dict[str, int]

    @property
    def active(self) -> bool:
        """Whether a run is still queued or running."""
        return any(self.counts.get(state, 0) for state in ACTIVE)


def list_sweeps(*, session: Session, limit: int = 50, offset: int = 0) -> list[SweepListed]:
    """Every batch of jobs (a sweep), newest first."""
    per_state = [func.sum(case((Job.state == s, 1), else_=0)) for s in STATES]
    rows = session.execute(
        select(
            Job.batch,
            func.min(Job.created_by),
            func.min(Job.created_at),
            func.count(),
            func.avg(Job.progress),
            *per_state,
        )
        .where(Job.batch.is_not(None))
        .group_by(Job.batch)
        .order_by(func.max(Job.id).desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [
        SweepListed(
            batch=str(row[0]),
            created_by=str(row[1]),
            created_at=row[2],
            runs=int(row[3]),
            progress=float(row[4] or 0.0),
            counts={s: int(n or 0) for s, n in zip(STATES, row[5:], strict=True)},
        )
        for row in rows
    ]


def cancel_sweep(
    *, session: Session, batch: str, principal: Principal | None, runner: JobRunner | None
) -> int:
    """Cancel every queued or running run of the sweep; how many were cancelled.

    All or nothing: a user who may not cancel one of them (another's run, unless the
    user is of the secretariat) cancels none.
    """
    jobs = [j for j in _jobs(session, batch) if j.state in ACTIVE]
    who = require(principal, Role.viewer, _("cancel a sweep"))
    for job in jobs:
        access.check_may_cancel(principal, job)
    if not jobs:
        raise Conflict(
            _("Sweep {batch} has no queued or running run left to cancel.").format(batch=batch)
        )
    for job in jobs:
        service.cancel(session=session, job_id=job.id, runner=runner, by=who.username)
    return len(jobs)


def _cell(value: Any) -> Any:
    """A CSV cell; text that a spreadsheet would run as a formula is quoted with '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def columns(view: SweepView, *, full: bool) -> list[str]:
    """The table's columns: run, the varied fields, state, results (units in names)."""
    head = ["run", *view.varied, "job_id", "state", "cached", "seconds", *FIGURES]
    return [*head, "error"] if full else head


def rows(view: SweepView, *, full: bool) -> list[dict[str, Any]]:
    """One row per run (the error text for signed-in readers only)."""
    out = []
    for run in view.runs:
        job = run.job
        row: dict[str, Any] = {"run": run.number, **run.params}
        row.update(job_id=job.id, state=job.state, cached=job.cached, seconds=job.seconds)
        row.update(run.figures)
        if full:
            row["error"] = job.error or ""
        out.append(row)
    return out


def results_csv(view: SweepView, *, full: bool) -> str:
    """The results table as CSV (one row per run; numbers to 6 significant digits)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns(view, full=full), lineterminator="\n")
    writer.writeheader()
    for row in rows(view, full=full):
        writer.writerow(
            {k: f"{v:.6g}" if isinstance(v, float) else _cell(v) for k, v in row.items()}
        )
    return buffer.getvalue()
