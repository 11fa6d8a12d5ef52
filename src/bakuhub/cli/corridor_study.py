"""``bakuhub corridor solve|compare|scenarios``: run corridor studies."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from bakuhub.errors import InvalidInput

KEY_FIGURES = (
    ("total system cost, bn EUR/a", lambda s: s["total_system_cost_eur_a"] / 1e9),
    ("export, TWh/a", lambda s: s["export_twh"]),
    ("cost at EU gateway, EUR/MWh", lambda s: s["gateway_price_eur_mwh"]),
    ("CO2 emitted, Mt/a", lambda s: s["co2_emitted_mt"]),
    ("CO2 avoided vs no Caspian, Mt/a", lambda s: s["co2_avoided_mt"]),
    ("Caspian cable, MW", lambda s: s["cables"].get("CASPIAN", {}).get("capacity_mw", 0.0)),
    ("Black Sea cable, MW", lambda s: s["cables"].get("BLACKSEA", {}).get("capacity_mw", 0.0)),
    ("solar built, MW", lambda s: _built(s, "solar")),
    ("wind built, MW", lambda s: _built(s, "onwind") + _built(s, "offwind")),
    ("battery built, MW", lambda s: _built(s, "battery")),
    ("unserved energy, TWh/a", lambda s: s["unserved_twh"]),
    ("curtailment, TWh/a", lambda s: s["curtailment_twh"]),
)


def _built(summary: dict[str, Any], technology: str) -> float:
    built = summary["capacity_built_mw"]
    return float(sum(v for k, v in built.items() if k.endswith(f"/{technology}")))


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
        str | None, typer.Option(help="Override: hourly, Nh, repdays, repdays:K or segments:N")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Output folder (default studies/NAME)")] = None,
    counterfactual: Annotated[
        bool, typer.Option(help="Also solve without the Caspian cable (for CO2 avoided)")
    ] = True,
    solver_log: Annotated[bool, typer.Option(help="Show the solver's own iteration log")] = False,
) -> None:
    """Solve a scenario: summary, tables, network (netCDF) and HTML report in OUT."""
    from bakuhub.corridor.scenario import load_scenario
    from bakuhub.corridor.study import run_study, write_outputs

    spec = load_scenario(scenario)
    target = out or Path("studies") / spec.name

    def say(line: str) -> None:
        typer.echo(f"[{time.strftime('%H:%M:%S')}] {line}", err=True)

    with _ticker("solving"):
        study = run_study(
            spec,
            resolution=resolution,
            counterfactual=counterfactual,
            progress=say,
            solver_log=solver_log,
        )
    files = write_outputs(study, target)
    _print_summary([(spec.name, study.summary)])
    typer.echo(f"wrote {len(files)} files to {target} (open {target / 'report.html'})")


def _load(folder: Path) -> dict[str, Any]:
    path = folder / "summary.json" if folder.is_dir() else folder
    if not path.is_file():
        raise InvalidInput(
            f"{folder} holds no summary.json; give folders written by 'bakuhub corridor solve'."
        )
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _print_summary(studies: list[tuple[str, dict[str, Any]]]) -> None:
    names = [name for name, _ in studies]
    width = max(34, *(len(n) + 2 for n in names))
    typer.echo("".ljust(34) + "".join(n.rjust(width) for n in names))
    for label, get in KEY_FIGURES:
        cells = []
        for _, summary in studies:
            value = get(summary)
            cells.append(("n/a" if value is None else f"{value:,.2f}").rjust(width))
        typer.echo(label.ljust(34) + "".join(cells))


def compare(
    folders: Annotated[list[Path], typer.Argument(help="Study folders (from solve)")],
    csv: Annotated[Path | None, typer.Option(help="Also write the table as CSV")] = None,
) -> None:
    """Compare solved studies side by side on their key figures."""
    studies = [(str(f), _load(f)) for f in folders]
    _print_summary([(s["scenario"], s) for _, s in studies])
    if csv is not None:
        lines = ["figure," + ",".join(s["scenario"] for _, s in studies)]
        for label, get in KEY_FIGURES:
            values = [get(s) for _, s in studies]
            lines.append(f'"{label}",' + ",".join("" if v is None else f"{v:.6g}" for v in values))
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
