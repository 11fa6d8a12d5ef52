"""Long work off the request path: jobs recorded in the database, run on Dask.

Public API (see docs/scaling.md)::

    from bakuhub.jobs import JobRunner, service
    runner = JobRunner.from_settings(settings)           # nothing starts yet
    job = service.submit_study(session=s, scenario=sc, runner=runner)
    # ... commit: the job goes to Dask (a local cluster starts on first use)
    service.wait(session_factory=f, job_ids=[job.id])
    runner.close()

Importing this package starts nothing and does not import Dask.
"""

from __future__ import annotations

from bakuhub.jobs import service
from bakuhub.jobs.kinds import CORRIDOR_STUDY
from bakuhub.jobs.models import (
    CANCELLED,
    FAILED,
    QUEUED,
    RUNNING,
    STATES,
    SUCCEEDED,
    Job,
    JobResult,
)
from bakuhub.jobs.runner import JobRunner

__all__ = [
    "CANCELLED",
    "CORRIDOR_STUDY",
    "FAILED",
    "QUEUED",
    "RUNNING",
    "STATES",
    "SUCCEEDED",
    "Job",
    "JobResult",
    "JobRunner",
    "service",
]
