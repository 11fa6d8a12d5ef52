"""A corridor study: solve a scenario and its no-Caspian counterfactual, check the
design on the full year, and write the summary, the tables, the solved network and the
report."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bakuhub import __version__, i18n
from bakuhub.corridor import results as r
from bakuhub.corridor.analyses import analyse, check_asked, submit_analyses
from bakuhub.corridor.costs import num
from bakuhub.corridor.datasets import load_dataset
from bakuhub.corridor.economics import cable_economics
from bakuhub.corridor.real_year import RealYear, check_design
from bakuhub.corridor.report import write_report
from bakuhub.corridor.scenario import CableOption, Scenario
from bakuhub.corridor.side_solves import side_solves
from bakuhub.corridor.solve import Progress, Solved, objective, solve_scenario
from bakuhub.i18n import _

if TYPE_CHECKING:
    import pypsa

COUNTERFACTUAL_LINK = "CASPIAN"


@dataclass
class Study:
    """A solved scenario, its counterfactual (if any), the real-year check of its design
    (if run), and the summary of all."""

    solved: Solved
    counterfactual: Solved | None
    summary: dict[str, Any]
    real_year: RealYear | None = None
    pathway: Any = None
    """The solved pathway (``pathway_study.PathwayRun``) when the scenario asks for one."""


def counterfactual_of(scenario: Scenario) -> Scenario:
    """The same scenario without the Caspian cable."""
    links = {**scenario.links, COUNTERFACTUAL_LINK: CableOption(mode="off")}
    return scenario.model_copy(update={"links": links, "name": f"{scenario.name} (no Caspian)"})


NOISE = 1e-9
"""Below this magnitude a figure of the summary (TWh, MW, EUR, shares) is solver noise
(interior-point and simplex tolerances are about 1e-7 relative): it is written as 0."""


def _clean(value: Any) -> Any:
    """JSON-safe figures: NaN and infinities as null, noise such as ``-4e-11`` as 0."""
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, float) and abs(value) < NOISE:
        return 0.0
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def summarise(solved: Solved, counterfactual: Solved | None) -> dict[str, Any]:
    """The JSON summary of a study (units in the key names)."""
    n, scenario = solved.network, solved.scenario
    data = load_dataset(scenario.year, scenario.costs.cable_cost)
    caps = r.capacities(n)
    built = caps[caps.built_mw > 0.5]
    gen = r.generation(n)
    cab = r.cables(n)
    export = r.export_summary(n)
    dual = None
    if "export_target" in n.model.constraints:
        dual = num(n.model.constraints["export_target"].dual.item())
    emitted = r.emissions_t(n) / 1e6
    avoided = None
    if counterfactual is not None:
        avoided = r.emissions_t(counterfactual.network) / 1e6 - emitted
    summary = {
        "scenario": scenario.name,
        "scenario_hash": scenario.digest(),
        "year": scenario.year,
        "bakuhub_version": __version__,
        "resolution": solved.stats["resolution"],
        "model": {k: solved.stats[k] for k in ("snapshots", "variables", "constraints")},
        "solve_seconds": round(solved.stats["solve_s"], 2),
        "total_system_cost_eur_a": objective(n),
        "capacity_built_mw": {
            f"{node}/{tech}": round(num(mw), 1)
            for node, tech, mw in zip(built.node, built.technology, built.built_mw, strict=True)
        },
        "generation_twh": gen.groupby("carrier").energy_twh.sum().round(3).to_dict(),
        "curtailment_twh": float(r.curtailment(n).curtailed_twh.sum()),
        "cables": cab.set_index("link").round(4).to_dict(orient="index"),
        "export_twh": export["export_twh"],
        "gateway_price_eur_mwh": export["gateway_price_eur_mwh"],
        "export_marginal_cost_eur_mwh": dual,
        "co2_emitted_mt": emitted,
        "co2_avoided_mt": avoided,
        "unserved_twh": float(r.unserved(n).unserved_twh.sum()),
        "renewable_share": r.renewable_shares(n),
        "renewable_share_of_demand": _shares_of_demand(n),
        "lcoe_eur_mwh": r.lcoe(n).set_index("node").lcoe_eur_mwh.round(2).to_dict(),
        "cable_economics": cable_economics(n, scenario, data)
        .set_index("cable")
        .to_dict(orient="index"),
    }
    if counterfactual is not None:
        summary["counterfactual"] = {
            "scenario": counterfactual.scenario.name,
            "total_system_cost_eur_a": objective(counterfactual.network),
            "co2_emitted_mt": r.emissions_t(counterfactual.network) / 1e6,
            "unserved_twh": float(r.unserved(counterfactual.network).unserved_twh.sum()),
            **r.export_summary(counterfactual.network),
        }
    return _clean(summary)  # type: ignore[no-any-return]


def _shares_of_demand(n: pypsa.Network) -> dict[str, float]:
    """Renewable generation over demand per country (0-1, above 1 for an exporter)."""
    frame = r.renewables(n).dropna(subset=["share_of_demand"])
    return {str(c): float(v) for c, v in zip(frame.country, frame.share_of_demand, strict=True)}


def run_study(
    scenario: Scenario,
    *,
    resolution: str | None = None,
    counterfactual: bool = True,
    progress: Progress | None = None,
    solver_log: bool = False,
    real_year_check: bool | None = None,
    side_processes: int | None = None,
) -> Study:
    """Solve the scenario and (unless asked not to) its no-Caspian counterfactual; refine
    the design on the full year when the scenario asks (``refine_solves``), or re-size it
    with the days of the full year it fell short on (``peak_rounds``); check the
    design on the full year unless ``real_year_check`` (default: the scenario's
    ``real_year_check``) is false (no peak days then either). The counterfactual is
    neither refined nor checked; it is sized with the design's peak days.

    The counterfactual and the analyses' "without" solves run beside the main path
    once the design's peak days are known (``side_solves.py``), in ``side_processes``
    other processes (default: one a spare core, at most 2; 0, and in a job: one after
    the other, in this process)."""
    say = progress or (lambda _line: None)
    with side_solves(say, processes=side_processes) as side:
        sized = solve_scenario(scenario, resolution=resolution, progress=say, solver_log=solver_log)
        check_asked(sized)
        with_cf = counterfactual and COUNTERFACTUAL_LINK in set(
            load_dataset(scenario.year).links["link"]
        )

        def settled(own_days: tuple[int, ...]) -> None:
            """The design's peak days are known: start the solves that need only them."""
            if with_cf:
                side.submit(
                    "counterfactual",
                    _("counterfactual: the same scenario without the Caspian cable"),
                    counterfactual_of(sized.scenario),
                    resolution=resolution,
                    own_days=own_days,
                    solver_log=solver_log,
                )
            submit_analyses(
                side,
                sized,
                benefits_asked=with_cf,
                resolution=resolution,
                solver_log=solver_log,
                own_days=own_days,
            )

        solved, refinement = sized, None
        check = scenario.real_year_check if real_year_check is None else real_year_check
        real_year, rounds = None, None
        if check and scenario.peak_rounds and not scenario.refine_solves:
            from bakuhub.corridor.peak_days import add_peak_days

            solved, real_year, rounds = add_peak_days(
                sized, scenario.peak_rounds, progress=say, solver_log=solver_log, settled=settled
            )
        else:
            settled(())
            if scenario.refine_solves:
                from bakuhub.corridor.hourly import refine

                solved, refinement = refine(sized, scenario.refine_solves, progress=say)
            if check:
                real_year = check_design(solved, progress=say, solver_log=solver_log)
        own_days = rounds[-1].own_days if rounds else ()
        cf = side.result("counterfactual") if with_cf else None
        summary = summarise(solved, cf)
        # the analyses compare sizing solves: the re-sized one with its peak days (the
        # counterfactual has them too), else the first (a refined design is not one)
        base = solved if rounds else sized
        summary.update(
            _clean(
                analyse(
                    base,
                    cf,
                    resolution=resolution,
                    progress=say,
                    solver_log=solver_log,
                    own_days=own_days,
                    side=side,
                )
            )
        )
        if scenario.molecules.enabled:
            from bakuhub.corridor.molecule_results import molecule_results

            summary["molecules"] = _clean(
                molecule_results(sized, resolution=resolution, progress=say, solver_log=solver_log)
            )
        if refinement is not None:
            summary["refinement"] = _clean(refinement)
        if rounds is not None:
            summary["peak_days"] = _clean([r.summary() for r in rounds])
        if real_year is not None:
            summary["real_year"] = _clean(real_year.summary)
        if scenario.pathway.enabled:
            from bakuhub.corridor.pathway_study import pathway_result, run_pathway

            run = run_pathway(scenario, resolution=resolution, progress=say, solver_log=solver_log)
            if check:
                from bakuhub.corridor.pathway_years import check_years

                run.checks = check_years(
                    run.steps, run.scenarios, progress=say, solver_log=solver_log
                )
            summary["pathway"] = _clean(pathway_result(run).as_dict())
    return Study(solved, cf, summary, real_year, run if scenario.pathway.enabled else None)


def write_outputs(
    study: Study, out: Path, *, language: str | None = None, also: Iterable[str] = ()
) -> list[Path]:
    """Write summary.json, tables (CSV and Parquet), network.nc and report.html (in
    ``language``, default the current one: English outside a request), and the report in
    each language of ``also`` as ``report.<lang>.html`` (:func:`report_name`): the report
    is made with the solved network at hand, so the languages it is wanted in are written
    now (the one who asked for the study, every shipped one for the reference study)."""
    out.mkdir(parents=True, exist_ok=True)
    n = study.solved.network
    data = load_dataset(study.solved.scenario.year, study.solved.scenario.costs.cable_cost)
    tables = {
        "capacities": r.capacities(n),
        "generation": r.generation(n),
        "curtailment": r.curtailment(n),
        "cables": r.cables(n),
        "lcoe": r.lcoe(n),
        "renewables": r.renewables(n),
        "unserved": r.unserved(n),
        "price_duration": r.price_duration(n),
        "prices": r.prices(n).reset_index(),
        "cable_economics": cable_economics(n, study.solved.scenario, data),
    }
    if study.real_year is not None:
        tables.update(study.real_year.tables)
    if study.summary.get("pathway"):
        from bakuhub.corridor.pathway_years import pathway_tables

        tables.update(pathway_tables(study.summary["pathway"]))
    written = []
    (out / "tables").mkdir(exist_ok=True)
    for name, frame in tables.items():
        frame.columns = [str(c) for c in frame.columns]
        frame.to_csv(out / "tables" / f"{name}.csv", index=False, float_format="%.6g")
        frame.to_parquet(out / "tables" / f"{name}.parquet", index=False)
        written += [out / "tables" / f"{name}.csv", out / "tables" / f"{name}.parquet"]
    summary = out / "summary.json"
    summary.write_text(json.dumps(study.summary, indent=2, sort_keys=True), encoding="utf-8")
    (out / "scenario.yaml").write_text(_scenario_yaml(study.solved.scenario), encoding="utf-8")
    n.export_to_netcdf(out / "network.nc")
    written += [summary, out / "scenario.yaml", out / "network.nc"]
    report = write_report(
        study.solved, study.summary, tables, out / "report.html", language=language
    )
    written.append(report)
    for other in sorted(set(also) - {language or i18n.current()}):
        if other in i18n.LANGUAGES:
            path = out / report_name(other)
            written.append(write_report(study.solved, study.summary, tables, path, language=other))
    return written


def report_name(language: str) -> str:
    """The file of the report in ``language`` (``report.html`` holds the default one)."""
    return f"report.{language}.html"


def _scenario_yaml(scenario: Scenario) -> str:
    import yaml

    text: str = yaml.safe_dump(scenario.model_dump(mode="json"), sort_keys=False)
    return text
