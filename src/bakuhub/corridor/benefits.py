"""Who gains from a cable: welfare by country from a solved network's prices and flows.

The method of ENTSO-E's cost-benefit analysis guideline (4th ENTSO-E Guideline for
Cost Benefit Analysis of Grid Development Projects, "CBA 4.0", drafted under Regulation
(EU) 2022/869; indicator B1, socio-economic welfare, by the total-surplus approach):
each party's welfare is its consumer surplus plus producer surplus plus its share of the
congestion rent, valued at the model's nodal prices ``pi`` (EUR/MWh, the duals of the
energy balance) with snapshot weights ``w`` (h). A party is a country (the ``country`` of
a bus; a battery's bus counts for its node) or the European buyer, ``EU export``.

- consumers (inelastic demand ``d``): ``CS = -sum_t w_t [pi_t (d_t - u_t) + VOLL u_t]``,
  minus what they pay for what they get and minus the value of what they go without
  (``u``: unserved energy, the model's ``unserved`` generators);
- producers (generators, batteries): ``PS = sum_t w_t (pi_t - mc) p_t - c P``, revenue
  at the nodal price less running cost (fuel, O&M, the CO2 price) and less the
  annualised cost ``c P`` of the capacity the model builds;
- links: rent ``CR = sum_t w_t (pi_1,t eta p_t - pi_0,t p_t)`` (what the far end pays
  for what arrives less what the near end is paid for what is sent), half to each end
  country for a cross-border link, all of it for a domestic one; their annualised
  cost ``c P`` (``grid cost``) is split the same way, except for the cables under
  evaluation, whose cost is kept apart as the cost to share (``sharing.py``);
- the European buyer: ``sum_t w_t (mc - pi_t) x_t`` for ``x`` delivered: minus what it
  pays at the gateway, plus the market price where ``europe.mode`` is ``market``.

Because every bus balances in every snapshot, ``sum_b,t w_t pi_b,t (injections - d) = 0``,
so the parties' welfare adds up to minus the model's objective plus the cost kept apart:

``sum_i W_i = -C + K``.

Against a counterfactual (the same demand, without the cables), the gross benefit of
party ``i`` is ``B_i = W_i - W_i^cf``; ``sum_i B_i - K = -(C - C^cf)``: the benefits less
the cables' cost are the saving in total system cost (:func:`check_identity`).

When the cables carry the export target itself (the Black Sea cable is the gateway's only
link), the counterfactual cannot deliver it and drops it: it exports ``E^cf < E``. What
the European buyer then goes without is valued at the export price ``p_x``
(``economics.export_price_eur_mwh``) and counted in its consumer surplus,
``Delta V = p_x (E - E^cf)``, so that

``sum_i B_i - K = -(C - C^cf) + Delta V``:

the benefits less the cables' cost are the saving in system cost plus the value of the
export the cables make possible. With the same export both ways ``Delta V = 0``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bakuhub.corridor.network import EXPORT
from bakuhub.corridor.results import link_rents
from bakuhub.corridor.solve import objective

if TYPE_CHECKING:
    import pandas as pd
    import pypsa

WELFARE = (
    "consumer_surplus_eur_a",
    "producer_surplus_eur_a",
    "congestion_rent_eur_a",
    "grid_cost_eur_a",
)
"""The welfare terms of each party (EUR/a); welfare is their sum (grid cost negative)."""
INDICATORS = ("co2_t", "unserved_mwh", "demand_mwh")
"""Indicators of each party, not in welfare: CO2 emitted (t/a), unserved and demand (MWh/a)."""
COLUMNS = (*WELFARE, "welfare_eur_a", *INDICATORS)
SUFFIXES = (" fwd", " bwd", " expansion")


@dataclass(frozen=True)
class Welfare:
    """Welfare by party of one solved network, and the cost kept apart."""

    table: pd.DataFrame
    """One row per party, :data:`COLUMNS`."""
    kept_apart_eur_a: float
    """Annualised cost of the cables under evaluation (EUR/a), in no party's welfare."""
    system_cost_eur_a: float
    """The solved network's objective (EUR/a)."""


def cable_of(link: str) -> str:
    """The cable a link belongs to: ``CASPIAN fwd`` -> ``CASPIAN``, ``X expansion`` -> ``X``."""
    return next((link[: -len(s)] for s in SUFFIXES if link.endswith(s)), link)


def parties(n: pypsa.Network) -> pd.Series:
    """The party of each bus: its country; a battery bus counts for its node's country.

    ``ValueError`` when a bus has no country (a network built without ``country``).
    """
    country = n.buses.country.astype(str).where(n.buses.country.astype(str) != "", None)
    node = n.buses.index.str.replace(" battery", "", regex=False)
    filled = country.fillna(country.reindex(node).set_axis(n.buses.index))
    missing = sorted(str(b) for b in filled.index[filled.isna()])
    if missing:
        raise ValueError(f"buses without a country: {', '.join(missing)}; set Bus.country")
    result: pd.Series = filled.astype(str)
    return result


def _capex(static: pd.DataFrame, nominal: str) -> pd.Series:
    """Annualised cost of the capacity built (EUR/a): ``c * P_opt`` where extendable, as
    PyPSA's objective counts it (the whole optimal capacity, ``p_nom_min`` included)."""
    built = static[f"{nominal}_opt"].where(static[f"{nominal}_extendable"], 0.0)
    result: pd.Series = static.capital_cost * built
    return result


def welfare(n: pypsa.Network, evaluated: Collection[str] = ()) -> Welfare:
    """Consumer and producer surplus, congestion rent and grid cost by party (EUR/a).

    ``evaluated``: names of the cables whose annualised cost is kept apart (in no
    party's welfare). See the module docstring for the formulas.
    """
    import pandas as pd

    w = n.snapshot_weightings.objective
    party = parties(n)
    rows: list[tuple[str, str, float]] = []

    loads = n.loads
    demand = n.get_switchable_as_dense("Load", "p_set")[loads.index]
    for name, paid in _value(n, loads.bus, demand).items():
        rows.append((party[loads.at[name, "bus"]], "consumer_surplus_eur_a", -float(paid)))
    for name, mwh in demand.mul(w, axis=0).sum().items():
        rows.append((party[loads.at[name, "bus"]], "demand_mwh", float(mwh)))

    gens = n.generators
    p = n.generators_t.p.reindex(columns=gens.index, fill_value=0.0)
    mc = n.get_switchable_as_dense("Generator", "marginal_cost")[gens.index]
    surplus = _value(n, gens.bus, p) - (mc * p).mul(w, axis=0).sum() - _capex(gens, "p_nom")
    emitted = gens.carrier.map(n.carriers.co2_emissions).fillna(0.0) / gens.efficiency
    energy = p.mul(n.snapshot_weightings.generators, axis=0).sum()
    for name, gain in surplus.items():
        who = EXPORT if name == EXPORT else party[gens.at[name, "bus"]]
        unserved = gens.at[name, "carrier"] == "unserved"
        term = "consumer_surplus_eur_a" if unserved or name == EXPORT else "producer_surplus_eur_a"
        rows.append((who, term, float(gain)))
        rows.append((who, "co2_t", float(energy[name] * emitted[name])))
        if unserved:
            rows.append((who, "unserved_mwh", float(energy[name])))

    stores = n.stores
    if not stores.empty:
        e = n.stores_t.p.reindex(columns=stores.index, fill_value=0.0)
        mcs = n.get_switchable_as_dense("Store", "marginal_cost")[stores.index]
        gain = _value(n, stores.bus, e) - (mcs * e).mul(w, axis=0).sum() - _capex(stores, "e_nom")
        rows += [
            (party[stores.at[s, "bus"]], "producer_surplus_eur_a", float(g))
            for s, g in gain.items()
        ]

    kept = _links(n, party, set(evaluated), rows)
    frame = pd.DataFrame(rows, columns=["party", "term", "value"])
    table = frame.pivot_table(index="party", columns="term", values="value", aggfunc="sum")
    table = table.reindex(columns=list(COLUMNS), fill_value=0.0).fillna(0.0)
    table["welfare_eur_a"] = table[list(WELFARE)].sum(axis=1)
    return Welfare(table=table, kept_apart_eur_a=kept, system_cost_eur_a=objective(n))


def _value(n: pypsa.Network, bus: pd.Series, power: pd.DataFrame) -> pd.Series:
    """``sum_t w_t pi_(bus),t power_t`` per component (EUR/a)."""
    price = n.buses_t.marginal_price.reindex(columns=n.buses.index, fill_value=0.0)
    at = price[bus.to_numpy()].set_axis(power.columns, axis=1)
    result: pd.Series = (at * power).mul(n.snapshot_weightings.objective, axis=0).sum()
    return result


def _links(
    n: pypsa.Network,
    party: pd.Series,
    evaluated: set[str],
    rows: list[tuple[str, str, float]],
) -> float:
    """Rent and cost of every link into ``rows``; the evaluated cables' cost (EUR/a)."""
    links = n.links
    if links.empty:
        return 0.0
    rent = link_rents(n)
    capex = _capex(links, "p_nom")
    kept = 0.0
    for name in links.index:
        ends = (party[links.at[name, "bus0"]], party[links.at[name, "bus1"]])
        storage = links.at[name, "carrier"] == "battery"
        term = "producer_surplus_eur_a" if storage else "congestion_rent_eur_a"
        for who in ends:
            rows.append((who, term, float(rent[name]) / 2))
        if cable_of(str(name)) in evaluated:
            kept += float(capex[name])
            continue
        cost_term = "producer_surplus_eur_a" if storage else "grid_cost_eur_a"
        for who in ends:
            rows.append((who, cost_term, -float(capex[name]) / 2))
    return kept


@dataclass(frozen=True)
class Benefits:
    """Gross benefit by party of a set of cables against its counterfactual."""

    cables: tuple[str, ...]
    table: pd.DataFrame
    """Changes by party (with minus without), :data:`COLUMNS`; ``welfare_eur_a`` is the
    gross benefit ``B_i``."""
    cable_cost_eur_a: float
    """``K``: annualised cost of the evaluated cables as built (EUR/a)."""
    system_cost_change_eur_a: float
    """``C - C^cf`` (EUR/a): negative when the cables save money."""
    system_cost_eur_a: float
    """``C``: total system cost with the cables (EUR/a), the scale of the residual."""
    export_change_mwh: float = 0.0
    """``E - E^cf``: export delivered with the cables less without them (MWh/a)."""
    export_value_change_eur_a: float = 0.0
    """``Delta V = p_x (E - E^cf)`` (EUR/a), in the European buyer's consumer surplus;
    0 unless an export price was given."""

    @property
    def residual_eur_a(self) -> float:
        """``sum_i B_i - K + (C - C^cf) - Delta V``: zero up to the solver's tolerance."""
        gross = float(self.table.welfare_eur_a.sum())
        return (
            gross
            - self.cable_cost_eur_a
            + self.system_cost_change_eur_a
            - self.export_value_change_eur_a
        )


def exported_mwh(n: pypsa.Network) -> float:
    """Energy delivered to the European buyer (MWh/a): 0 without an export."""
    if EXPORT not in n.generators.index:
        return 0.0
    p = n.generators_t.p.get(EXPORT)
    if p is None:
        return 0.0
    return float(-(p * n.snapshot_weightings.generators).sum())


def benefits(
    with_cables: pypsa.Network,
    without: pypsa.Network,
    cables: Collection[str],
    *,
    export_price_eur_mwh: float | None = None,
) -> Benefits:
    """Each party's gross benefit from ``cables``: welfare with them less welfare without
    them (the same demand), their annualised cost kept apart.

    ``export_price_eur_mwh``: the value to the European buyer of each MWh exported (for
    an export target, whose price is in no generator's cost); the export delivered with
    the cables less without them, at this price, is added to the buyer's consumer
    surplus. None (a market export, already at its price): nothing added.
    """
    now = welfare(with_cables, cables)
    before = welfare(without, cables)
    table = now.table.sub(before.table, fill_value=0.0).fillna(0.0)
    change = exported_mwh(with_cables) - exported_mwh(without)
    value = 0.0 if export_price_eur_mwh is None else export_price_eur_mwh * change
    if value:
        if EXPORT not in table.index:
            table.loc[EXPORT] = 0.0
        table.loc[EXPORT, ["consumer_surplus_eur_a", "welfare_eur_a"]] += value
    return Benefits(
        cables=tuple(cables),
        table=table,
        cable_cost_eur_a=now.kept_apart_eur_a - before.kept_apart_eur_a,
        system_cost_change_eur_a=now.system_cost_eur_a - before.system_cost_eur_a,
        system_cost_eur_a=now.system_cost_eur_a,
        export_change_mwh=change,
        export_value_change_eur_a=value,
    )


def check_identity(result: Benefits, *, rel: float = 1e-6) -> None:
    """``ValueError`` unless the benefits less the cables' cost equal the saving in
    system cost plus the value of the export they make possible, to ``rel`` of the total
    system cost (the solver's tolerance)."""
    scale = max(abs(result.system_cost_eur_a), 1.0)
    if abs(result.residual_eur_a) > rel * scale:
        raise ValueError(
            f"benefits do not add up: sum of gross benefits - cable cost + change in system "
            f"cost - export value = {result.residual_eur_a:.6g} EUR/a, not 0"
        )
