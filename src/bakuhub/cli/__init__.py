"""The ``bakuhub`` command line: one command group per domain."""

from __future__ import annotations

import importlib
import sys

import typer

from bakuhub.cli import db as db_cli
from bakuhub.cli import registry as registry_cli
from bakuhub.cli.common import run_user_errors
from bakuhub.cli.serve import serve

app = typer.Typer(
    help="bakuhub: the COP29 Baku partnerships platform (Hub record, risk index, energy corridor).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command(
    help="Start the web platform (creates, migrates and seeds the database on first start)."
)(serve)
app.add_typer(db_cli.app, name="db")
app.add_typer(registry_cli.app, name="registry")

OPTIONAL_GROUPS = {
    "corridor": "bakuhub.cli.corridor",
    "risk": "bakuhub.cli.risk",
    "results": "bakuhub.cli.results",
    "iati": "bakuhub.cli.iati",
    "jobs": "bakuhub.cli.jobs",
    "users": "bakuhub.cli.users",
}
for _name, _module in OPTIONAL_GROUPS.items():
    try:
        app.add_typer(importlib.import_module(_module).app, name=_name)
    except ModuleNotFoundError as _exc:
        if _exc.name != _module:
            raise


def main() -> None:
    """Entry point of the ``bakuhub`` script."""
    sys.exit(run_user_errors(app))
