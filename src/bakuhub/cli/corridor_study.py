"""``bakuhub corridor solve|compare|scenarios``: run corridor studies."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer


@contextmanager
def _ticker(label: str) -> Iterator[None]:
    """Print the elapsed time every 10 s while a long step runs."""
    done = threading.Event()
    start = time.monotonic()

    def tick() -> None:
        while not done.wait(10):
            typer.echo(f"  ... {label}: {time.monotonic() - start:.0f} s", err=True)

    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()


def solve(
    scenario: Annotated[str, typer.Argument(help="Scenario YAML file or shipped name")],
    resolution: Annotated[
        str | None,
        typer.Option(
            help="Override: hourly, Nh, repdays, repdays:K, repdays/S, repdays:K/S or segments:N"
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Output folder (default: DATA_DIR/studies/NAME when a data directory is "
            "configured, where the web lists it; else studies/NAME here)"
        ),
    ] = None,
    counterfactual: Annotated[
        bool, typer.Option(help="Also solve without the Caspian cable (for CO2 avoided)")
    ] = True,
    solver_log: Annotated[bool, typer.Option(help="Show the solver's own iteration log")] = False,
    real_year_check: Annotated[
        bool,
        typer.Option(
            help="Operate the design through the full year after sizing (default: the "
            "scenario's real_year_check, on unless it says false)"
        ),
    ] = True,
    refine: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=60,
            help="Override refine_solves: refine the design on the full year with at most "
            "this many operating solves of a Benders decomposition (0: off)",
        ),
    ] = None,
    peak_rounds: Annotated[
        int | None,
        typer.Option(
            min=0,
            max=10,
            help="Override peak_rounds: re-size at most this many times with the days of "
            "the full year the design fell short on, each as it was (0: off)",
        ),
    ] = None,
) -> None:
    """Solve a scenario: summary, tables, network (netCDF) and HTML report in OUT."""
    from bakuhub.corridor.run_study import run_study, write_outputs
    from bakuhub.corridor.scenario import load_scenario

    spec = load_scenario(scenario)
    if refine is not None:
        spec = spec.model_copy(update={"refine_solves": refine})
    if peak_rounds is not None:
        spec = spec.model_copy(update={"peak_rounds": peak_rounds})
    target = out or _default_folder(spec.name)

    def say(line: str) -> None:
        typer.echo(f"[{time.strftime('%H:%M:%S')}] {line}", err=True)

    with _ticker("solving"):
        study = run_study(
            spec,
            resolution=resolution,
            counterfactual=counterfactual,
            progress=say,
            solver_log=solver_log,
            real_year_check=None if real_year_check else False,
        )
    files = write_outputs(study, target)
    _print_summary([(spec.name, study.summary)])
    typer.echo(f"wrote {len(files)} files to {target} (open {target / 'report.html'})")
    _register(target)


def _configured_data_dir() -> Path | None:
    """The data directory when one is configured (``BAKUHUB_DATA_DIR`` set, or the
    default one already made by ``bakuhub serve``/``db upgrade``), else None."""
    import os

    from bakuhub.config import get_settings

    data_dir = get_settings().data_dir
    if os.environ.get("BAKUHUB_DATA_DIR") or data_dir.is_dir():
        return data_dir
    return None


def _default_folder(name: str) -> Path:
    from bakuhub.corridor.study_store import studies_dir

    data_dir = _configured_data_dir()
    return studies_dir(data_dir) / name if data_dir is not None else Path("studies") / name


def _register(target: Path) -> None:
    """Register a study written into the data directory's studies, so that the web
    lists it (a folder elsewhere is the user's own: not registered)."""
    from bakuhub.corridor.study_store import studies_dir

    data_dir = _configured_data_dir()
    if data_dir is None:
        return
    if target.resolve().parent != studies_dir(data_dir).resolve():
        return
    from bakuhub.cli.common import cli_author, cli_session
    from bakuhub.studies.store import register_folder

    try:
        with cli_session() as session:
            row = register_folder(session, data_dir, target, author=cli_author())
            name = None if row is None else row.name
    except Exception as exc:  # the files are written; the listing can catch up later
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        typer.echo(
            f"the study was not registered in the database ({reason}; a new data "
            "directory needs 'bakuhub db upgrade'); the web registers it when it next "
            "lists studies",
            err=True,
        )
        return
    if name is not None:
        typer.echo(f"registered as study '{name}' (listed at /corridor/studies/{name})")


def _print_summary(studies: list[tuple[str, dict[str, Any]]]) -> None:
    from bakuhub.corridor.compare import compare as rows_of

    names = [name for name, _ in studies]
    rows = rows_of([summary for _, summary in studies])
    labels = [f"{row['label']}, {row['unit']}" for row in rows]
    first = max(len(label) for label in labels) + 2
    width = max(16, *(len(n) + 2 for n in names))
    typer.echo("".ljust(first) + "".join(n.rjust(width) for n in names))
    for label, row in zip(labels, rows, strict=True):
        cells = [("n/a" if v is None else f"{v:,.2f}").rjust(width) for v in row["values"]]
        typer.echo(label.ljust(first) + "".join(cells))


def compare(
    folders: Annotated[list[Path], typer.Argument(help="Study folders (from solve)")],
    csv: Annotated[Path | None, typer.Option(help="Also write the table as CSV")] = None,
) -> None:
    """Compare solved studies side by side on their key figures."""
    from bakuhub.corridor.compare import compare as rows_of
    from bakuhub.corridor.compare import load_summary

    studies = [load_summary(f) for f in folders]
    _print_summary([(s.get("scenario", str(f)), s) for f, s in zip(folders, studies, strict=True)])
    if csv is not None:
        lines = ["figure," + ",".join(str(s.get("scenario", "")) for s in studies)]
        for row in rows_of(studies):
            values = ",".join("" if v is None else f"{v:.6g}" for v in row["values"])
            lines.append(f'"{row["label"]}, {row["unit"]}",{values}')
        csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
        typer.echo(f"wrote {csv}")


def scenarios() -> None:
    """List the shipped scenarios."""
    from bakuhub.corridor.scenario import load_scenario, shipped_scenarios

    for name in shipped_scenarios():
        typer.echo(f"{name:<24} {load_scenario(name).description.splitlines()[0][:90]}")


def register(app: typer.Typer) -> None:
    """Add the study commands to the ``corridor`` command group."""
    app.command("solve")(solve)
    app.command("compare")(compare)
    app.command("scenarios")(scenarios)
