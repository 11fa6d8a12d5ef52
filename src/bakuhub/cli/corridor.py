"""``bakuhub corridor``: the corridor dataset on the command line.

Heavy libraries (pandas, pvlib) are imported inside the commands so ``bakuhub --help``
stays fast. User errors raise :class:`bakuhub.errors.BakuhubError`; the main CLI prints
them as one sentence with the error's exit code.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Green energy corridor: input dataset and profile import.", no_args_is_help=True
)
data_app = typer.Typer(
    help="The corridor input dataset: list it, bring your own profiles.", no_args_is_help=True
)
app.add_typer(data_app, name="data")


class ImportKind(StrEnum):
    """Upstream formats ``data import`` reads."""

    agora = "agora"
    ninja = "ninja"
    csv = "csv"


@data_app.command("show")
def show(
    table: Annotated[str | None, typer.Argument(help="A table to print, e.g. links.csv")] = None,
    year: Annotated[int, typer.Option(help="Year: 2030, 2035, 2040 or 2050")] = 2030,
    cable_cost: Annotated[str, typer.Option(help="Submarine cable cost level")] = "reference",
) -> None:
    """List the shipped tables (rows, what they hold), or print one of them."""
    from bakuhub.corridor.datasets import TABLES, load_dataset, read_table

    if table is not None:
        typer.echo(read_table(table).to_string(index=False, max_colwidth=60))
        return
    ds = load_dataset(year, cable_cost)
    typer.echo(
        f"corridor dataset {ds.year}, cable cost {ds.cable_cost} "
        f"({ds.cost('HVDC submarine', 'investment'):,.0f} EUR/MW/km)"
    )
    for name in TABLES:
        typer.echo(f"  {name:24s} {len(read_table(name)):6d} rows")
    weights = ds.profiles.weights
    typer.echo(f"  representative days: {len(weights)} covering {int(weights.sum())} days")
    kinds = ds.profile_series.groupby("kind")["series"].apply(lambda s: ", ".join(s))
    for kind, names in kinds.items():
        typer.echo(f"  {kind} series: {names}")


def _read(kind: ImportKind, path: Path, name: str, demand: bool, timezone: str | None) -> object:
    from bakuhub.corridor.data import loaders

    if kind is ImportKind.agora:
        return loaders.read_agora_availability(path)
    if kind is ImportKind.ninja:
        return loaders.read_ninja_csv(path, name=name)
    return loaders.read_timeseries_csv(path, availability=not demand, timezone=timezone)


@data_app.command("import")
def import_profiles(
    kind: Annotated[ImportKind, typer.Argument(help="agora, ninja or csv")],
    path: Annotated[Path, typer.Argument(help="The file to read")],
    out: Annotated[Path | None, typer.Option(help="Write the checked UTC series here")] = None,
    name: Annotated[str, typer.Option(help="Series name for a ninja file")] = "ninja",
    demand: Annotated[bool, typer.Option(help="csv holds demand, not availability")] = False,
    timezone: Annotated[str | None, typer.Option(help="IANA zone for naive stamps")] = None,
) -> None:
    """Check an hourly profile file (length, range, timezone, missing hours) and convert it.

    Availability must lie in [0, 1] (up to 1.2 is clipped to 1); every hour of one year
    must be present once; timestamps must carry a timezone. A bad file is refused with the
    line and column at fault.
    """
    import pandas as pd

    frame = _read(kind, path, name, demand, timezone)
    assert isinstance(frame, pd.DataFrame)
    typer.echo(f"{path.name}: {frame.shape[1]} series x {len(frame)} hours, UTC")
    for column in frame.columns:
        s = frame[column]
        typer.echo(f"  {column:20s} mean {s.mean():.4f}  min {s.min():.4f}  max {s.max():.4f}")
    if out is not None:
        frame.to_csv(out, index_label="timestamp_utc", float_format="%.6f", lineterminator="\n")
        typer.echo(f"wrote {out}")


def _register_study_commands() -> None:
    from bakuhub.cli.corridor_study import register
    from bakuhub.cli.corridor_sweep import register as register_sweep

    register(app)
    register_sweep(app)


_register_study_commands()
