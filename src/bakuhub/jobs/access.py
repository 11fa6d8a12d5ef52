"""Who may run, cancel and read which jobs: one place for the API and the pages.

- Anonymous readers see a job redacted (:class:`bakuhub.jobs.schemas.JobPublic`): its
  title, state, progress and result, never its author, worker, inputs, log or error.
- Signed-in users (viewer and above) read every job in full.
- Analysts (focal points, the secretariat, administrators) submit studies; a viewer
  reads them.
- A user cancels its own jobs; the secretariat and administrators cancel any.
- A user has at most ``BAKUHUB_JOBS_PER_USER`` jobs queued or running at once, and of
  these at most :data:`HEAVY_PER_USER` at a fine resolution (:data:`HEAVY_SNAPSHOTS`
  snapshots or more: hourly, 2h, ``segments:4380``...). A study answered from the
  result store, or joining an identical queued or running job, adds no work and is
  never refused. The command line (the operator's) has no limit.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bakuhub.accounts.permissions import Forbidden, Principal, Role, require
from bakuhub.errors import BakuhubError
from bakuhub.i18n import _, number
from bakuhub.jobs.kinds import HEAVY_SNAPSHOTS, is_heavy
from bakuhub.jobs.models import ACTIVE, Job

HEAVY_PER_USER = 1
"""Heavy studies one user may have queued or running at once."""


class TooManyJobs(BakuhubError):
    """A user already has as many jobs queued or running as allowed (HTTP 429)."""

    status_code = 429
    exit_code = 4


@dataclass(frozen=True)
class Quota:
    """How many active jobs ``user`` may have (``heavy`` of them at a fine resolution)."""

    user: str
    limit: int
    heavy: int = HEAVY_PER_USER


def check_may_submit(principal: Principal | None) -> Principal:
    """The principal if it may queue a study (focal point or above), else 401/403."""
    return require(principal, Role.focal_point, _("run a corridor study as a job"))


def check_may_cancel(principal: Principal | None, job: Job) -> Principal:
    """The principal if it may cancel ``job``: its author, or the secretariat."""
    who = require(principal, Role.viewer, _("cancel a job"))
    if not who.is_staff and job.created_by != who.username:
        raise Forbidden(
            _(
                "Job {job} was submitted by someone else; you can cancel only your own "
                "jobs (the secretariat can cancel any)."
            ).format(job=job.id)
        )
    return who


def full_view(principal: Principal | None) -> bool:
    """Whether the principal sees jobs in full (author, worker, inputs, log)."""
    return principal is not None


def check_quota(session: Session, quota: Quota, *, heavy: bool) -> None:
    """``TooManyJobs`` when a new job of ``quota.user`` would pass a limit."""
    active = select(func.count()).where(Job.created_by == quota.user, Job.state.in_(ACTIVE))
    count = int(session.scalar(active) or 0)
    if count >= quota.limit:
        raise TooManyJobs(
            _(
                "You already have {count} jobs queued or running (at most {limit} at "
                "once); wait for one to finish or cancel one, then submit again."
            ).format(count=count, limit=quota.limit)
        )
    if not heavy:
        return
    jobs = session.scalars(select(Job).where(Job.created_by == quota.user, Job.state.in_(ACTIVE)))
    if sum(is_heavy(j.kind, j.inputs) for j in jobs) >= quota.heavy:
        raise TooManyJobs(
            _(
                "You already have {count} fine-resolution study queued or running (hourly "
                "or about {snapshots} snapshots and more); wait for it to finish, or "
                "use a coarser resolution such as repdays or segments:48."
            ).format(count=quota.heavy, snapshots=number(HEAVY_SNAPSHOTS))
        )
