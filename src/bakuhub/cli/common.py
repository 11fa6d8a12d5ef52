"""Shared plumbing of the CLI: settings, sessions, user errors as messages."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlalchemy.orm import Session

from bakuhub.config import get_settings
from bakuhub.db import make_engine, make_sessionmaker, session_scope
from bakuhub.errors import BakuhubError


def run_user_errors(app: typer.Typer) -> int:
    """Run the app; a user's mistake prints one sentence and a non-zero exit code."""
    try:
        result = app(prog_name="bakuhub", standalone_mode=False)
    except BakuhubError as exc:
        typer.secho(f"error: {exc.message}", err=True, fg=typer.colors.RED)
        return exc.exit_code
    except typer.Abort:
        typer.echo("aborted", err=True)
        return 1
    except SystemExit as exc:
        return int(exc.code or 0)
    except typer.TyperException as exc:  # usage errors: unknown command, bad option value
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            typer.echo(f"error: {exc}", err=True)
        code = getattr(exc, "exit_code", 2)
        return code if isinstance(code, int) else 2
    # typer.Exit(code) is returned, not raised, when standalone_mode is off
    return result if isinstance(result, int) else 0


@contextmanager
def cli_session() -> Iterator[Session]:
    """A committed-on-success session on the configured database."""
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.effective_database_url)
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            yield session
    finally:
        engine.dispose()


def cli_author() -> str:
    """Who makes a change from the command line."""
    return os.environ.get("BAKUHUB_AUTHOR") or f"cli:{getpass.getuser()}"
