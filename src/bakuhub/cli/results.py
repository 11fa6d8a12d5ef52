"""``bakuhub results``: results frameworks, finance totals, exchange rates, corridor link."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import typer

from bakuhub.cli.common import cli_author, cli_session
from bakuhub.errors import InvalidInput, validated

app = typer.Typer(
    help="Results frameworks, finance and exchange rates of projects.", no_args_is_help=True
)


def _print(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _json_file(path: Path) -> Any:
    if not path.is_file():
        raise InvalidInput(f"There is no file {path}; give the path of a JSON file.")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path} is not JSON ({exc}); check the file.") from None


@app.command(help="Show a project's results framework (with statuses) as JSON.")
def show(project: str) -> None:
    from bakuhub.results.service import get_framework

    with cli_session() as session:
        _print(get_framework(session=session, project_ref=project))


@app.command("add", help="Add results to a project from a JSON file (one result or a list).")
def add(project: str, path: Path) -> None:
    from bakuhub.results.schemas import ResultIn
    from bakuhub.results.service import add_result

    data = _json_file(path)
    items = data if isinstance(data, list) else [data]
    results = [validated(ResultIn, x, what=f"{path} result {i}") for i, x in enumerate(items)]
    with cli_session() as session:
        for result in results:
            add_result(session=session, project_ref=project, data=result, author=cli_author())
    typer.echo(f"added {len(results)} result(s) to {project}")


@app.command("iati-details", help="Set a project's IATI details from a JSON file (or show them).")
def iati_details(project: str, path: Path | None = typer.Argument(None)) -> None:
    from bakuhub.results.profile import get_profile, set_profile
    from bakuhub.results.schemas import ProfileIn

    with cli_session() as session:
        if path is not None:
            data = validated(ProfileIn, _json_file(path), what=str(path))
            set_profile(session=session, project_ref=project, data=data, author=cli_author())
        _print(get_profile(session=session, project_ref=project))


@app.command(help="Roll an indicator code up from projects to an agreement or programme.")
def rollup(agreement: str, code: str, approved_only: bool = typer.Option(False)) -> None:
    from bakuhub.results.rollup import rollup as run

    with cli_session() as session:
        _print(
            run(session=session, agreement_ref=agreement, code=code, approved_only=approved_only)
        )


@app.command(help="Set an energy project's actuals from a corridor scenario summary (JSON).")
def corridor(project: str, summary: Path) -> None:
    from bakuhub.results.corridor_link import apply_scenario_summary
    from bakuhub.results.schemas import ScenarioSummary

    data = validated(ScenarioSummary, _json_file(summary), what=str(summary))
    with cli_session() as session:
        out = apply_scenario_summary(
            session=session, project_ref=project, summary=data, author=cli_author()
        )
    for item in out["periods"]:
        typer.echo(f"{item['indicator']}: actual {item['actual']:g} (period {item['period']})")
    typer.echo(f"from scenario '{out['scenario']}' ({out['scenario_hash']}), {out['year']}")


@app.command(help="Totals per project, agreement, funder or country in one currency.")
def totals(
    by: str = typer.Option("project", help="project, agreement, funder or country."),
    currency: str = typer.Option("EUR", help="ISO 4217 code of the totals."),
    agreement: str | None = typer.Option(None, help="Only projects under this agreement."),
) -> None:
    from bakuhub.results.finance import totals as run

    with cli_session() as session:
        _print(run(session=session, by=by, currency=currency.upper(), agreement_ref=agreement))


@app.command("rate-add", help="Add an exchange rate: 1 CURRENCY = RATE QUOTE from --on.")
def rate_add(
    currency: str,
    quote: str,
    rate: str,
    on: str = typer.Option(..., "--on", help="Date the rate applies from (YYYY-MM-DD)."),
    source: str = typer.Option(..., help="Where the rate comes from (citation or URL)."),
) -> None:
    from bakuhub.results.finance import add_rate
    from bakuhub.results.schemas import RateIn

    try:
        value, day = Decimal(rate), dt.date.fromisoformat(on)
    except (InvalidOperation, ValueError):
        raise InvalidInput(
            f"rate '{rate}' or date '{on}' is not valid; e.g. 1.08 --on 2025-01-01"
        ) from None
    data = validated(
        RateIn,
        {"currency": currency, "quote": quote, "rate": value, "valid_on": day, "source": source},
        what="rate",
    )
    with cli_session() as session:
        add_rate(session=session, data=data, author=cli_author())
    typer.echo(f"1 {data.currency} = {data.rate} {data.quote} from {data.valid_on}")


@app.command(help="List the exchange-rate table.")
def rates() -> None:
    from bakuhub.results.finance import list_rates

    with cli_session() as session:
        for r in list_rates(session=session):
            typer.echo(
                f"{r['valid_on']}  1 {r['currency']} = {r['rate']} {r['quote']}  ({r['source']})"
            )
