"""Perfect foresight for the corridor pathway (issue 17): every year of the scenario's
``pathway`` in one LP with PyPSA's multi-period investment (:func:`pathway.perfect_foresight`),
the scenario's yearly constraints written once per investment period ``y`` on its own
snapshots ``T_y`` with that year's figures:

- export target: ``sum_(t in T_y) w_t (-p_export,t) = E_y`` (MWh/a), and the molecule
  export target likewise;
- national renewable share: ``sum_(g in RE(c), t in T_y) w_t p_g,t >= s_(c,y) sum_(l in c,
  t in T_y) w_t d_l,t`` (MWh/a);
- CO2 cap: ``sum_(t in T_y) w_t e_t <= cap_y`` (t/a), PyPSA's ``primary_energy``
  constraint with ``investment_period = y`` (which weighs by the period's years ``Y_y``:
  its constant is ``Y_y * cap_y``);
- representative-day storage (``constraints.py``): one chain of calendar days per period,
  cyclic within its year, over the stores standing in it; none links two periods;
- potentials and minimum sizes of an asset (``p_nom_max``, ``p_nom_min``; MW, MWh for
  battery energy): on what stands in the period, ``P_min,y <= sum_(b <= y, b + L > y)
  P_(a,b) <= P_max,y``, where myopic shrinks the room to grow by what was built;
- a cable's two directions and a battery's charger and discharger: one capacity per
  build year; the CBAM green match: per snapshot, over the generators standing in it.

The solution is then read back onto each year's own network (what that year built as
``NAME``, what earlier years built and still stands as ``NAME YEAR``, as myopic has it),
so the pathway's results and report read both modes alike. A year's cost: ``cost_y =
opex_y + sum_(a, b <= y < b + L) c_(a,b) P_(a,b)`` (EUR/a), and ``sum_y W_y cost_y`` is
the LP's objective.

Units: MW (MWh for battery energy), EUR, t CO2.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from bakuhub.corridor import constraints as con
from bakuhub.corridor import pathway
from bakuhub.corridor.cbam import define_green_match
from bakuhub.corridor.costs import RENEWABLE_CARRIERS
from bakuhub.corridor.hydrogen import MOLECULE_EXPORT
from bakuhub.corridor.network import EXPORT
from bakuhub.corridor.scenario import Scenario
from bakuhub.corridor.solve import Progress, SolveError, run_solver
from bakuhub.corridor.temporal import Temporal
from bakuhub.i18n import _, number

if TYPE_CHECKING:
    import pandas as pd
    import pypsa

OPERATING = {"Generator": "p", "Link": "p0", "Store": "p", "StorageUnit": "p"}
"""The flow each component's ``marginal_cost`` (EUR/MWh) is paid on."""


def foresight_network(
    build: Callable[[int], pypsa.Network], years: Sequence[int], rate: float
) -> tuple[pypsa.Network, dict[int, pypsa.Network]]:
    """The multi-period network of ``years`` and each year's own network."""
    nets: dict[int, pypsa.Network] = {}

    def keep(year: int) -> pypsa.Network:
        nets[year] = build(year)
        return nets[year]

    n = pathway.perfect_foresight(keep, years, rate)
    return n, nets


def prepare(n: pypsa.Network, scenarios: dict[int, Scenario]) -> None:
    """Before the model: a CO2 cap per period, minimum sizes moved from each build-year
    copy to :func:`define_standing_limits`, chronological stores cyclic per period."""
    for year, scenario in scenarios.items():
        if scenario.co2.cap_mt is not None:
            years = float(n.investment_period_weightings["years"][year])
            n.add(
                "GlobalConstraint",
                f"CO2Limit {year}",
                type="primary_energy",
                carrier_attribute="co2_emissions",
                sense="<=",
                investment_period=year,
                constant=scenario.co2.cap_mt * 1e6 * years,
            )
    for cls, nominal in pathway.NOMINAL.items():
        static = n.components[cls].static
        if not static.empty:
            static.loc[static[f"{nominal}_extendable"], f"{nominal}_min"] = 0.0
    if not n.stores.empty:
        n.stores["e_cyclic_per_period"] = True


def period_snapshots(n: pypsa.Network, year: int) -> pd.Index:
    """The snapshots of investment period ``year``."""
    index: pd.Index = n.snapshots[n.snapshots.get_level_values("period") == year]
    return index


def _standing(n: pypsa.Network, cls: str, year: int) -> pd.Index:
    active = n.components[cls].get_active_assets(investment_period=year)
    index: pd.Index = active.index[active.to_numpy(dtype=bool)]
    return index


def define_standing_limits(n: pypsa.Network, nets: dict[int, pypsa.Network]) -> None:
    """``P_min,y <= sum_(b standing in y) P_(a,b) <= P_max,y`` for each asset ``a`` with a
    finite potential or a minimum size in year ``y`` (MW; MWh for stores)."""
    import xarray as xr

    m = n.model
    for cls, nominal in pathway.NOMINAL.items():
        if n.components[cls].static.empty:
            continue
        for year, net in nets.items():
            static = net.components[cls].static
            ext = static[static[f"{nominal}_extendable"]]
            ext = ext[np.isfinite(ext[f"{nominal}_max"]) | (ext[f"{nominal}_min"] > 0)]
            standing = set(map(str, _standing(n, cls, year)))
            copies, bases = [], []
            for base in map(str, ext.index):
                for built in nets:
                    if f"{base} {built}" in standing:
                        copies.append(f"{base} {built}")
                        bases.append(base)
            if not copies:
                continue
            group = xr.DataArray(bases, coords={"name": copies}, dims="name", name="asset")
            total = m[f"{cls}-{nominal}"].sel(name=copies).groupby(group).sum()
            found = sorted(set(bases))
            upper = ext.loc[found, f"{nominal}_max"].rename_axis("asset")
            lower = ext.loc[found, f"{nominal}_min"].rename_axis("asset")
            finite = [a for a in found if np.isfinite(upper[a])]
            if finite:
                m.add_constraints(
                    total.sel(asset=finite) <= upper[finite].to_xarray(),
                    name=f"{cls}-standing-max-{year}",
                )
            floor = [a for a in found if lower[a] > 0]
            if floor:
                m.add_constraints(
                    total.sel(asset=floor) >= lower[floor].to_xarray(),
                    name=f"{cls}-standing-min-{year}",
                )


def add_period_constraints(
    n: pypsa.Network,
    nets: dict[int, pypsa.Network],
    scenarios: dict[int, Scenario],
    temporals: dict[int, Temporal],
) -> None:
    """The scenario's constraints, each year's on its own period (see the module's text)."""
    con.define_shared_link_capacity(n)
    con.define_battery_power_balance(n)
    define_standing_limits(n, nets)
    stores_on = any(t.period is not None for t in temporals.values()) and not n.stores.empty
    if stores_on:
        con.replace_store_constraints(n)
    for year, scenario in scenarios.items():
        sns = period_snapshots(n, year)
        if stores_on:
            standing = [s for s in map(str, _standing(n, "Store", year)) if s in n.stores.index]
            ext = set(n.stores.index[n.stores.e_nom_extendable])
            con.define_representative_day_storage(
                n, temporals[year], sns, [s for s in standing if s in ext], f" {year}"
            )
        if scenario.europe.mode == "target" and EXPORT in n.generators.index:
            con.define_export_target(
                n, EXPORT, scenario.europe.export_twh * 1e6, sns, f"export_target {year}"
            )
        export = scenario.molecules.export
        if scenario.molecules.enabled and export.mode == "target":
            assert export.target_twh is not None
            con.define_export_target(
                n, MOLECULE_EXPORT, export.target_twh * 1e6, sns, f"molecule_export_target {year}"
            )
        for country, share in scenario.renewable_targets.items():
            con.define_renewable_share(
                n, country, share, RENEWABLE_CARRIERS, snapshots=sns, suffix=f" {year}"
            )
        define_green_match(n, scenario.cbam, sns, f" {year}")


def _source(net: pypsa.Network, cls: str, year: int) -> Callable[[str], str]:
    """The multi-period network's name of each asset of a year's network."""
    static = net.components[cls].static
    nominal = pathway.NOMINAL.get(cls)
    ext = set(map(str, static.index[static[f"{nominal}_extendable"]])) if nominal else set()
    return lambda name: f"{name} {year}" if name in ext else name


def year_steps(n: pypsa.Network, nets: dict[int, pypsa.Network]) -> list[pathway.Step]:
    """Each year's network with the solution of its period, as a myopic step (its cost:
    operating cost plus the yearly capital cost of everything standing, EUR/a)."""
    years = list(nets)
    steps = []
    for year in years:
        view = nets[year]
        built = []
        for earlier in (b for b in years if b < year):
            net = nets[earlier]

            def solved(cls: str, name: str, earlier: int = earlier) -> float:
                opt = f"{pathway.NOMINAL[cls]}_opt"
                return float(n.components[cls].static.at[f"{name} {earlier}", opt])

            built += pathway.record(net, earlier, capacity=solved)
        alive = [asset for asset in built if asset.alive(year)]
        carried = pathway.carry(view, alive, year)
        _read_back(n, view, year)
        cost = operating_cost(view) + capital_cost(view) + carried
        steps.append(pathway.Step(year, view, cost, alive))
    return steps


def _read_back(n: pypsa.Network, view: pypsa.Network, year: int) -> None:
    """The period's solution on the year's network: sizes and every output series."""
    import pandas as pd

    for cls in pathway.COMPONENTS:
        target = view.components[cls]
        if target.static.empty:
            continue
        name_of = _source(view, cls, year)
        mapping = {str(name): name_of(str(name)) for name in target.static.index}
        if cls in pathway.NOMINAL:  # what the year built; all else as it stands
            nominal = pathway.NOMINAL[cls]
            opt = n.components[cls].static[f"{nominal}_opt"]
            own = target.static
            own[f"{nominal}_opt"] = [
                float(opt[mapping[str(name)]])
                if own.at[name, f"{nominal}_extendable"]
                else float(own.at[name, nominal])
                for name in own.index
            ]
        defaults = n.components[cls].defaults
        for attr, frame in n.components[cls].dynamic.items():
            if frame.empty or not str(defaults.at[attr, "status"]).startswith("Output"):
                continue
            part = frame.loc[year]
            values = {
                name: part[source].to_numpy() if source in part else np.zeros(len(part))
                for name, source in mapping.items()
            }
            target.dynamic[attr] = pd.DataFrame(values, index=view.snapshots)


def operating_cost(n: pypsa.Network) -> float:
    """``sum_(c, t) w_t mc_c,t flow_c,t`` (EUR/a) of a solved year's network."""
    w = n.snapshot_weightings.objective
    total = 0.0
    for cls, attr in OPERATING.items():
        static = n.components[cls].static
        if static.empty:
            continue
        cost = n.get_switchable_as_dense(cls, "marginal_cost")
        flow = n.components[cls].dynamic[attr].reindex(columns=cost.columns, fill_value=0.0)
        total += float((cost * flow).mul(w, axis=0).to_numpy().sum())
    return total


def capital_cost(n: pypsa.Network) -> float:
    """``sum_a c_a P_a`` (EUR/a) over the year's extendable assets (what it built)."""
    total = 0.0
    for cls, nominal in pathway.NOMINAL.items():
        static = n.components[cls].static
        if static.empty:
            continue
        ext = static[static[f"{nominal}_extendable"]]
        total += float((ext.capital_cost * ext[f"{nominal}_opt"]).sum())
    return total


def summary_stats(n: pypsa.Network, model: Any, seconds: float) -> dict[str, dict[str, float]]:
    """The one LP's size and time, as the pathway's ``model`` entry."""
    label = "-".join(str(y) for y in (n.investment_periods[0], n.investment_periods[-1]))
    return {
        label: {
            "variables": int(model.nvars),
            "constraints": int(model.ncons),
            "seconds": seconds,
            "objective_eur": float(n.objective or 0.0),
        }
    }


def solve_foresight(
    build: pathway.Builder,
    years: tuple[int, ...],
    made: dict[int, tuple[Scenario, Temporal]],
    scenario: Scenario,
    solver_log: bool,
    say: Progress,
) -> tuple[list[pathway.Step], dict[str, dict[str, float]]]:
    """All years as one LP: its steps (each year's network with its period's solution,
    :func:`year_steps`) and its size and time."""
    import time

    n, nets = foresight_network(build, years, scenario.costs.wacc)
    scenarios = {year: own for year, (own, _t) in made.items()}
    started = time.perf_counter()
    prepare(n, scenarios)
    model = n.optimize.create_model(include_objective_constant=False, multi_investment_periods=True)
    add_period_constraints(n, nets, scenarios, {y: t for y, (_s, t) in made.items()})
    say(
        _("pathway, all years at once: {variables} variables, {constraints} constraints").format(
            variables=number(int(model.nvars)), constraints=number(int(model.ncons))
        )
    )
    status = run_solver(n, scenario, solver_log, say)
    if status != ("ok", "optimal"):
        raise SolveError(
            _(
                "The pathway solved with perfect foresight has no optimal solution ({status}, "
                "{condition}): a target or cap of one of its years may not be reachable; "
                "relax it."
            ).format(status=status[0], condition=status[1])
        )
    sizes = summary_stats(n, model, time.perf_counter() - started)
    return year_steps(n, nets), sizes
