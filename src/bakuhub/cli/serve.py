"""``bakuhub serve``: prepare the database and start the web server."""

from __future__ import annotations

import gc
import logging

import typer

from bakuhub.config import get_settings


def serve(
    host: str = typer.Option(None, help="Address to listen on (default: BAKUHUB_HOST)."),
    port: int = typer.Option(None, help="Port (default: BAKUHUB_PORT)."),
) -> None:
    import uvicorn

    from bakuhub.startup import prepare
    from bakuhub.web.app import create_app

    settings = get_settings()
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
    app = create_app(settings)
    url = f"http://{host or settings.host}:{port or settings.port}"
    typer.echo(f"bakuhub is serving at {url} (API docs: {url}/api/v1/docs)")
    # Objects made while starting (libraries, tables, the app) live as long as the
    # process: keep them out of the garbage collector's full passes, which otherwise
    # walk them all and show up as 50-100 ms pauses in request latency.
    gc.collect()
    gc.freeze()
    uvicorn.run(
        app,
        host=host or settings.host,
        port=port or settings.port,
        log_level=settings.log_level,
        proxy_headers=False,  # X-Forwarded-For counts only from BAKUHUB_TRUSTED_PROXIES (app)
    )
