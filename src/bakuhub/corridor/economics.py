"""Economics of the cables: investment, yearly net revenue, NPV and IRR.

For a cable from ``o`` to ``d`` with one-way efficiency ``eta`` and flows ``p_t``
(MW sent) the yearly net revenue is the value of the power delivered less the value
of the power bought, less fixed O&M:

``R = sum_t w_t (eta p_t pi_d,t - p_t pi_o,t) - FOM * I``  (EUR/a),

with ``pi`` the nodal prices (EUR/MWh), except at the EU gateway where the power
earns the stated export price. ``NPV = -I + sum_(y=1)^H R / (1 + r)^y``, and the
IRR is the ``r`` where the NPV is zero.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bakuhub.corridor import costs as c
from bakuhub.corridor.datasets import CorridorDataset
from bakuhub.corridor.network import EXPORT
from bakuhub.corridor.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd
    import pypsa


COLUMNS = (
    "cable",
    "technology",
    "capacity_mw",
    "length_km",
    "investment_eur",
    "net_revenue_eur_a",
    "npv_eur",
    "irr",
    "wacc",
    "export_price_eur_mwh",
    "horizon_years",
)
"""Columns of :func:`cable_economics`, also when no cable is a candidate."""


def npv(rate: float, investment: float, revenue: float, years: int) -> float:
    """Net present value (EUR) of ``-I`` now and ``R`` at the end of years 1..H."""
    if revenue == 0:
        return -investment
    return -investment + revenue * (1 - (1 + rate) ** -years) / rate


def irr(investment: float, revenue: float, years: int) -> float | None:
    """Internal rate of return (1/a), or None when the cable never pays back."""
    if investment <= 0 or revenue * years <= investment:
        return None
    from scipy.optimize import brentq

    return float(brentq(lambda r: npv(r, investment, revenue, years), 1e-9, 10.0))


def _overnight(data: CorridorDataset, technology: str, length_km: float) -> tuple[float, float]:
    """(investment EUR/MW, fixed O&M share 1/a) of a link of this technology and length."""
    line = c.overnight_cost(data, technology) * length_km
    fom = c.parameter(data, technology, "FOM") / 100.0
    if not technology.startswith("HVDC"):
        return line, fom
    converter = c.overnight_cost(data, "HVDC inverter pair")
    fom_conv = c.parameter(data, "HVDC inverter pair", "FOM") / 100.0
    total = line + converter
    return total, (line * fom + converter * fom_conv) / total


def trade_value(n: pypsa.Network, name: str, export_price: float) -> float:
    """``sum_t w_t (eta p_t pi_d,t - p_t pi_o,t)`` of HVDC cable ``name`` both ways (EUR/a):
    its ``fwd`` and ``bwd`` links and a pathway's copies of them (``fwd 2030``), the EU
    gateway's power valued at ``export_price``."""
    from bakuhub.corridor.results import parts

    w = n.snapshot_weightings.generators
    price = n.buses_t.marginal_price
    gateway = n.generators.at[EXPORT, "bus"] if EXPORT in n.generators.index else None
    value = 0.0
    for direction in (f"{name} fwd", f"{name} bwd"):
        for link in parts(n.links, direction):
            sent = n.links_t.p0[link]
            o, d = n.links.at[link, "bus0"], n.links.at[link, "bus1"]
            eta = float(n.links.at[link, "efficiency"])
            value_d = export_price if d == gateway else price[d]
            value += float((w * sent * (eta * value_d - price[o])).sum())
    return value


def fom_share(data: CorridorDataset, technology: str, length_km: float) -> float:
    """Fixed O&M of a link of this technology and length, share of its investment a year."""
    return _overnight(data, technology, length_km)[1]


def cable_economics(n: pypsa.Network, scenario: Scenario, data: CorridorDataset) -> pd.DataFrame:
    """Investment, yearly net revenue, NPV and IRR of every candidate HVDC cable built."""
    import pandas as pd

    export_price = scenario.economics.export_price_eur_mwh
    technology = data.links.set_index("link")["technology"]
    rows = []
    for fwd in [str(x) for x in n.links.index if str(x).endswith(" fwd")]:
        name = fwd[:-4]
        cap = float(n.links.at[fwd, "p_nom_opt"])
        length = float(n.links.at[fwd, "length"])
        kind = str(technology.get(name, "HVDC overhead"))
        per_mw, fom = _overnight(data, kind, length)
        investment = per_mw * cap
        revenue = trade_value(n, name, export_price) - fom * investment
        years = scenario.economics.horizon_years
        rows.append(
            {
                "cable": name,
                "technology": kind,
                "capacity_mw": cap,
                "length_km": length,
                "investment_eur": investment,
                "net_revenue_eur_a": revenue,
                "npv_eur": npv(scenario.costs.wacc, investment, revenue, years),
                "irr": irr(investment, revenue, years),
                "wacc": scenario.costs.wacc,
                "export_price_eur_mwh": export_price,
                "horizon_years": years,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)
