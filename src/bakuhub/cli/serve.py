"""``bakuhub serve``: prepare the database and start the web server."""

from __future__ import annotations

import gc
import logging
from typing import TYPE_CHECKING, Any

import typer

from bakuhub.config import get_settings

if TYPE_CHECKING:
    from fastapi import FastAPI


def serve(
    host: str = typer.Option(None, help="Address to listen on (default: BAKUHUB_HOST)."),
    port: int = typer.Option(None, help="Port (default: BAKUHUB_PORT)."),
    workers: int = typer.Option(
        None,
        min=1,
        max=64,
        help="Server processes (default: BAKUHUB_WORKERS, 1). More than one needs a Dask "
        "scheduler of its own (BAKUHUB_DASK_SCHEDULER).",
    ),
) -> None:
    import uvicorn

    from bakuhub.startup import prepare
    from bakuhub.web.app import create_app

    settings = get_settings()
    processes = workers or settings.workers
    if processes > 1 and not settings.dask_scheduler:
        typer.echo(
            f"workers: {processes} server processes need a Dask scheduler they share "
            "(set BAKUHUB_DASK_SCHEDULER, e.g. tcp://127.0.0.1:8786, and start 'dask "
            "scheduler' and 'dask worker' there): each process would otherwise start its "
            "own job cluster and re-run the same unfinished jobs. Or serve with one process.",
            err=True,
        )
        raise typer.Exit(2)
    # warnings of bakuhub and its libraries (e.g. an unset secret key) read like
    # uvicorn's own lines; uvicorn configures only its own loggers
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s:  %(message)s")
    messages = prepare(settings)
    for line in messages:
        typer.echo(line)
    if settings.reference_study:
        from bakuhub.corridor.study_store import ensure_reference_study

        if ensure_reference_study(settings.data_dir) is not None:
            typer.echo(
                "solving the reference corridor study in the background "
                "(results at /api/v1/corridor/studies)"
            )
    url = f"http://{host or settings.host}:{port or settings.port}"
    typer.echo(f"bakuhub is serving at {url} (API docs: {url}/api/v1/docs)")
    where: dict[str, Any] = {
        "host": host or settings.host,
        "port": port or settings.port,
        "log_level": settings.log_level,
        "proxy_headers": False,  # X-Forwarded-For counts only from BAKUHUB_TRUSTED_PROXIES
    }
    if processes > 1:
        # each process builds its app from the same environment (``server_app``)
        uvicorn.run("bakuhub.cli.serve:server_app", factory=True, workers=processes, **where)
    else:
        uvicorn.run(server_app(create_app(settings)), **where)


def server_app(app: FastAPI | None = None) -> FastAPI:
    """The app one server process serves (built from the environment unless given).

    Objects made while starting (libraries, tables, the app) live as long as the
    process: they are kept out of the garbage collector's full passes, which otherwise
    walk them all and show up as 50-100 ms pauses in request latency.
    """
    if app is None:
        from bakuhub.web.app import create_app

        app = create_app(get_settings())
    gc.collect()
    gc.freeze()
    return app
