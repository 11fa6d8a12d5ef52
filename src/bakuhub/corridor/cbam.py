"""The carbon border on the corridor's exports: the green-match constraint, and what
CBAM costs and changes in a solved plan (plain JSON-able tables).

The rules and the ``default-factor`` charge (a marginal cost on the export sink, set
when the network is built) are in ``cbam_rules.py``. Units: MW, MWh, t CO2, EUR;
``w_t`` is the weight of snapshot ``t`` in hours of the year.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bakuhub.corridor import results as r
from bakuhub.corridor.cbam_rules import RULES, CbamOptions, charge_eur_mwh
from bakuhub.corridor.constraints import standing
from bakuhub.corridor.costs import RENEWABLE_CARRIERS
from bakuhub.corridor.network import EXPORT
from bakuhub.errors import InvalidInput
from bakuhub.i18n import _

if TYPE_CHECKING:
    import pandas as pd
    import pypsa

    from bakuhub.corridor.scenario import Scenario

MATCH_TOLERANCE_MW = 1e-3
"""A snapshot where renewable generation exceeds the export by less than this (MW) is one
where the green match binds."""
CHANGE_MW = 0.5
"""Capacity changes smaller than this (MW or MWh) are not listed as a change of plan."""


def contracted_generators(n: pypsa.Network, new_only: bool = False) -> list[str]:
    """The renewable generators that may be contracted for export: every generator of a
    renewable carrier at a node outside the gateway's country (the exporting countries);
    with ``new_only``, the ones the model builds (extendable), not the existing fleet."""
    gateway = n.generators.at[EXPORT, "bus"]
    home = n.buses.at[gateway, "country"]
    abroad = n.buses.index[n.buses.country != home]
    gens = n.generators
    mask = gens.bus.isin(abroad) & gens.carrier.isin(RENEWABLE_CARRIERS)
    if new_only:
        mask &= gens.p_nom_extendable
    return [str(g) for g in gens.index[mask]]


def define_green_match(
    n: pypsa.Network, options: CbamOptions, snapshots: pd.Index | None = None, suffix: str = ""
) -> None:
    """Green export (CBAM Annex IV point 5, approximated): in every snapshot the power
    delivered to the EU is covered by renewable generation of the exporting countries,

    ``x_t <= sum_(g in RE) p_g,t``  (MW, every snapshot ``t``),

    with ``x_t = -p_export,t`` the power the EU sink takes at the gateway and ``RE`` the
    :func:`contracted_generators` (all, or the new ones only: ``options.contracted``).
    Nothing else in the model claims the renewable
    attribute of that generation, except national renewable targets (see the method).
    A perfect-foresight pathway writes it per investment period (``snapshots``, names
    ending in ``suffix``) over the generators standing in it.
    """
    if options.mode != "green-match" or EXPORT not in n.generators.index:
        return
    gens = contracted_generators(n, options.contracted == "new")
    if not gens:
        raise InvalidInput(
            _(
                "cbam.mode green-match: the exporting countries have no renewable generator "
                "that could be contracted; allow solar or wind there, or choose another mode."
            )
        )
    sns = n.snapshots if snapshots is None else snapshots
    p = n.model["Generator-p"].sel(snapshot=sns)
    delivered = -p.sel(name=EXPORT)
    renewable = p.sel(name=standing(n, gens, sns)).sum("name")
    n.model.add_constraints(renewable - delivered >= 0, name=f"cbam_green_match{suffix}")


def _delivered(n: pypsa.Network) -> pd.Series:
    """Power delivered to the EU sink per snapshot, MW (>= 0)."""
    delivered: pd.Series = -n.generators_t.p[EXPORT].clip(upper=0.0)
    return delivered


def figures(n: pypsa.Network, scenario: Scenario) -> dict[str, Any]:
    """What CBAM costs in a solved network: the mode, the factor (t/MWh) and charge
    (EUR/MWh delivered), the energy delivered (MWh/a), the payment
    ``C = c * sum_t w_t x_t`` (EUR/a) and, for the green match, the share of the
    delivered energy in snapshots where the match binds."""
    options = scenario.cbam
    if EXPORT not in n.generators.index:
        return {"mode": options.mode, "export_mwh": 0.0, "payment_eur_a": 0.0}
    gateway = str(n.generators.at[EXPORT, "bus"])
    charge, factor = charge_eur_mwh(n, options, gateway, scenario.co2.price_eur_t)
    weights = n.snapshot_weightings.generators
    delivered = _delivered(n)
    energy = float((delivered * weights).sum())
    out: dict[str, Any] = {
        "mode": options.mode,
        "carbon_price_eur_t": options.carbon_price_eur_t,
        "factor_t_mwh": factor if options.mode == "default-factor" else None,
        "factor_overridden": options.factor_t_mwh is not None,
        "charge_eur_mwh": charge,
        "export_mwh": energy,
        "payment_eur_a": charge * energy,
        "embedded_t_a": factor * energy,
        "rules": [dict(rule) for rule in RULES],
    }
    if options.mode == "green-match":
        gens = contracted_generators(n, options.contracted == "new")
        renewable = n.generators_t.p[gens].sum(axis=1)
        binding = (renewable - delivered) < MATCH_TOLERANCE_MW
        out["renewable_mwh"] = float((renewable * weights).sum())
        out["export_in_binding_snapshots_share"] = (
            float((delivered * weights)[binding & (delivered > 0)].sum()) / energy
            if energy > 0
            else 0.0
        )
    return out


def without_cbam(scenario: Scenario) -> Scenario:
    """The same scenario with CBAM off (the plan CBAM is compared with)."""
    return scenario.model_copy(update={"cbam": CbamOptions(), "name": f"{scenario.name} (no CBAM)"})


def _by_country(n: pypsa.Network) -> dict[tuple[str, str], float]:
    """Capacity built per (country, technology), MW (battery energy in MWh)."""
    caps = r.capacities(n)
    country = n.buses.country.reindex(caps.node).to_numpy()
    built: dict[tuple[str, str], float] = {}
    for where, tech, mw, mwh in zip(
        country,
        caps.technology,
        caps.built_mw,
        caps.get("energy_mwh", caps.built_mw * 0.0),
        strict=True,
    ):
        key = (str(where), "battery energy" if tech == "battery" else str(tech))
        value = float(mwh) if tech == "battery" else float(mw)
        if value == value:  # not NaN
            built[key] = built.get(key, 0.0) + value
    return built


def objective(n: pypsa.Network) -> float:
    """The solved network's objective (EUR/a)."""
    if n.objective is None:
        raise InvalidInput(_("The network has not been solved; there is no plan to compare."))
    return float(n.objective)


def plan_change(base: pypsa.Network, other: pypsa.Network) -> dict[str, Any]:
    """How the plan of ``other`` differs from ``base`` (both solved): system cost (EUR/a),
    CO2 (t/a), exported energy (MWh/a), and capacities built per country and technology
    and per cable where they differ by at least :data:`CHANGE_MW`; the cost difference
    per MWh delivered when something is delivered."""
    cost_base, cost_other = objective(base), objective(other)
    export = float((_delivered(other) * other.snapshot_weightings.generators).sum())
    before, after = _by_country(base), _by_country(other)
    capacity = [
        {
            "country": key[0],
            "technology": key[1],
            "base": before.get(key, 0.0),
            "with_cbam": after.get(key, 0.0),
            "change": after.get(key, 0.0) - before.get(key, 0.0),
        }
        for key in sorted(set(before) | set(after))
        if abs(after.get(key, 0.0) - before.get(key, 0.0)) >= CHANGE_MW
    ]
    cab_base = r.cables(base).set_index("link").capacity_mw
    cab_other = r.cables(other).set_index("link").capacity_mw
    cables = [
        {
            "cable": str(link),
            "base_mw": float(cab_base.get(link, 0.0)),
            "with_cbam_mw": float(cab_other.get(link, 0.0)),
            "change_mw": float(cab_other.get(link, 0.0) - cab_base.get(link, 0.0)),
        }
        for link in sorted(set(cab_base.index) | set(cab_other.index))
        if abs(float(cab_other.get(link, 0.0) - cab_base.get(link, 0.0))) >= CHANGE_MW
    ]
    return {
        "system_cost_base_eur_a": cost_base,
        "system_cost_with_cbam_eur_a": cost_other,
        "system_cost_change_eur_a": cost_other - cost_base,
        "system_cost_change_eur_per_mwh_delivered": (
            (cost_other - cost_base) / export if export > 0 else None
        ),
        "co2_base_t_a": r.emissions_t(base),
        "co2_with_cbam_t_a": r.emissions_t(other),
        "export_base_mwh": float((_delivered(base) * base.snapshot_weightings.generators).sum()),
        "export_with_cbam_mwh": export,
        "capacity": capacity,
        "cables": cables,
    }


def compare(base: pypsa.Network, other: pypsa.Network, scenario: Scenario) -> dict[str, Any]:
    """The carbon border of a study: :func:`figures` of ``other`` (solved with
    ``scenario``'s CBAM) and its :func:`plan_change` from ``base`` (solved with
    :func:`without_cbam` of the same scenario), JSON-able."""
    return {"cbam": figures(other, scenario), "change": plan_change(base, other)}
