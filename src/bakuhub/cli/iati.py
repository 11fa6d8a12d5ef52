"""``bakuhub iati``: export projects as IATI 2.03, import IATI activities files."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from bakuhub.cli.common import cli_author, cli_session
from bakuhub.errors import InvalidInput

app = typer.Typer(
    help="IATI 2.03 exchange: export projects, import activities files, validate.",
    no_args_is_help=True,
)

SCHEMA_HELP = "Folder of the IATI 2.03 schemas (default: the copy shipped with bakuhub)."


@app.command("export", help="Write projects (all, or each --project) as an IATI activities file.")
def export(
    project: list[str] = typer.Option([], "--project", "-p", help="Project ref, repeatable."),
    out: Path | None = typer.Option(None, "--out", "-o", help="File to write (default stdout)."),
    validate: bool = typer.Option(False, "--validate", help="Check against the 2.03 schema."),
    schema: Path | None = typer.Option(None, help=SCHEMA_HELP),
) -> None:
    from bakuhub.results.iati_export import export_activities
    from bakuhub.results.iati_schema import check_valid

    with cli_session() as session:
        result = export_activities(session=session, project_refs=project or None)
    if validate:
        check_valid(result.xml, schema)
    if out is None:
        typer.echo(result.xml.decode("utf-8"), nl=False)
    else:
        out.write_bytes(result.xml)
        typer.echo(f"wrote {out}: {result.activities} activities", err=True)
    for note in result.notes:
        typer.echo(f"note: {note}", err=True)


@app.command("import", help="Import an IATI activities file: every activity or none.")
def import_(
    path: Path,
    as_json: bool = typer.Option(False, "--json", help="Print the full report as JSON."),
) -> None:
    from bakuhub.results.iati_import import import_activities

    if not path.is_file():
        raise InvalidInput(f"There is no file {path}; give the path of an IATI XML file.")
    with cli_session() as session:
        report = import_activities(session=session, xml=path.read_bytes(), author=cli_author())
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=2, default=str))
        return
    typer.echo(
        f"imported {path}: {len(report.created)} created, {len(report.updated)} updated, "
        f"{len(report.parties_created)} organisations added"
    )
    for activity in report.activities:
        mapped = ", ".join(f"{k} {v}" for k, v in activity["mapped"].items())
        typer.echo(f"{activity['identifier']} -> {activity['project']}: {mapped}")
        for skip in activity["skipped"]:
            typer.echo(f"  skipped {skip['element']}: {skip['reason']}")
        for note in activity["notes"]:
            typer.echo(f"  note: {note}")


@app.command(help="Check an IATI activities file against the official 2.03 schema.")
def validate(path: Path, schema: Path | None = typer.Option(None, help=SCHEMA_HELP)) -> None:
    from bakuhub.results.iati_schema import check_valid

    if not path.is_file():
        raise InvalidInput(f"There is no file {path}; give the path of an IATI XML file.")
    check_valid(path.read_bytes(), schema)
    typer.echo(f"{path} validates against IATI 2.03")
