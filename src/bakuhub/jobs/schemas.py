"""API payloads of jobs: what to submit, and what a job looks like."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from bakuhub.jobs.models import STATES as STATES  # re-exported for the interfaces' filters
from bakuhub.jobs.models import Job
from bakuhub.timestamps import UtcDateTime


class StudyJobIn(BaseModel):
    """A corridor study to run as a job."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["corridor.study"] = "corridor.study"
    scenario: Annotated[str, Field(max_length=200)] | dict[str, Any] = Field(
        description="A shipped scenario name (e.g. reference-2030) or a full scenario "
        "mapping, as in a scenario YAML file (without server paths: weather.source "
        "'shipped' only; solver options from the allowed set)."
    )
    resolution: str | None = Field(
        default=None,
        max_length=32,
        description="Override: hourly, Nh, repdays[:K][/S] (S segments a day) or segments:N.",
    )
    counterfactual: bool = Field(
        default=False, description="Also solve without the Caspian cable (for CO2 avoided)."
    )
    batch: str | None = Field(default=None, max_length=120, description="A label grouping jobs.")


class ResultOut(BaseModel):
    """The stored result of a job."""

    model_config = ConfigDict(from_attributes=True)

    input_hash: str
    compute_seconds: float
    created_at: UtcDateTime
    summary: dict[str, Any]


class JobPublic(BaseModel):
    """A job as the public sees it: what it is, where it stands, and its result; never
    who submitted it, where it ran, its exact inputs, its log or its error."""

    model_config = ConfigDict(from_attributes=True, extra="forbid")

    id: int
    kind: str
    title: str
    state: str
    progress: float = Field(description="Share of the job's stages done, 0 to 1.")
    cached: bool = Field(description="The result was taken from the store, not computed.")
    created_at: UtcDateTime
    started_at: UtcDateTime | None
    finished_at: UtcDateTime | None
    seconds: float | None = Field(description="Wall time of the last attempt, s.")


class JobPublicDetail(JobPublic):
    """A job as the public sees it, with its result when succeeded."""

    result: ResultOut | None


class JobOut(BaseModel):
    """A job as listed (signed-in readers): what it is and where it stands."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    title: str
    batch: str | None
    input_hash: str
    state: str
    progress: float = Field(description="Share of the job's stages done, 0 to 1.")
    message: str = Field(description="The last progress line.")
    attempts: int
    max_attempts: int
    cached: bool = Field(description="The result was taken from the store, not computed.")
    error: str | None
    worker: str | None
    created_by: str
    created_at: UtcDateTime
    started_at: UtcDateTime | None
    finished_at: UtcDateTime | None
    seconds: float | None = Field(description="Wall time of the last attempt, s.")


class JobDetail(JobOut):
    """A job with its exact inputs, its progress log and (when succeeded) its result."""

    inputs: dict[str, Any]
    log: str
    result: ResultOut | None


class JobCounts(BaseModel):
    """How many jobs are in each state (every state named, zeros included)."""

    queued: int
    running: int
    succeeded: int
    failed: int
    cancelled: int


class JobResultOut(BaseModel):
    """A succeeded job's summary and the names of its result files."""

    job_id: int
    summary: dict[str, Any] = Field(
        description="The summary the job's kind wrote (a corridor study's: units in the key "
        "names); empty until the job has succeeded."
    )
    files: list[str] = Field(description="Paths of the result files, e.g. report.html.")


class JobOnServer(JobDetail):
    """A job in full and where its result files lie: for the operator's command line,
    never an API answer (server paths are not for the web)."""

    result_location: str | None = Field(description="Folder of the result files.")


def job_out(job: Job) -> JobOut:
    """A job as listed, in full."""
    return JobOut.model_validate(job)


def job_detail(job: Job) -> JobDetail:
    """A job in full."""
    return JobDetail.model_validate(job)


def job_on_server(job: Job) -> JobOnServer:
    """A job in full with its result folder (command line only)."""
    location = None if job.result is None else job.result.location
    return JobOnServer(**job_detail(job).model_dump(), result_location=location)


def listed_view(job: Job, *, full: bool) -> JobOut | JobPublic:
    """A job as listed, redacted unless ``full`` (see :mod:`bakuhub.jobs.access`)."""
    return job_out(job) if full else JobPublic.model_validate(job)


def detail_view(job: Job, *, full: bool) -> JobDetail | JobPublicDetail:
    """A job in detail, redacted unless ``full``."""
    return job_detail(job) if full else JobPublicDetail.model_validate(job)
