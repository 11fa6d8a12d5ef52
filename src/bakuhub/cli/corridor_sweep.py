"""``bakuhub corridor sweep SWEEP.yaml``: run scenario variants as jobs on Dask and
write one table of their key results and a chart of how they vary."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from bakuhub.jobs.schemas import JobOut


def _say(line: str) -> None:
    typer.echo(f"[{time.strftime('%H:%M:%S')}] {line}", err=True)


def sweep(
    sweep_file: Annotated[Path, typer.Argument(help="Sweep YAML file (see datasets/sweeps)")],
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: "
            "BAKUHUB_DASK_SCHEDULER, else a local cluster)"
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="Worker processes of the local cluster (default: CPUs)"),
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Output folder (default sweeps/NAME)")] = None,
    timeout: Annotated[
        float | None, typer.Option(help="Give up (and cancel) after this many seconds")
    ] = None,
) -> None:
    """Run every variant of a sweep as a job; write results.csv and chart.html.

    Variants computed before (same scenario, same bakuhub version) come from the
    result store at once. Ctrl-C cancels the sweep's unfinished jobs.
    """
    from bakuhub.cli.common import cli_author
    from bakuhub.config import get_settings
    from bakuhub.db import make_engine, make_sessionmaker
    from bakuhub.jobs import JobRunner
    from bakuhub.jobs.runner import results_dir
    from bakuhub.jobs.sweep import load_sweep, run_sweep, variants
    from bakuhub.migrate import upgrade

    spec, base = load_sweep(sweep_file)
    count = len(variants(spec, base))
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.effective_database_url)
    upgrade(engine)
    runner = JobRunner(
        database_url=settings.effective_database_url,
        results_dir=results_dir(settings),
        scheduler=scheduler or settings.dask_scheduler or None,
        workers=workers,
    )
    target = out or Path("sweeps") / spec.name
    _say(f"sweep {spec.name}: {count} variants of {base.name} on {runner.describe()}")
    finished: set[int] = set()

    def on_change(job: JobOut) -> None:
        if job.state in ("succeeded", "failed", "cancelled") and job.id not in finished:
            finished.add(job.id)
            how = "from the store" if job.cached else f"in {job.seconds or 0:.1f} s"
            detail = f": {job.error}" if job.error else ""
            _say(f"[{len(finished)}/{count}] {job.title}: {job.state} {how}{detail}")

    try:
        done = run_sweep(
            session_factory=make_sessionmaker(engine),
            spec=spec,
            base=base,
            runner=runner,
            out=target,
            created_by=cli_author(),
            on_change=on_change,
            timeout=timeout,
        )
    except KeyboardInterrupt:
        _say("interrupted: the sweep's unfinished jobs are cancelled")
        raise typer.Exit(130) from None
    except TimeoutError as exc:
        typer.secho(f"error: {exc}; the sweep's unfinished jobs are cancelled.", err=True)
        raise typer.Exit(1) from None
    finally:
        runner.close()
        engine.dispose()
    typer.echo(done.table.drop(columns=["error"]).to_string(index=False, float_format="%.3g"))
    typer.echo(f"batch {done.batch}: {len(done.jobs) - len(done.failed)} of {count} succeeded")
    typer.echo(f"wrote {', '.join(str(f) for f in done.files)}")
    if done.failed:
        typer.echo(
            f"{len(done.failed)} variant(s) did not succeed; see 'bakuhub jobs show ID'.", err=True
        )
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``sweep`` to the ``corridor`` command group."""
    app.command("sweep")(sweep)
