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


def pathway_tables(found: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """The pathway's per-year tables from the summary's ``pathway`` part:
    ``pathway_cables`` (a row per year and cable) and ``pathway_real_year`` (a row per
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
    tables = {}
    if cables:
        tables["pathway_cables"] = pd.DataFrame(cables)
    if checks:
        tables["pathway_real_year"] = pd.DataFrame(checks)
    return tables
