"""``bakuhub iati``: export projects as IATI 2.03, import IATI activities files."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from bakuhub.cli.common import cli_author, cli_session
from bakuhub.errors import InvalidInput
from bakuhub.iati.findings import SEVERITIES, Finding, blocking, counts

app = typer.Typer(
    help="IATI 2.03 exchange: export projects, import activities files, validate.",
    no_args_is_help=True,
)

SCHEMA_HELP = "Folder of the IATI 2.03 schemas (default: the copy shipped with bakuhub)."
CODELISTS_HELP = "Folder of IATI codelist XML files, e.g. a newer release (default: shipped)."
RULESET_HELP = "Folder holding the IATI standard.json ruleset, or the file (default: shipped)."


def _report(findings: list[Finding], as_json: bool, what: str) -> None:
    """Print findings grouped by severity; exit 1 when any is critical or an error."""
    if as_json:
        out = {"counts": counts(findings), "findings": [f.as_dict() for f in findings]}
        typer.echo(json.dumps(out, indent=2))
    else:
        for severity in SEVERITIES:
            group = [f for f in findings if f.severity == severity]
            if group:
                typer.echo(f"{severity} ({len(group)}):")
                for f in group:
                    typer.echo(f"  {f.message}")
        tally = ", ".join(f"{n} {s}" for s, n in counts(findings).items())
        typer.echo(f"{what}: {tally}", err=True)
    if blocking(findings):
        raise typer.Exit(1)


def _write(xml: bytes, out: Path | None, wrote: str, notes: list[str]) -> None:
    """The exported file to ``out`` (or stdout), then what was written and the notes on
    stderr."""
    if out is None:
        typer.echo(xml.decode("utf-8"), nl=False)
    else:
        out.write_bytes(xml)
        typer.echo(f"wrote {out}: {wrote}", err=True)
    for note in notes:
        typer.echo(f"note: {note}", err=True)


def _stderr_findings(findings: list[Finding]) -> None:
    """An export's findings on stderr (stdout may be the file); exit 1 when any blocks."""
    for f in findings:
        typer.echo(f"{f.severity}: {f.message}", err=True)
    if blocking(findings):
        raise typer.Exit(1)


@app.command("export", help="Write projects (all, or each --project) as an IATI activities file.")
def export(
    project: list[str] = typer.Option([], "--project", "-p", help="Project ref, repeatable."),
    out: Path | None = typer.Option(None, "--out", "-o", help="File to write (default stdout)."),
    validate: bool = typer.Option(False, "--validate", help="Check against the 2.03 schema."),
    check: bool = typer.Option(
        False, "--check", help="Check schema, IATI rules and codelists; findings on stderr."
    ),
    schema: Path | None = typer.Option(None, help=SCHEMA_HELP),
) -> None:
    from bakuhub.iati.rules import check_activities
    from bakuhub.results.iati_export import export_activities
    from bakuhub.results.iati_schema import check_valid

    with cli_session() as session:
        result = export_activities(session=session, project_refs=project or None)
    if validate:
        check_valid(result.xml, schema)
    _write(result.xml, out, f"{result.activities} activities", result.notes)
    if check:
        _stderr_findings(check_activities(result.xml, schema_dir=schema))


@app.command("export-org", help="Write the Hub's IATI organisation file (budgets per year).")
def export_org(
    out: Path | None = typer.Option(None, "--out", "-o", help="File to write (default stdout)."),
    currency: str | None = typer.Option(
        None, help="Convert every value into this ISO 4217 currency with the rate table."
    ),
    public: bool = typer.Option(False, "--public", help="Published projects only."),
    check: bool = typer.Option(
        False, "--check", help="Check schema, IATI rules and codelists; findings on stderr."
    ),
    schema: Path | None = typer.Option(None, help=SCHEMA_HELP),
) -> None:
    from bakuhub.iati.rules import check_organisations
    from bakuhub.results.iati_org_export import export_organisation

    with cli_session() as session:
        result = export_organisation(session=session, published_only=public, currency=currency)
    wrote = f"{result.organisation}, {len(result.projects)} projects"
    _write(result.xml, out, wrote, result.notes)
    if check:
        _stderr_findings(check_organisations(result.xml, schema_dir=schema))


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


@app.command(help="Check an IATI activities or organisations file: schema, rules, codelists.")
def check(
    path: Path,
    codelists: Path | None = typer.Option(None, "--codelists", help=CODELISTS_HELP),
    ruleset: Path | None = typer.Option(None, "--ruleset", help=RULESET_HELP),
    schema: Path | None = typer.Option(None, help=SCHEMA_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the findings as JSON."),
) -> None:
    from bakuhub.iati.rules import check_file

    if not path.is_file():
        raise InvalidInput(f"There is no file {path}; give the path of an IATI XML file.")
    findings = check_file(
        path.read_bytes(), codelists_dir=codelists, ruleset=ruleset, schema_dir=schema
    )
    _report(findings, as_json, str(path))
