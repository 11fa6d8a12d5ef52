"""``bakuhub risk``: rank countries and explain a country's score.

Pure commands: they read the shipped tables (or files you pass) and need no
database; ``--save`` stores the run. User errors (``BakuhubError``) propagate to the
main CLI, which prints the sentence and exits with the error's code. Heavy libraries
load inside the commands so ``bakuhub --help`` stays fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from bakuhub.risk.spec import Aggregation, Imputation, Normalisation, Outlier

if TYPE_CHECKING:
    from bakuhub.risk.pipeline import Outcome
    from bakuhub.risk.service import Choices

app = typer.Typer(
    help="Where support matters most: the climate-conflict-displacement index "
    "(presets hub, ndgain, inform).",
    no_args_is_help=True,
)

Preset = Annotated[str, typer.Option(help="hub (default), ndgain or inform.")]
Weights = Annotated[
    str | None, typer.Option(help="Custom weights, code=number pairs, e.g. conflict=2,climate=1.")
]
Draws = Annotated[int | None, typer.Option(help="Monte Carlo draws (default 1000).")]
Seed = Annotated[int | None, typer.Option(help="Seed of the Monte Carlo draws.")]
WindowEnd = Annotated[int, typer.Option(help="Last year of the conflict window.")]
WindowYears = Annotated[int, typer.Option(help="Years in the conflict window.")]
FileOpt = Annotated[Path | None, typer.Option(exists=False, dir_okay=False)]
Thresholds = Annotated[
    str | None, typer.Option(help="Class thresholds, increasing, e.g. 2,3.5,5,6.5.")
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
Unhcr = Annotated[
    Path | None,
    typer.Option(help="UNHCR Refugee Data Finder population statistics CSV (displacement pillar)."),
]
Idmc = Annotated[
    Path | None,
    typer.Option(help="IDMC GIDD export, .xlsx or CSV (displacement pillar: conflict IDPs)."),
]
NormalisationOpt = Annotated[
    Normalisation | None,
    typer.Option(help="How each indicator becomes 0-10 (default: the preset's own)."),
]
OutlierOpt = Annotated[
    Outlier | None,
    typer.Option(help="Outlier treatment of every indicator (default: the preset's own)."),
]
ImputationOpt = Annotated[
    Imputation | None,
    typer.Option(help="How missing values are filled (default: the preset's own, none)."),
]
AggregationOpt = Annotated[
    Aggregation | None,
    typer.Option(help="How the pillars are combined (default: the preset's own)."),
]


def _choices(
    normalisation: Normalisation | None,
    outlier: Outlier | None,
    imputation: Imputation | None,
    aggregation: Aggregation | None,
) -> Choices:
    """The construction choices given (typer has checked each is allowed)."""
    from bakuhub.risk.service import Choices

    return Choices(
        normalisation=normalisation, outlier=outlier, imputation=imputation, aggregation=aggregation
    )


def _outcome(
    preset: str,
    weights: str | None,
    draws: int | None,
    seed: int | None,
    window_end: int,
    window_years: int,
    files: dict[str, Any],
    thresholds: str | None = None,
    choices: Choices | None = None,
) -> tuple[Outcome, dict[str, Any], dict[str, Any]]:
    from bakuhub.risk.inputs import Window, assemble_from_files, read_displacement
    from bakuhub.risk.presets import parse_thresholds, parse_weights
    from bakuhub.risk.service import compute

    window = Window(end=window_end, years=window_years)
    files = dict(files)
    displacement = read_displacement(
        unhcr=files.pop("unhcr", None), idmc=files.pop("idmc", None), window=window
    )
    if displacement is not None:
        for note in displacement.notes:
            typer.echo(note, err=True)
    data = assemble_from_files(preset, window=window, displacement=displacement, **files)
    settings, inputs, outcome = compute(
        preset=preset,
        weights=parse_weights(weights),
        draws=draws,
        seed=seed,
        window=window,
        data=data,
        thresholds=parse_thresholds(thresholds),
        choices=choices,
    )
    return outcome, settings, inputs


def _fmt(x: float | None, spec: str = ".2f") -> str:
    return "-" if x is None else format(x, spec)


def render_table(rows: list[dict[str, Any]], interval: float) -> str:
    """A readable fixed-width table of ranking rows."""
    pillars = list(rows[0]["pillars"]) if rows else []
    pct = f"{interval:.0%}"
    head = f"{'rank':>4}  {'median [' + pct + ']':<16} {'iso3':<4}  {'name':<28} {'score':>7}  "
    head += f"{'class':<10} {'complete':>8}  " + " ".join(f"{p[:12]:>12}" for p in pillars)
    lines = [head, "-" * len(head)]
    for r in rows:
        band = (
            "-"
            if r["rank_median"] is None
            else f"{r['rank_median']} [{r['rank_low']}-{r['rank_high']}]"
        )
        line = f"{_fmt(r['rank'], 'd'):>4}  {band:<16} {r['iso3']:<4}  {r['name'][:28]:<28} "
        line += f"{_fmt(r['score']):>7}  {(r['class'] or '-'):<10} {r['completeness']:>8.0%}  "
        line += " ".join(f"{_fmt(r['pillars'][p]):>12}" for p in pillars)
        lines.append(line)
    return "\n".join(lines)


def render_explanation(e: dict[str, Any]) -> str:
    """A readable tree: each pillar's contribution and the raw values behind it."""
    out = [
        f"{e['name']} ({e['iso3']}) - {e['index']} index",
        f"score {_fmt(e['score'], '.3f')}, rank {_fmt(e['rank'], '.0f')} of {e['ranked']}"
        + (
            f" ({e['interval']:.0%} of draws between {_fmt(e['rank_low'], '.0f')} and "
            f"{_fmt(e['rank_high'], '.0f')}, median {_fmt(e['rank_median'], '.0f')})"
            if "rank_median" in e
            else ""
        ),
        f"class {e['class'] or '-'}, completeness {e['completeness']:.0%}",
    ]
    if "report" in e:
        out.append(e["report"])

    def walk(node: dict[str, Any], depth: int) -> None:
        pad = "  " * depth
        for c in node["children"]:
            share = f"weight {c['weight']:.2f} (used {c['weight_used']:.2f})"
            adds = _fmt(c["contribution"], ".3f")
            out.append(f"{pad}- {c['name']}: {_fmt(c['value'])} / 10, {share}, adds {adds}")
            if "children" in c:
                walk(c, depth + 1)
            else:
                raw = "missing" if c["raw"] is None else f"{c['raw']:g} {c['unit']} ({c['year']})"
                steps = " -> ".join(c["transforms"]) or "no transform"
                lo, hi = c["goalposts"]
                out.append(
                    f"{pad}    raw {raw}; {steps}; goalposts {lo:g}-{hi:g}, "
                    f"{c['direction']}; {c['source']}, {c['vintage']}"
                )

    tree = e["tree"]
    out.append(
        f"{tree['name']}: {tree['aggregation']} mean (offset {tree['offset']:g}), "
        f"score {_fmt(tree['score'], '.3f')}"
    )
    walk(tree, 1)
    return "\n".join(out)


def _files(
    ndgain: Path | None,
    ucdp: Path | None,
    skip_malformed: bool,
    inform: Path | None,
    inform_year: int | None,
    indicators: Path | None,
    unhcr: Path | None = None,
    idmc: Path | None = None,
) -> dict[str, Any]:
    return {
        "ndgain": ndgain,
        "ucdp": ucdp,
        "skip_malformed": skip_malformed,
        "inform": inform,
        "inform_year": inform_year,
        "indicators": indicators,
        "unhcr": unhcr,
        "idmc": idmc,
    }


@app.command("rank")
def rank(
    preset: Preset = "hub",
    weights: Weights = None,
    thresholds: Thresholds = None,
    top: Annotated[int | None, typer.Option(help="Show only the first N rows.")] = None,
    draws: Draws = None,
    seed: Seed = None,
    window_end: WindowEnd = 2024,
    window_years: WindowYears = 10,
    ndgain: Annotated[
        Path | None, typer.Option(help="ND-GAIN country index CSV (newer release).")
    ] = None,
    ucdp: Annotated[
        Path | None, typer.Option(help="UCDP/PRIO Armed Conflict CSV (semicolon-separated).")
    ] = None,
    skip_malformed: Annotated[
        bool, typer.Option(help="Leave out malformed UCDP rows (listed).")
    ] = False,
    inform: Annotated[Path | None, typer.Option(help="INFORM Risk sheet exported as CSV.")] = None,
    inform_year: Annotated[
        int | None, typer.Option(help="Release year of the INFORM file.")
    ] = None,
    indicators: Annotated[
        Path | None, typer.Option(help="Plain CSV iso3,year,indicator,value (e.g. displacement).")
    ] = None,
    unhcr: Unhcr = None,
    idmc: Idmc = None,
    normalisation: NormalisationOpt = None,
    outlier: OutlierOpt = None,
    imputation: ImputationOpt = None,
    aggregation: AggregationOpt = None,
    save: Annotated[
        bool, typer.Option(help="Store the run (inputs and settings) in the database.")
    ] = False,
    as_json: AsJson = False,
) -> None:
    """Rank countries: score, median rank with its interval, class, completeness, pillars."""
    from bakuhub.risk.pipeline import table

    files = _files(ndgain, ucdp, skip_malformed, inform, inform_year, indicators, unhcr, idmc)
    chosen = _choices(normalisation, outlier, imputation, aggregation)
    outcome, settings, inputs = _outcome(
        preset, weights, draws, seed, window_end, window_years, files, thresholds, chosen
    )
    rows = table(outcome, top)
    if save:
        typer.echo(f"stored as risk run {_save(settings, inputs, outcome)}", err=True)
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    typer.echo(
        f"{outcome.result.model.title}: {outcome.result.ranked} ranked, "
        f"{outcome.intervals.draws} Monte Carlo draws"
    )
    typer.echo(render_table(rows, outcome.intervals.level))
    for note in outcome.notes:
        typer.echo(f"note: {note}")


def _save(settings: dict[str, Any], inputs: dict[str, Any], outcome: Outcome) -> int:
    from bakuhub.cli.common import cli_author, cli_session
    from bakuhub.risk.service import require_tables, store

    with cli_session() as session:
        require_tables(session=session)
        run = store(
            session=session,
            settings=settings,
            inputs=inputs,
            outcome=outcome,
            created_by=cli_author(),
        )
        return run.id


@app.command("explain")
def explain(
    iso3: Annotated[str, typer.Argument(help="ISO 3166 alpha-3 code, e.g. TCD.")],
    preset: Preset = "hub",
    weights: Weights = None,
    thresholds: Thresholds = None,
    draws: Draws = None,
    seed: Seed = None,
    window_end: WindowEnd = 2024,
    window_years: WindowYears = 10,
    ndgain: Annotated[Path | None, typer.Option(help="ND-GAIN country index CSV.")] = None,
    ucdp: Annotated[Path | None, typer.Option(help="UCDP/PRIO Armed Conflict CSV.")] = None,
    skip_malformed: Annotated[bool, typer.Option(help="Leave out malformed UCDP rows.")] = False,
    inform: Annotated[Path | None, typer.Option(help="INFORM Risk sheet exported as CSV.")] = None,
    inform_year: Annotated[
        int | None, typer.Option(help="Release year of the INFORM file.")
    ] = None,
    indicators: Annotated[
        Path | None, typer.Option(help="Plain CSV iso3,year,indicator,value.")
    ] = None,
    unhcr: Unhcr = None,
    idmc: Idmc = None,
    normalisation: NormalisationOpt = None,
    outlier: OutlierOpt = None,
    imputation: ImputationOpt = None,
    aggregation: AggregationOpt = None,
    as_json: AsJson = False,
) -> None:
    """Explain a country's score: each pillar's contribution and the raw values behind it."""
    from bakuhub.errors import NotFound

    files = _files(ndgain, ucdp, skip_malformed, inform, inform_year, indicators, unhcr, idmc)
    chosen = _choices(normalisation, outlier, imputation, aggregation)
    outcome, _, _ = _outcome(
        preset, weights, draws, seed, window_end, window_years, files, thresholds, chosen
    )
    code = iso3.strip().upper()
    if code not in outcome.result.countries:
        raise NotFound(
            f"No country {code} in the {preset} index; use an ISO 3166 alpha-3 code such as TCD."
        )
    e = outcome.explain(code)
    if as_json:
        typer.echo(json.dumps(e, indent=2))
        return
    typer.echo(render_explanation(e))
    for note in outcome.notes:
        typer.echo(f"note: {note}")
