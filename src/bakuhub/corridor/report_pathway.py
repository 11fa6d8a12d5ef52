"""The report's (and the study page's) section on a pathway (``pathway_study.py``): the
years side by side, what was built when by country and technology, when each cable was
built, each year's cables in service and the real-year check of each year
(``pathway_years.py``), and a chart of the capacity built each year.

Each part reads the study summary only and is empty when the summary has no pathway.
"""

from __future__ import annotations

import html
from typing import Any

from bakuhub import i18n
from bakuhub.corridor.report_summary import signed
from bakuhub.corridor.report_tables import cells, fmt, note, pct
from bakuhub.i18n import _


def _years_table(found: dict[str, Any]) -> str:
    rows = [
        [
            str(row["year"]),
            fmt(row["system_cost_eur_a"], 2, 1e9),
            fmt(row["investment_eur"], 2, 1e9),
            fmt(row["cumulative_investment_eur"], 2, 1e9),
            fmt(row["co2_mt"], 2),
            fmt(row["cumulative_co2_mt"], 1),
            fmt(row["export_twh"], 2),
            fmt(row.get("gateway_price_eur_mwh"), 1),
            fmt(row["demand_twh"], 1),
            fmt(row.get("unserved_twh"), 3),
            ", ".join(
                f"{country} {pct(share)} ({pct(row['renewable_targets'].get(country))})"
                for country, share in sorted(row["renewable_share_of_demand"].items())
                if country in row["renewable_targets"]
            ),
        ]
        for row in found["by_year"]
    ]
    header = (
        _("year"),
        _("system cost, bn EUR/a"),
        _("investment, bn EUR"),
        _("cumulative investment, bn EUR"),
        _("CO2, Mt/a"),
        _("cumulative CO2, Mt"),
        _("export, TWh/a"),
        _("price of exported power at the EU gateway, EUR/MWh"),
        _("demand, TWh/a"),
        _("unserved, TWh/a"),
        _("renewable share of demand (target)"),
    )
    return cells(rows, header, _("The pathway year by year"))


def _built_table(found: dict[str, Any]) -> str:
    years = [str(y) for y in found["years"]]
    totals: dict[tuple[str, str], dict[str, float]] = {}
    for row in found["built"]:
        totals.setdefault((row["country"], row["technology"]), {})[str(row["year"])] = row["mw"]
    rows = [
        [country, technology, *(fmt(per.get(y, 0.0), 0) for y in years)]
        for (country, technology), per in sorted(totals.items())
    ]
    header = (_("country"), _("technology"), *(_("{year}, MW").format(year=y) for y in years))
    return cells(rows, header, _("Capacity built in each year (battery energy in MWh)"))


def _cables_table(found: dict[str, Any]) -> str:
    years = [str(y) for y in found["years"]]
    rows = [
        [cable, *(fmt(per.get(y, 0.0), 0) for y in years)]
        for cable, per in sorted(found["cables"].items())
    ]
    header = (_("cable"), *(_("{year}, MW").format(year=y) for y in years))
    return cells(rows, header, _("When each cable is built (MW added in the year)"))


def _year_cables_table(found: dict[str, Any]) -> str:
    rows = [
        [
            cable,
            str(row["year"]),
            fmt(figures["capacity_mw"], 0),
            fmt(figures["energy_twh"], 2),
            pct(figures["utilisation"]),
            pct(figures["share_hours_at_limit"]),
            fmt(figures["congestion_rent_eur_a"], 1, 1e6),
            fmt(figures["price_spread_eur_mwh"], 1),
        ]
        for cable in sorted({c for row in found["by_year"] for c in row.get("cables", {})})
        for row in found["by_year"]
        if (figures := row.get("cables", {}).get(cable))
    ]
    if not rows:
        return ""
    header = (
        _("cable"),
        _("year"),
        _("capacity in service, MW"),
        _("energy, TWh/a"),
        _("utilisation"),
        _("hours at the limit"),
        _("congestion rent, M EUR/a"),
        _("mean price spread between its ends, EUR/MWh"),
    )
    return cells(rows, header, _("The cables year by year (built that year and before)"))


def _cable_economics_table(found: dict[str, Any]) -> str:
    rows = [
        [cable, fmt(e["investment_eur"], 0, 1e6), fmt(e["npv_eur"], 0, 1e6), pct(e["irr"])]
        for cable, e in sorted(found.get("cable_economics", {}).items())
    ]
    if not rows:
        return ""
    header = (_("cable"), _("investment, M EUR"), _("NPV, M EUR"), _("IRR"))
    table = cells(rows, header, _("Each cable over the path: investment, NPV and IRR"))
    said = _(
        "Each year's investment in the cable and its net revenue in each year (the power "
        "it delivers valued at the far end's price, at the export price at the EU "
        "gateway, less the power it takes at the near end's price and fixed O&M), held "
        "until the next year of the pathway and after the last until {horizon} years "
        "from {first}, discounted to {first} at {rate}."
    )
    first = next(iter(found["cable_economics"].values()))
    return table + note(
        said.format(
            horizon=fmt(first["horizon_years"], 0),
            first=found["years"][0],
            rate=pct(first["wacc"]),
        )
    )


def _real_year_table(found: dict[str, Any]) -> str:
    from bakuhub.corridor.real_year import weather_note
    from bakuhub.corridor.real_year_figures import verdict

    checked = [row for row in found["by_year"] if row.get("real_year")]
    if not checked:
        return ""
    rows = []
    for row in checked:
        check = row["real_year"]
        target = check.get("export_target_twh")
        rows.append(
            [
                str(row["year"]),
                fmt(check["system_cost_eur_a"], 3, 1e9),
                fmt(check["sizing_cost_eur_a"], 3, 1e9),
                signed(check["cost_difference_rel"]),
                f"{fmt(check['unserved_twh'], 3)} ({pct(check['unserved_share'], 3)})",
                fmt(check["export_twh"], 2) + ("" if target is None else f" / {fmt(target, 2)}"),
                verdict(check, remedy=False)[1],
            ]
        )
    header = (
        _("year"),
        _("real-year cost, bn EUR/a"),
        _("pathway cost, bn EUR/a"),
        _("difference"),
        _("unserved, TWh/a (share of demand)"),
        _("export delivered / target, TWh/a"),
        _("verdict"),
    )
    return "\n".join(
        [
            cells(rows, header, _("Real-year check of each pathway year")),
            note(
                _(
                    "Each year's design (what it built and what earlier years built and "
                    "still stands, fixed) operated hour by hour through the full year on "
                    "that year's demand; its cost against the year's system cost above. "
                    "The pathway is not refined on the full year: a year far off calls for "
                    "a finer resolution."
                ),
                weather_note(str(checked[0]["real_year"].get("weather", "rebuilt"))),
            ),
        ]
    )


def pathway_section(summary: dict[str, Any]) -> str:
    """The pathway's tables and notes, or nothing when the study has no pathway."""
    found = summary.get("pathway")
    if not found:
        return ""
    said = _(
        "Years {years}, solved {mode} at {resolution}; capacity built in a year stands "
        "until its technology-data lifetime ends. Discounted total system cost at "
        "{rate}: {total} bn EUR (years from {first}, each year standing for the years up "
        "to the next). Demand after 2035 grows {growth} % a year."
    ).format(
        years=", ".join(str(y) for y in found["years"]),
        mode=_("year after year (myopic)")
        if found["mode"] == "myopic"
        else _("all years at once (perfect foresight)"),
        resolution=found["resolution"],
        rate=pct(found["discount_rate"]),
        total=fmt(found["discounted_cost_eur"], 1, 1e9),
        first=found["years"][0],
        growth=fmt(found["demand_growth_after_2035_pct"], 1),
    )
    foresight = (
        [
            note(
                _(
                    "Perfect foresight: one optimisation over all the years, knowing every "
                    "year's costs, demand and targets; each year's constraints hold in "
                    "that year. The least-cost path, a bound the year-by-year (myopic) "
                    "decisions cannot beat, not a forecast of them. Each year's figures "
                    "are read from that one solution."
                )
            )
        ]
        if found["mode"] == "perfect-foresight"
        else []
    )
    return "\n".join(
        [
            f"<h2 id='pathway'>{html.escape(_('Pathway'))}</h2>",
            f"<p>{html.escape(said)}</p>",
            *foresight,
            _years_table(found),
            note(
                _(
                    "System cost of a year: its operating cost and the yearly capital cost "
                    "of everything built in it and before that still stands. Investment: "
                    "overnight cost (technology-data, the year's row) of what the year "
                    "builds, undiscounted. Cumulative CO2: each year's emissions times the "
                    "years it stands for. Targets: the scenario's pathway targets (by "
                    "default the official ones in corridor/pathway_options.py)."
                )
            ),
            _built_table(found),
            _cables_table(found),
            _year_cables_table(found),
            note(
                _(
                    "Congestion rent: what the far end pays for the power that arrives "
                    "less what the near end is paid for the power sent, at the year's "
                    "nodal prices, both ways. Price spread: the mean absolute difference "
                    "of the nodal prices at the cable's ends over the hours of the year."
                )
            ),
            _cable_economics_table(found),
            _real_year_table(found),
        ]
    )


def pathway_figure(summary: dict[str, Any]) -> Any:
    """A bar chart of the capacity built each year by technology (MW; battery energy
    left out), or None when the study has no pathway."""
    found = summary.get("pathway")
    if not found:
        return None
    import plotly.graph_objects as go

    by_tech: dict[str, dict[int, float]] = {}
    for row in found["built"]:
        if row["technology"] != "battery energy":
            per = by_tech.setdefault(row["technology"], {})
            per[row["year"]] = per.get(row["year"], 0.0) + row["mw"]
    fig = go.Figure()
    for tech, per in sorted(by_tech.items()):
        years = found["years"]
        fig.add_trace(
            go.Bar(x=[str(y) for y in years], y=[per.get(y, 0.0) for y in years], name=tech)
        )
    fig.update_layout(
        barmode="stack",
        title=_("Capacity built in each year of the pathway"),
        yaxis_title="MW",
        height=420,
        separators=i18n.separators(),
    )
    return fig
