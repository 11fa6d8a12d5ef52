"""``bakuhub registry``: list, show, import and export records."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer

from bakuhub.cli.common import cli_author, cli_session
from bakuhub.errors import InvalidInput

app = typer.Typer(
    help="The record of parties, agreements, working groups and projects.", no_args_is_help=True
)


class RecordType(StrEnum):
    parties = "parties"
    agreements = "agreements"
    working_groups = "working-groups"
    projects = "projects"


TITLE_FIELD = {"parties": "name", "working-groups": "name"}


def _filters(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        if "=" not in item:
            raise InvalidInput(f"--filter '{item}' needs the form NAME=VALUE, e.g. country=TCD.")
        key, value = item.split("=", 1)
        out[key.strip()] = value.strip()
    return out


@app.command("list", help="List records of one type (filters: NAME=VALUE, e.g. country=TCD).")
def list_(
    record_type: RecordType,
    filter_: list[str] = typer.Option([], "--filter", "-f", help="NAME=VALUE, repeatable."),
    q: str | None = typer.Option(None, "--search", "-q", help="Text in names and refs."),
    sort: str | None = typer.Option(None, help="Sort key(s), '-' for descending."),
    limit: int = typer.Option(50, min=1, help="How many rows to show."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    from bakuhub.registry.catalog import RESOURCES
    from bakuhub.registry.service import list_records

    resource = RESOURCES[record_type.value]
    with cli_session() as session:
        page = list_records(
            session=session,
            resource=resource,
            filters=_filters(filter_),
            q=q,
            sort=sort,
            limit=limit,
        )
    if as_json:
        typer.echo(json.dumps(page.model_dump(mode="json"), indent=2, default=str))
        return
    title = TITLE_FIELD.get(record_type.value, "title")
    for item in page.items:
        typer.echo(f"{item['ref']:<36} {item[title]}")
    typer.echo(f"({len(page.items)} of {page.total})")


@app.command(help="Show one record as JSON.")
def show(record_type: RecordType, ref: str) -> None:
    from bakuhub.registry.catalog import RESOURCES
    from bakuhub.registry.service import get_record

    with cli_session() as session:
        record = get_record(session=session, resource=RESOURCES[record_type.value], ref=ref)
    out = RESOURCES[record_type.value].out.model_validate(record).model_dump(mode="json")
    typer.echo(json.dumps(out, indent=2, ensure_ascii=False))


@app.command("export", help="Write every record of one type as CSV (to a file or stdout).")
def export(
    record_type: RecordType,
    out: Path | None = typer.Option(None, "--out", "-o", help="File to write (default stdout)."),
) -> None:
    from bakuhub.registry.catalog import RESOURCES
    from bakuhub.registry.csvio import export_csv

    with cli_session() as session:
        text = export_csv(session=session, resource=RESOURCES[record_type.value])
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}")


@app.command("import", help="Import a CSV of one type: every row or none (bad rows are listed).")
def import_(record_type: RecordType, path: Path) -> None:
    from bakuhub.registry.catalog import RESOURCES
    from bakuhub.registry.csvio import import_csv

    if not path.is_file():
        raise InvalidInput(f"There is no file {path}; give the path of a CSV file.")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text; save it as UTF-8 and try again.") from None
    with cli_session() as session:
        report = import_csv(
            session=session, resource=RESOURCES[record_type.value], text=text, author=cli_author()
        )
    typer.echo(f"imported {path}: {report.created} created, {report.updated} updated")
