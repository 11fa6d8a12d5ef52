"""``bakuhub db``: migrate and seed the database."""

from __future__ import annotations

import typer

from bakuhub.cli.common import cli_author, cli_session
from bakuhub.config import get_settings
from bakuhub.db import make_engine

app = typer.Typer(help="Create, migrate and seed the database.", no_args_is_help=True)


@app.command(help="Apply every migration (creates the database if it does not exist).")
def upgrade() -> None:
    from bakuhub.migrate import upgrade as run_upgrade

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.effective_database_url)
    run_upgrade(engine)
    engine.dispose()
    typer.echo(f"database is up to date: {engine.url.render_as_string(hide_password=True)}")


@app.command(
    help="Load records; --demo loads the public COP29 record (running it twice changes nothing)."
)
def seed(demo: bool = typer.Option(False, "--demo", help="Load the demo record.")) -> None:
    from bakuhub.registry.seed import seed_demo

    if not demo:
        typer.echo("nothing to seed: pass --demo to load the demo record")
        raise typer.Exit(1)
    with cli_session() as session:
        report = seed_demo(session=session, author=cli_author())
    typer.echo(
        f"demo record: {report.created} created, {report.unchanged} already present, "
        f"{report.corrected} given source addresses"
    )
