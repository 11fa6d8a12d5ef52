"""Each pathway year read as a single year (issue 17): its design operated through the
full year (the real-year check of ``real_year.py``) and its cables in service.

- **Real-year check of a year**: the year's network as the pathway solved it (what the
  year built, at its optimum, and what earlier years built and still stands, fixed)
  dispatched through the 8,760 hours of the year's weather on the year's demand, with
  the capacity carried from earlier years added as ``pathway.carry`` adds it to the
  sizing model. Its cost is the year's pathway cost basis, ``capital of what the year
  built + capital of what it carries + operating cost``, against the year's pathway
  system cost (``Step.cost``).
- **Cables of a year**: capacity in service (built that year and carried), energy, use
  (``results.cables``), congestion rent (``results.link_rents``, EUR/a) and the mean price
  difference between the cable's ends, ``sum_t w_t |pi_1,t - pi_0,t| / sum_t w_t``
  (EUR/MWh).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bakuhub.corridor import pathway
from bakuhub.corridor import results as r
from bakuhub.corridor.real_year import RealYear, check_network
from bakuhub.i18n import _

if TYPE_CHECKING:
    import pandas as pd
    import pypsa

    from bakuhub.corridor.scenario import Scenario
    from bakuhub.corridor.solve import Progress

CHECK_KEYS = (
    "system_cost_eur_a",
    "sizing_cost_eur_a",
    "cost_difference_rel",
    "demand_twh",
    "unserved_twh",
    "unserved_share",
    "curtailment_twh",
    "export_twh",
    "export_target_twh",
    "export_shortfall_twh",
    "far_off",
)
"""The figures of each year's check in the ``pathway_real_year`` table."""


def check_years(
    steps: list[pathway.Step],
    scenarios: dict[int, Scenario],
    *,
    progress: Progress | None = None,
    solver_log: bool = False,
) -> dict[int, RealYear]:
    """The real-year check of every year of a solved pathway (its ``steps``, each year's
    scenario in ``scenarios``; see the module's text)."""
    say = progress or (lambda _line: None)
    checks = {}
    for step in steps:
        say(_("pathway {year}: the year's design through the full year").format(year=step.year))

        def carry(n: pypsa.Network, step: pathway.Step = step) -> float:
            return pathway.carry(n, step.carried, step.year)

        checks[step.year] = check_network(
            step.network,
            scenarios[step.year],
            carry=carry,
            sizing_cost=step.cost,
            remedy=False,
            progress=say,
            solver_log=solver_log,
        )
    return checks


def year_cables(n: pypsa.Network) -> dict[str, dict[str, float | None]]:
    """Each cable of a solved pathway year: capacity in service (MW), energy both ways
    (TWh/a), utilisation (0-1), share of hours at the limit, congestion rent (EUR/a) and
    mean price spread between its ends (EUR/MWh)."""
    table = r.cables(n)
    if table.empty:
        return {}
    links = n.links.index
    rents = r.link_rents(n)
    rent = rents.groupby([r.cable_name(str(x), links) for x in rents.index]).sum()
    price = n.buses_t.marginal_price
    w = n.snapshot_weightings.generators
    out: dict[str, dict[str, float | None]] = {}
    rows: list[dict[Any, Any]] = table.to_dict("records")
    for row in rows:
        spread = None
        if row["bus0"] in price and row["bus1"] in price:
            gap = (price[row["bus1"]] - price[row["bus0"]]).abs()
            spread = float((gap * w).sum() / w.sum())
        out[str(row["link"])] = {
            "capacity_mw": float(row["capacity_mw"]),
            "energy_twh": float(row["forward_twh"] + row["backward_twh"]),
            "utilisation": float(row["utilisation"]),
            "share_hours_at_limit": float(row["share_hours_at_limit"]),
            "congestion_rent_eur_a": float(rent.get(row["link"], 0.0)),
            "price_spread_eur_mwh": spread,
        }
    return out


def path_cable_economics(
    steps: Sequence[pathway.Step],
    scenarios: dict[int, Scenario],
    built: list[dict[str, Any]],
) -> dict[str, dict[str, float | None]]:
    """Each HVDC cable over the path: what is invested in it year by year (``built``:
    the pathway's rows with ``cable``, ``year`` and ``investment_eur``) and its net
    revenue each year (:func:`economics.trade_value` on the year's network, every part
    in service counted, less fixed O&M on the investment in service), discounted to the
    first year at the scenario's WACC:

    ``NPV = sum_y [-I_y d(y - y0) + R_y sum_(t=y)^(y+Y_y-1) d(t - y0 + 1)]``,
    ``d(k) = (1 + r)^-k``, with ``Y_y`` the years until the next step and the last
    year's revenue held until ``economics.horizon_years`` after the first year (as the
    single-year NPV, revenue at the end of each year). IRR: the ``r`` where it is zero."""
    from bakuhub.corridor import economics
    from bakuhub.corridor.datasets import load_dataset

    first = scenarios[steps[0].year]
    y0, horizon = steps[0].year, first.economics.horizon_years
    ends = [s.year for s in steps[1:]] + [max(y0 + horizon, steps[-1].year + 1)]
    out: dict[str, dict[str, float | None]] = {}
    for cable in sorted({str(b["cable"]) for b in built if b.get("cable")}):
        flows: dict[int, float] = {}  # calendar year -> cash flow (EUR, at its end)
        in_service = 0.0
        for step, end in zip(steps, ends, strict=True):
            own = scenarios[step.year]
            invested = sum(
                b["investment_eur"] for b in built if b["cable"] == cable and b["year"] == step.year
            )
            in_service += invested
            if f"{cable} fwd" not in step.network.links.index:
                continue
            data = load_dataset(step.year, own.costs.cable_cost)
            kind = str(data.links.set_index("link")["technology"].get(cable, "HVDC overhead"))
            length = float(step.network.links.at[f"{cable} fwd", "length"])
            revenue = (
                economics.trade_value(step.network, cable, own.economics.export_price_eur_mwh)
                - economics.fom_share(data, kind, length) * in_service
            )
            flows[step.year - 1] = flows.get(step.year - 1, 0.0) - invested
            for t in range(step.year, end):
                flows[t] = flows.get(t, 0.0) + revenue
        if in_service <= 0:
            continue
        rate = first.costs.wacc
        out[cable] = {
            "investment_eur": in_service,
            "npv_eur": _npv(flows, rate, y0),
            "irr": _irr(flows, y0),
            "wacc": rate,
            "horizon_years": float(max(ends) - y0),
        }
    return out


def _npv(flows: dict[int, float], rate: float, first: int) -> float:
    """``sum_t F_t (1 + r)^-(t - first + 1)``: ``F_t`` at the end of calendar year ``t``
    (an investment of year ``y`` at the end of ``y - 1``, i.e. at the start of ``y``)."""
    return sum(f * (1.0 + rate) ** -(t - first + 1) for t, f in flows.items())


def _irr(flows: dict[int, float], first: int) -> float | None:
    if _npv(flows, 1e-9, first) <= 0 or _npv(flows, 10.0, first) >= 0:
        return None
    from scipy.optimize import brentq

    return float(brentq(lambda rate: _npv(flows, rate, first), 1e-9, 10.0))


def pathway_tables(found: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """The pathway's per-year tables from the summary's ``pathway`` part:
    ``pathway_cables`` (a row per year and cable), ``pathway_cable_economics`` (a row per
    cable) and ``pathway_real_year`` (a row per
    year checked)."""
    import pandas as pd

    cables = [
        {"year": row["year"], "cable": cable, **figures}
        for row in found["by_year"]
        for cable, figures in sorted(row.get("cables", {}).items())
    ]
    checks = [
        {"year": row["year"], **{k: row["real_year"].get(k) for k in CHECK_KEYS}}
        for row in found["by_year"]
        if row.get("real_year")
    ]
    economics = [
        {"cable": cable, **figures}
        for cable, figures in sorted(found.get("cable_economics", {}).items())
    ]
    tables = {}
    if economics:
        tables["pathway_cable_economics"] = pd.DataFrame(economics)
    if cables:
        tables["pathway_cables"] = pd.DataFrame(cables)
    if checks:
        tables["pathway_real_year"] = pd.DataFrame(checks)
    return tables
