"""The report's tables: the figures an analyst looks for, written out (not only on hover),
each with its unit, its definition and where its inputs come from.

Figures are rounded to what the model can tell (whole MW, TWh to 0.01, prices to
0.1 EUR/MWh, shares to 0.1 %); solver noise such as ``-7.99e-15`` is shown as 0.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bakuhub import i18n
from bakuhub.corridor.datasets import records
from bakuhub.corridor.results import MIN_ENERGY_MWH
from bakuhub.i18n import N_, _

if TYPE_CHECKING:
    import pandas as pd

    from bakuhub.corridor.datasets import CorridorDataset
    from bakuhub.corridor.scenario import Scenario

TECH_DATA = "PyPSA technology-data v0.14.0, outputs/costs_{year}.csv"
MODEL = N_("this study's solve (PyPSA/linopy LP)")
"""Where the model's figures come from (translate where shown: :func:`model`)."""
UNSERVED_SHOWN_TWH = 1e-6
"""Unserved energy is reported from 1 MWh a year; below, it is solver noise."""
BUILT_MW = 0.5
"""Capacity below half a MW is solver noise, not a build."""


def model() -> str:
    """:data:`MODEL` in the reader's language."""
    return _(MODEL)


def missing() -> str:
    """What a missing figure reads (``n/a``), in the reader's language."""
    return _("n/a")


def fmt(value: Any, digits: int = 2, scale: float = 1.0) -> str:
    """A figure rounded to ``digits`` decimals (after dividing by ``scale``), with the
    locale's thousands separators and decimal sign; never ``-0``; ``n/a`` for a missing
    or infinite value."""
    if value is None:
        return missing()
    number = float(value)
    if not math.isfinite(number):
        return missing()
    rounded = round(number / scale, digits)
    if rounded == 0:
        rounded = 0.0  # -0.0 too
    return i18n.number(rounded, digits)


def pct(value: Any, digits: int = 1) -> str:
    """A share (0-1) as the locale writes a percentage, ``digits`` decimals; never
    ``-0``."""
    if value is None or not math.isfinite(float(value)):
        return missing()
    rounded = round(float(value) * 100, digits)
    if rounded == 0:
        rounded = 0.0  # -0.0 too
    return i18n.percent(rounded / 100, digits)


def sig(value: float, figures: int = 3) -> str:
    """A small figure with ``figures`` significant digits (unserved energy can be tiny)."""
    if value == 0 or not math.isfinite(value):
        return fmt(value, 0)
    digits = max(0, figures - 1 - math.floor(math.log10(abs(value))))
    return fmt(value, digits)


def cells(rows: Sequence[Sequence[str]], header: Sequence[str], caption: str = "") -> str:
    """An HTML table (escaped), with a caption when given."""
    head = "".join(f"<th scope='col'>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    top = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{top}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def note(*sentences: str) -> str:
    """Definitions and sources under a table."""
    return f"<p class='note'>{html.escape(' '.join(sentences))}</p>"


def _cost_source(data: CorridorDataset, technology: str) -> str:
    """Where a technology's investment figure comes from: the technology-data row, or the
    chosen cable-cost level for submarine cables."""
    rows = data.costs[
        (data.costs["technology"] == technology) & (data.costs["parameter"] == "investment")
    ]
    if rows.empty:
        return _("{technology}: no cost row").format(technology=technology)
    row = rows.iloc[0]
    if technology == "HVDC submarine":
        from bakuhub.corridor.datasets import cable_cost_levels

        levels = cable_cost_levels()
        level = levels[levels["level"] == data.cable_cost].iloc[0]
        return _("HVDC submarine {value} EUR/MW/km (cable-cost level '{level}': {source})").format(
            value=fmt(row["value"], 0), level=data.cable_cost, source=level["source"]
        )
    return _("{technology} {value} {unit} ({source}, row '{technology}' investment)").format(
        technology=technology,
        value=fmt(row["value"], 0),
        unit=row["unit"],
        source=TECH_DATA.format(year=data.year),
    )


def cables_section(
    cables: pd.DataFrame, economics: pd.DataFrame, scenario: Scenario, data: CorridorDataset
) -> str:
    """Every link between nodes: size, use, flows each way, and the cable economics."""
    if cables.empty:
        return ""
    econ = economics.set_index("cable") if len(economics) else None
    rows = []
    for row in records(cables):
        built = row.capacity_mw >= BUILT_MW
        e = econ.loc[row.link] if econ is not None and row.link in econ.index else None
        money = (
            [fmt(e.investment_eur, 0, 1e6), fmt(e.npv_eur, 0, 1e6), pct(e.irr)]
            if e is not None and built
            else ["-", "-", "-"]
        )
        rows.append(
            [
                str(row.link),
                f"{row.bus0} - {row.bus1}",
                fmt(row.capacity_mw, 0),
                pct(row.utilisation) if built else "-",
                fmt(row.full_load_hours, 0) if built else "-",
                fmt(row.forward_twh),
                fmt(row.backward_twh),
                fmt(row.losses_twh),
                pct(row.share_hours_at_limit) if built else "-",
                *money,
            ]
        )
    header = (
        _("cable"),
        _("from - to"),
        _("size, MW"),
        _("utilisation"),
        _("full-load hours, h/a"),
        _("forward, TWh/a"),
        _("backward, TWh/a"),
        _("losses, TWh/a"),
        _("hours at the limit"),
        _("investment, M EUR"),
        _("NPV, M EUR"),
        _("IRR"),
    )
    kinds = sorted(set(economics.technology)) if "technology" in economics else []
    sources = [_cost_source(data, k) for k in kinds]
    if kinds and any(k.startswith("HVDC") for k in kinds):
        sources.append(
            _("{source}, one pair per HVDC cable").format(
                source=_cost_source(data, "HVDC inverter pair")
            )
        )
    econ_words = scenario.economics
    return "\n".join(
        [
            f"<h2>{html.escape(_('Cables'))}</h2>",
            cells(rows, header, _("Links between nodes: size, use, flows and economics")),
            note(
                _(
                    "Size, flows and losses: {model}. Full-load hours: energy sent both ways "
                    "over the size, sum_t w_t |p_t| / P (h/a); utilisation: full-load hours "
                    "over the {hours} hours of the year; hours at the limit: share of the "
                    "year with |p_t| >= 0.999 P. Forward is from the first node to the second."
                ).format(model=model(), hours=i18n.number(8760)),
                _(
                    "NPV and IRR (HVDC cables; '-' for AC links, priced in the system cost): "
                    "investment I less fixed O&M, yearly net revenue R = sum_t w_t (eta p_t "
                    "price_to - p_t price_from) at the model's nodal prices, and "
                    "{price} EUR/MWh at the EU gateway "
                    "(scenario economics.export_price_eur_mwh); NPV = -I + R (1 - (1 + r)^-H) / r "
                    "with the real discount rate r = {rate} (costs.wacc) "
                    "over H = {years} years (economics.horizon_years). A cable "
                    "the model sized freely earns about its annuity at its own prices (NPV about "
                    "0, IRR about r)."
                ).format(
                    price=fmt(econ_words.export_price_eur_mwh, 1),
                    rate=pct(scenario.costs.wacc),
                    years=i18n.number(econ_words.horizon_years),
                ),
                _("Investment: {sources}.").format(sources="; ".join(sources)) if sources else "",
            ),
        ]
    )


def _capacity_cell(total: float, built: float) -> str:
    if total < BUILT_MW:
        return "-"
    return fmt(total, 0) + (f" (+{fmt(built, 0)})" if built >= BUILT_MW else "")


def nodes_section(lcoe: pd.DataFrame, capacities: pd.DataFrame, scenario: Scenario) -> str:
    """LCOE by node and capacity by node and technology."""
    cost_rows = [
        [
            str(row.node),
            fmt(row.lcoe_eur_mwh, 1),
            fmt(row.energy_mwh, 2, 1e6),
            fmt(row.capital_eur, 1, 1e6),
            fmt(row.running_eur, 1, 1e6),
            fmt(row.storage_eur, 1, 1e6),
        ]
        for row in records(lcoe)
        if row.energy_mwh >= MIN_ENERGY_MWH
    ]
    techs = sorted(set(capacities.technology))
    by_node: dict[str, dict[str, str]] = {}
    for row in records(capacities):
        by_node.setdefault(str(row.node), {})[str(row.technology)] = _capacity_cell(
            float(row.total_mw), float(row.built_mw)
        )
    cap_rows = [[node, *(cells_.get(t, "-") for t in techs)] for node, cells_ in by_node.items()]
    year = scenario.year
    return "\n".join(
        [
            f"<h2>{html.escape(_('Nodes'))}</h2>",
            cells(
                cost_rows,
                (
                    _("node"),
                    _("LCOE, EUR/MWh"),
                    _("generation, TWh/a"),
                    _("capital of new generators, M EUR/a"),
                    _("running cost, M EUR/a"),
                    _("batteries, M EUR/a"),
                ),
                _("Levelised cost of the electricity generated at each node"),
            ),
            note(
                _(
                    "LCOE = (annualised capital cost, investment annuity plus fixed O&M, of the "
                    "generators and batteries the model builds at the node + running cost of "
                    "all its generators: fuel, variable O&M and the CO2 price) / the node's "
                    "generation. The existing fleet's capital is sunk and not counted, so a "
                    "node of old hydro shows a low LCOE; batteries shift energy, they add none."
                ),
                _(
                    "Sources: investment, fixed and variable O&M, lifetimes and efficiencies "
                    "from {technology_data}, annualised at r = {rate}; fuel prices from the "
                    "Agora/UCA Central Asia dataset (fuel_supplies.csv) where a country has "
                    "one, else technology-data; CO2 price {co2_price} EUR/t (scenario "
                    "co2.price_eur_t); generation: {model}."
                ).format(
                    technology_data=TECH_DATA.format(year=year),
                    rate=pct(scenario.costs.wacc),
                    co2_price=fmt(scenario.co2.price_eur_t, 0),
                    model=model(),
                ),
            ),
            cells(
                cap_rows,
                (_("node"), *(_("{technology}, MW").format(technology=t) for t in techs)),
                _("Capacity by node and technology, existing + built (+ built by the model)"),
            ),
            note(
                _(
                    "Existing fleet: the shipped fleet table (Agora/UCA power_generators.csv, "
                    "IRENA via PyPSA-Earth, national sources; see docs/corridor-data.md), less "
                    "retirements by {year}; built: {model}. Battery: inverter MW."
                ).format(year=year, model=model()),
            ),
        ]
    )


def _demand_sources(data: CorridorDataset, countries: set[str]) -> str:
    """The demand figures' sources, per country shown."""
    country = data.nodes.set_index("node")["country"]
    seen: dict[str, set[str]] = {}
    for row in records(data.demand):
        if str(country.get(row.node)) in countries:
            seen.setdefault(str(country.get(row.node)), set()).add(str(row.source))
    return "; ".join(f"{c}: {' / '.join(sorted(s))}" for c, s in sorted(seen.items()))


def countries_section(renewables: pd.DataFrame, scenario: Scenario, data: CorridorDataset) -> str:
    """Renewable share of generation and of demand by country, beside any target."""
    if renewables.empty:
        return ""
    targets = scenario.renewable_targets
    rows = [
        [
            str(row.country),
            fmt(row.generation_twh),
            fmt(row.renewable_twh),
            fmt(row.demand_twh),
            pct(row.share_of_generation) if row.generation_twh > 0 else "-",
            pct(row.share_of_demand) if row.demand_twh > 0 else "-",
            pct(targets[row.country]) if row.country in targets else "-",
        ]
        for row in records(renewables)
    ]
    return "\n".join(
        [
            f"<h2>{html.escape(_('Countries'))}</h2>",
            cells(
                rows,
                (
                    _("country"),
                    _("generation, TWh/a"),
                    _("renewable, TWh/a"),
                    _("demand, TWh/a"),
                    _("renewable share of generation"),
                    _("renewable generation over demand"),
                    _("target (of demand)"),
                ),
                _("Renewable energy by country"),
            ),
            note(
                _(
                    "Renewable: solar, onshore and offshore wind, run-of-river and hydro. The "
                    "share of demand is the one a national target constrains "
                    "(renewable_targets); it passes {hundred} where a country exports "
                    "renewable power. Generation: {model}. Demand: {sources}; scaled by "
                    "demand_scale = {scale}."
                ).format(
                    hundred=i18n.percent(1.0),
                    model=model(),
                    sources=_demand_sources(data, set(map(str, renewables.country))),
                    scale=fmt(scenario.demand_scale, 2),
                ),
            ),
        ]
    )


def export_section(summary: dict[str, Any], scenario: Scenario) -> str:
    """Delivered energy and its cost at the EU gateway, and what that cost includes."""
    europe = scenario.europe
    heading = f"<h2>{html.escape(_('Export'))}</h2>"
    if europe.mode == "none":
        return heading + note(_("This scenario exports nothing (europe.mode: none)."))
    target = (
        _("{amount} TWh/a (europe.export_twh)").format(amount=fmt(europe.export_twh))
        if europe.mode == "target"
        else _("none: sold at {price} EUR/MWh (europe.price_eur_mwh)").format(
            price=fmt(europe.price_eur_mwh, 1)
        )
    )
    rows = [
        [_("Delivered at the EU gateway"), fmt(summary["export_twh"]), "TWh/a", model()],
        [_("Target"), target, "", _("scenario")],
        [
            _("Average cost of the delivered power at the gateway"),
            fmt(summary["gateway_price_eur_mwh"], 1),
            "EUR/MWh",
            _("nodal price at the gateway weighted by the power delivered each hour"),
        ],
        [
            _("Marginal cost of the export target"),
            fmt(summary.get("export_marginal_cost_eur_mwh"), 1),
            "EUR/MWh",
            _("dual of the export_target constraint"),
        ],
    ]
    return "\n".join(
        [
            heading,
            cells(
                rows,
                (_("figure"), _("value"), _("unit"), _("source")),
                _("Export at {gateway}").format(gateway=europe.gateway),
            ),
            note(
                _(
                    "The gateway price sum_t w_t x_t price_t / sum_t w_t x_t is the model's "
                    "nodal price (the dual of the gateway's energy balance): the cost of one "
                    "more MWh there, which includes fuel, the CO2 price, the capital of the "
                    "generators, batteries and cables built for it (the model builds until "
                    "their annuities are recovered by these prices) and the losses on the "
                    "way. It is the marginal cost of supply, not the corridor's average cost; "
                    "the EU side's own grid and market are not modelled."
                ),
            ),
        ]
    )
