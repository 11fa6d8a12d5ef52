"""The ``bakuhub`` command line: one command group per domain."""

from __future__ import annotations

import sys

import typer

from bakuhub.cli import corridor, iati, jobs, results, risk, users
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

# One way to wire a command group: import its module above and add it here.
for _name, _group in (
    ("corridor", corridor.app),
    ("risk", risk.app),
    ("results", results.app),
    ("iati", iati.app),
    ("jobs", jobs.app),
    ("users", users.app),
):
    app.add_typer(_group, name=_name)


def main() -> None:
    """Entry point of the ``bakuhub`` script."""
    sys.exit(run_user_errors(app))
