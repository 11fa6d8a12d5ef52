"""``bakuhub jobs list|show|cancel``: long work recorded in the database, run on Dask."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from bakuhub.cli.common import cli_author, cli_session

if TYPE_CHECKING:
    from bakuhub.jobs.schemas import JobOut

app = typer.Typer(
    help="Long work (corridor studies, sweeps) run on Dask: list, show and cancel jobs.",
    no_args_is_help=True,
)
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def _when(job: JobOut) -> str:
    return job.created_at.strftime("%Y-%m-%d %H:%M")


@app.command("list")
def list_jobs(
    state: Annotated[str | None, typer.Option(help="queued, running, succeeded...")] = None,
    kind: Annotated[str | None, typer.Option(help="e.g. corridor.study")] = None,
    batch: Annotated[str | None, typer.Option(help="Only the jobs of one sweep")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first")] = 50,
    as_json: AsJson = False,
) -> None:
    """List jobs, newest first."""
    from bakuhub.jobs import service
    from bakuhub.jobs.schemas import job_out

    with cli_session() as session:
        found = service.list_jobs(session=session, state=state, kind=kind, batch=batch, limit=limit)
        jobs = [job_out(j) for j in found]
        if as_json:
            typer.echo(json.dumps([j.model_dump(mode="json") for j in jobs], indent=2))
            return
        if not jobs:
            typer.echo("no jobs")
            return
        typer.echo(f"{'id':>6}  {'state':<10} {'done':>5}  {'created':<16}  {'s':>7}  title")
        for job in jobs:
            seconds = "" if job.seconds is None else f"{job.seconds:.1f}"
            cached = " (stored result)" if job.cached else ""
            typer.echo(
                f"{job.id:>6}  {job.state:<10} {job.progress:>5.0%}  {_when(job):<16}  "
                f"{seconds:>7}  {job.title}{cached}"
            )


@app.command()
def show(job_id: int, as_json: AsJson = False) -> None:
    """Show one job: inputs, state, progress log, error or result."""
    from bakuhub.jobs import service
    from bakuhub.jobs.schemas import job_on_server

    with cli_session() as session:
        job = job_on_server(service.get_job(session=session, job_id=job_id))
        if as_json:
            detail = job.model_dump(mode="json", exclude={"result_location"})
            typer.echo(json.dumps(detail, indent=2))
            return
        typer.echo(f"job {job.id}: {job.title} ({job.kind})")
        typer.echo(f"  state      {job.state}, {job.progress:.0%} - {job.message}")
        typer.echo(f"  attempts   {job.attempts} of {job.max_attempts}")
        typer.echo(f"  inputs     sha256 {job.input_hash}")
        typer.echo(f"  created    {_when(job)} by {job.created_by}")
        if job.seconds is not None:
            typer.echo(f"  time       {job.seconds:.1f} s on {job.worker or '-'}")
        if job.batch:
            typer.echo(f"  batch      {job.batch}")
        if job.error:
            typer.echo(f"  error      {job.error}")
        if job.result_location is not None:
            typer.echo(f"  result     {job.result_location}" + (" (stored)" if job.cached else ""))
        if job.log:
            typer.echo("  log:")
            for line in job.log.splitlines():
                typer.echo(f"    {line}")


@app.command()
def cancel(job_id: int) -> None:
    """Cancel a queued or running job (a running one stops at its next stage)."""
    from bakuhub.config import get_settings
    from bakuhub.db import make_engine, make_sessionmaker
    from bakuhub.jobs import JobRunner, service
    from bakuhub.jobs.retry import transaction

    settings = get_settings()
    # with a remote scheduler the Dask task is dropped too; a server's local cluster
    # sees the cancellation in the database at the job's next progress line
    runner = JobRunner.from_settings(settings) if settings.dask_scheduler else None
    engine = make_engine(settings.effective_database_url)
    try:
        job = transaction(
            make_sessionmaker(engine),
            lambda s: service.cancel(session=s, job_id=job_id, runner=runner, by=cli_author()),
        )
        typer.echo(f"job {job.id} cancelled ({job.title})")
    finally:
        engine.dispose()
        if runner is not None:
            runner.close()
