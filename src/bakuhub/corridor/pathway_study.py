"""The corridor pathway (issue 17): a scenario solved for each year of its ``pathway``
group, capacity built in one year standing in the later ones until its life ends.

Each year's network is the scenario's with that year's technology-data costs
(``costs_YYYY``), fleet and demand, demand after 2035 grown by the stated rate
(:meth:`PathwayOptions.demand_factor`), and the year's national renewable targets
(:meth:`PathwayOptions.targets_in`, on top of the scenario's own); every extendable
asset carries the technology-data ``lifetime`` of its row. ``pathway.myopic`` (the
default) solves the years in order at the scenario's resolution, with the scenario's
constraints and solver; ``perfect-foresight`` merges the years' networks into one
multi-period LP (``pathway_foresight.py``) and reads its solution back onto each year's
network, so :func:`pathway_result` and the report read both modes alike.

Units: MW (MWh for battery energy), EUR, t CO2 (reported in Mt), TWh.
"""

from __future__ import annotations

import logging
import math
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from bakuhub.corridor import costs as c
from bakuhub.corridor import pathway
from bakuhub.corridor import results as r
from bakuhub.corridor.datasets import CorridorDataset, load_dataset
from bakuhub.corridor.network import build_network
from bakuhub.corridor.pathway_years import path_cable_economics, year_cables
from bakuhub.corridor.real_year import RealYear
from bakuhub.corridor.scenario import Scenario
from bakuhub.corridor.solve import (
    Progress,
    SolveError,
    add_co2_cap,
    add_scenario_constraints,
    full_year,
    run_solver,
)
from bakuhub.corridor.temporal import Temporal, build_temporal
from bakuhub.errors import InvalidInput
from bakuhub.i18n import _, number

if TYPE_CHECKING:
    import pypsa

CABLE_SUFFIXES = (" fwd", " expansion")
"""The part of a cable that carries its capital cost (``bwd`` shares ``fwd``'s)."""


def year_scenario(scenario: Scenario, year: int) -> Scenario:
    """The scenario of one pathway year: its costs, fleet and demand (demand after 2035
    times :meth:`PathwayOptions.demand_factor`) and its renewable targets."""
    options = scenario.pathway
    targets = {**scenario.renewable_targets, **options.targets_in(year)}
    return scenario.model_copy(
        update={
            "year": year,
            "demand_scale": scenario.demand_scale * options.demand_factor(year),
            "renewable_targets": targets,
        }
    )


@dataclass
class Asset:
    """What an extendable asset is, for the pathway: its technology, country, lifetime
    (a) and overnight investment per MW (per MWh for battery energy), EUR."""

    technology: str
    country: str
    lifetime: float
    overnight: float
    cable: str | None = None


def _cable_asset(n: pypsa.Network, name: str, data: CorridorDataset, country: str) -> Asset | None:
    links = data.links.set_index("link")
    base = next((name[: -len(s)] for s in (*CABLE_SUFFIXES, " bwd") if name.endswith(s)), None)
    if base is None or base not in links.index:
        return None
    tech = str(links.at[base, "technology"])
    length = c.num(links.at[base, "length_km"])
    life = c.parameter(data, tech, "lifetime", math.inf)
    if name.endswith(" bwd"):  # shares the forward part's capacity and cost
        return Asset("cable", country, life, 0.0, None)
    cost = c.overnight_cost(data, tech) * length
    if tech.startswith("HVDC"):
        cost += c.overnight_cost(data, "HVDC inverter pair")
    return Asset("cable", country, life, cost, base)


def describe(n: pypsa.Network, data: CorridorDataset) -> dict[tuple[str, str], Asset]:
    """Each extendable generator, battery and cable of a corridor network as an
    :class:`Asset` (other assets, such as hydrogen plant, keep PyPSA's infinite life
    and are left out of investment)."""
    found: dict[tuple[str, str], Asset] = {}
    country = n.buses.country.to_dict()
    for name, gen in n.generators[n.generators.p_nom_extendable].iterrows():
        tech = c.TECH_DATA_NAME.get(str(gen.carrier))
        if tech is not None:
            life = c.parameter(data, tech, "lifetime", math.inf)
            found["Generator", str(name)] = Asset(
                str(gen.carrier), str(country[gen.bus]), life, c.overnight_cost(data, tech)
            )
    for name, store in n.stores[n.stores.e_nom_extendable].iterrows():
        if store.carrier == "battery":
            node = str(store.bus).removesuffix(" battery")
            life = c.parameter(data, "battery storage", "lifetime", math.inf)
            cost = c.overnight_cost(data, "battery storage")
            found["Store", str(name)] = Asset("battery energy", str(country[node]), life, cost)
    inverter = c.parameter(data, "battery inverter", "lifetime", math.inf)
    for name, link in n.links[n.links.p_nom_extendable].iterrows():
        text, where = str(name), str(country.get(link.bus0, ""))
        if link.carrier == "battery" and text.endswith(" charger"):
            cost = c.overnight_cost(data, "battery inverter")
            found["Link", text] = Asset("battery", where, inverter, cost)
        elif link.carrier == "battery" and text.endswith(" discharger"):
            found["Link", text] = Asset("battery", where, inverter, 0.0)
        elif link.carrier in ("HVDC", "HVAC") and (asset := _cable_asset(n, text, data, where)):
            found["Link", text] = asset
    return found


def set_lifetimes(n: pypsa.Network, assets: dict[tuple[str, str], Asset]) -> None:
    """Each described asset's technology-data lifetime on the network (years)."""
    for (cls, name), asset in assets.items():
        n.components[cls].static.loc[name, "lifetime"] = asset.lifetime


def _pin_carried_stores(n: pypsa.Network, years: tuple[int, ...]) -> None:
    """Batteries carried from earlier years as extendable stores pinned at their size
    (``e_nom_min = e_nom_max``, no capital cost: the carried cost is counted apart), so
    the representative-day storage of ``constraints.py`` keeps their energy balance."""
    stores = n.stores
    for name in stores.index[~stores.e_nom_extendable]:
        _base, _sep, tail = str(name).rpartition(" ")
        if tail.isdigit() and int(tail) in years:
            size = float(stores.at[name, "e_nom"])
            stores.loc[name, ["e_nom_min", "e_nom_max"]] = size
            stores.loc[name, "e_nom_extendable"] = True
            stores.loc[name, "capital_cost"] = 0.0


@dataclass
class PathwayRun:
    """A solved pathway: its steps (networks), each year's scenario and assets, and the
    real-year check of each year (``pathway_years.check_years``) once run."""

    steps: list[pathway.Step]
    scenarios: dict[int, Scenario]
    assets: dict[int, dict[tuple[str, str], Asset]]
    stats: dict[str, Any] = field(default_factory=dict)
    checks: dict[int, RealYear] = field(default_factory=dict)


def run_pathway(
    scenario: Scenario,
    *,
    resolution: str | None = None,
    progress: Progress | None = None,
    solver_log: bool = False,
) -> PathwayRun:
    """Solve the scenario's pathway, year after year (``myopic``) or all years at once
    (``perfect-foresight``)."""
    import time

    say = progress or (lambda _line: None)
    for name in ("pypsa", "linopy"):  # as solve_scenario: no routine chatter
        logging.getLogger(name).setLevel(logging.WARNING)
    options = scenario.pathway
    if not options.enabled:
        raise InvalidInput(
            _("the scenario has no pathway: give pathway.years (e.g. [2030, 2050]).")
        )
    chosen = resolution or scenario.resolution
    years = tuple(options.years)
    made: dict[int, tuple[Scenario, Temporal]] = {}
    assets: dict[int, dict[tuple[str, str], Asset]] = {}
    sizes: dict[int, dict[str, float]] = {}

    def build(year: int) -> pypsa.Network:
        own = year_scenario(scenario, year)
        data = load_dataset(year, own.costs.cable_cost)
        temporal = build_temporal(data.profiles, chosen, full_year(own))
        n = build_network(own, data, temporal)
        add_co2_cap(n, own)
        assets[year] = describe(n, data)
        set_lifetimes(n, assets[year])
        n.meta = {"pathway_year": year}
        made[year] = (own, temporal)
        return n

    def solve(n: pypsa.Network) -> None:
        year = int(n.meta["pathway_year"])
        own, temporal = made[year]
        _pin_carried_stores(n, years)
        started = time.perf_counter()
        model = n.optimize.create_model(include_objective_constant=False)
        add_scenario_constraints(n, own, temporal)
        say(
            _("pathway {year}: {variables} variables, {constraints} constraints").format(
                year=year, variables=number(int(model.nvars)), constraints=number(int(model.ncons))
            )
        )
        status = run_solver(n, own, solver_log, say)
        if status != ("ok", "optimal"):
            raise SolveError(
                _(
                    "The pathway year {year} has no optimal solution ({status}, {condition}): "
                    "a target or cap of that year may not be reachable; relax it."
                ).format(year=year, status=status[0], condition=status[1])
            )
        sizes[year] = {
            "variables": int(model.nvars),
            "constraints": int(model.ncons),
            "seconds": time.perf_counter() - started,
        }

    say(_("pathway: {years} ({mode})").format(years=", ".join(map(str, years)), mode=options.mode))
    if options.mode == "perfect-foresight":
        from bakuhub.corridor.pathway_foresight import solve_foresight

        steps, model = solve_foresight(build, years, made, scenario, solver_log, say)
    else:
        steps = pathway.myopic(build, years, solve)
        model = {str(year): size for year, size in sizes.items()}
    scenarios = {year: own for year, (own, _t) in made.items()}
    return PathwayRun(steps, scenarios, assets, {"resolution": chosen, "model": model})


NOMINAL_OPT = {"Generator": "p_nom_opt", "Link": "p_nom_opt", "Store": "e_nom_opt"}


@dataclass
class PathwayResult:
    """What a pathway built and what it cost, year by year and over the path.

    ``built``: rows year, country, technology, mw (MWh for ``battery energy``), the
    capacity built in that year; ``cables``: cable -> {year: MW built}; ``by_year``: per
    year its system cost (EUR/a: the year's objective plus the capital cost of what
    earlier years built and still stands), investment (overnight, EUR), cumulative
    investment, CO2 (Mt/a) and cumulative CO2 (Mt, each year's emissions times the
    years it stands for), export delivered (TWh/a), demand (TWh/a), renewable share of
    demand and target by country, its cables in service (``pathway_years.year_cables``)
    and its real-year check's summary (None when not run); ``cable_economics``: each
    HVDC cable's investment, NPV and IRR over the path
    (``pathway_years.path_cable_economics``); ``discounted_cost_eur``:
    ``sum_y W_y * cost_y`` at the scenario's WACC, years from the first."""

    mode: str
    years: list[int]
    resolution: str
    discount_rate: float
    demand_growth_after_2035_pct: float
    built: list[dict[str, Any]]
    cables: dict[str, dict[str, float]]
    by_year: list[dict[str, Any]]
    cable_economics: dict[str, dict[str, float | None]]
    discounted_cost_eur: float
    model: dict[str, dict[str, float]]

    def as_dict(self) -> dict[str, Any]:
        """The result as the study summary's ``pathway`` part (JSON-safe)."""
        return asdict(self)


def _built(run: PathwayRun) -> list[dict[str, Any]]:
    rows = []
    for step in run.steps:
        n = step.network
        for (cls, name), asset in run.assets[step.year].items():
            size = float(n.components[cls].static.at[name, NOMINAL_OPT[cls]])
            if size > pathway.MIN_BUILT and asset.overnight > 0:
                rows.append(
                    {
                        "year": step.year,
                        "country": asset.country,
                        "technology": asset.technology,
                        "cable": asset.cable,
                        "mw": size,
                        "investment_eur": size * asset.overnight,
                    }
                )
    return rows


def _by_country(built: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows summed by year, country and technology."""
    out: dict[tuple[int, str, str], dict[str, Any]] = {}
    for row in built:
        key = (row["year"], row["country"], row["technology"])
        into = out.setdefault(
            key, {"year": key[0], "country": key[1], "technology": key[2], "mw": 0.0,
                  "investment_eur": 0.0}
        )  # fmt: skip
        into["mw"] += row["mw"]
        into["investment_eur"] += row["investment_eur"]
    return [out[k] for k in sorted(out)]


def pathway_result(run: PathwayRun) -> PathwayResult:
    """The figures of a solved pathway (:class:`PathwayResult`)."""
    first = next(iter(run.scenarios.values()))
    rate = first.costs.wacc
    years = [s.year for s in run.steps]
    weights = pathway.period_weights(years, rate)
    built = _built(run)
    cables: dict[str, dict[str, float]] = {}
    for row in built:
        if row["cable"]:
            per_year = cables.setdefault(row["cable"], {})
            per_year[str(row["year"])] = per_year.get(str(row["year"]), 0.0) + row["mw"]
    by_year, invested, emitted = [], 0.0, 0.0
    for step in run.steps:
        n = step.network
        investment = sum(row["investment_eur"] for row in built if row["year"] == step.year)
        invested += investment
        co2 = r.emissions_t(n) / 1e6
        emitted += co2 * c.num(weights.at[step.year, "years"])
        shares = r.renewables(n).set_index("country")
        export = r.export_summary(n)
        by_year.append(
            {
                "year": step.year,
                "system_cost_eur_a": step.cost,
                "investment_eur": investment,
                "cumulative_investment_eur": invested,
                "co2_mt": co2,
                "cumulative_co2_mt": emitted,
                "export_twh": export["export_twh"],
                "gateway_price_eur_mwh": export["gateway_price_eur_mwh"],
                "unserved_twh": float(r.unserved(n).unserved_twh.sum()),
                "curtailment_twh": float(r.curtailment(n).curtailed_twh.sum()),
                "generation_twh": {
                    str(k): float(v)
                    for k, v in r.generation(n).groupby("carrier").energy_twh.sum().items()
                },
                "demand_twh": float(shares.demand_twh.sum()),
                "renewable_share_of_demand": {
                    str(k): float(v) for k, v in shares.share_of_demand.dropna().items()
                },
                "renewable_targets": dict(run.scenarios[step.year].renewable_targets),
                "cables": year_cables(n),
                "real_year": run.checks[step.year].summary if step.year in run.checks else None,
            }
        )
    return PathwayResult(
        mode=first.pathway.mode,
        years=years,
        resolution=str(run.stats["resolution"]),
        discount_rate=rate,
        demand_growth_after_2035_pct=first.pathway.demand_growth_after_2035_pct,
        built=_by_country(built),
        cables=cables,
        by_year=by_year,
        cable_economics=path_cable_economics(run.steps, run.scenarios, built),
        discounted_cost_eur=pathway.myopic_cost(run.steps, rate),
        model=run.stats["model"],
    )
