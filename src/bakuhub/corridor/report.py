"""A self-contained HTML report of a corridor study, with Plotly charts that work
offline (plotly.js is embedded once; no CDN, no base-map tiles)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bakuhub.corridor.datasets import records

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go
    import pypsa

    from bakuhub.corridor.solve import Solved

STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:1100px;margin:auto;padding:1rem}"
    "table{border-collapse:collapse}"
    "th,td{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left}"
)
COLORS = {
    "solar": "#f9d002",
    "onwind": "#235ebc",
    "offwind": "#6895dd",
    "ror": "#3dbfb0",
    "hydro": "#298c81",
    "CCGT": "#a85522",
    "OCGT": "#e0986c",
    "coal": "#545454",
    "lignite": "#826837",
    "oil": "#c9c9c9",
    "biomass": "#baa741",
    "nuclear": "#ff8c00",
    "gas thermal": "#d35050",
    "gas steam": "#e05b4b",
    "battery": "#ace37f",
    "unserved": "#ff0000",
}


def _map(n: pypsa.Network, cables: pd.DataFrame) -> go.Figure:
    import plotly.graph_objects as go

    fig = go.Figure()
    buses = n.buses[n.buses.carrier == "AC"]
    top = max(float(cables.capacity_mw.max()), 1.0) if len(cables) else 1.0
    for row in records(cables):
        if row.capacity_mw < 1:
            continue
        x = [buses.at[row.bus0, "x"], buses.at[row.bus1, "x"]]
        y = [buses.at[row.bus0, "y"], buses.at[row.bus1, "y"]]
        text = (
            f"{row.link}: {row.capacity_mw:,.0f} MW, {row.forward_twh:.2f} TWh forward, "
            f"{row.backward_twh:.2f} TWh back, {row.full_load_hours:,.0f} full-load hours"
        )
        fig.add_trace(
            go.Scatter(
                x=x,
                y=y,
                mode="lines",
                line={"width": 1 + 9 * row.capacity_mw / top},
                name=row.link,
                hovertext=text,
                hoverinfo="text",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=buses.x,
            y=buses.y,
            mode="markers+text",
            text=list(buses.index),
            textposition="top center",
            marker={"size": 12, "color": "#333"},
            name="nodes",
        )
    )
    fig.update_layout(
        title="Nodes and cables (line width: capacity; hover for flows)",
        xaxis_title="longitude",
        yaxis_title="latitude",
        height=450,
        yaxis={"scaleanchor": "x"},
    )
    return fig


def _stacked(frame: pd.DataFrame, value: str, color: str, title: str, unit: str) -> go.Figure:
    import plotly.graph_objects as go

    fig = go.Figure()
    for key, part in frame.groupby(color):
        fig.add_trace(
            go.Bar(x=part.node, y=part[value], name=str(key), marker_color=COLORS.get(str(key)))
        )
    fig.update_layout(barmode="relative", title=title, yaxis_title=unit, height=420)
    return fig


def _week(solved: Solved) -> go.Figure:
    """Dispatch of one summer week, 2-8 July, against the hour of the year.

    With representative days the week is rebuilt from the calendar; each snapshot
    (an hour, or a segment of a day or of the year) is drawn as a step over the hours
    it stands for.
    """
    import numpy as np
    import plotly.graph_objects as go

    n, temporal = solved.network, solved.temporal
    p = n.generators_t.p.T.groupby(n.generators.carrier).sum().T
    p = p.drop(columns=["export"], errors="ignore")
    load = n.loads_t.p_set.sum(axis=1).to_numpy()
    first, last = 182 * 24, 189 * 24
    if temporal.calendar is not None and temporal.period is not None:
        period = temporal.period.to_numpy()
        index = np.concatenate([np.flatnonzero(period == d) for d in temporal.calendar[182:189]])
        hours = temporal.duration.to_numpy()[index]  # 1 h, or a segment's length
        x = first + np.concatenate([[0.0], np.cumsum(hours)[:-1]])
        index = np.append(index, index[-1])
        x = np.append(x, float(last))
    else:
        ends = np.cumsum(temporal.duration.to_numpy())
        starts = ends - temporal.duration.to_numpy()
        index = np.flatnonzero((ends > first) & (starts < last))
        x = np.append(np.maximum(starts[index], first), min(float(ends[index[-1]]), last))
        index = np.append(index, index[-1])  # the last step drawn to its end
    fig = go.Figure()
    for carrier in p.columns:
        values = p[carrier].to_numpy()[index]
        if len(values) == 0 or np.abs(values).max() < 1:
            continue
        fig.add_trace(
            go.Scatter(
                x=x,
                y=values,
                stackgroup="gen",
                name=carrier,
                line={"width": 0.5, "color": COLORS.get(carrier), "shape": "hv"},
            )
        )
    fig.add_trace(
        go.Scatter(
            x=x, y=load[index], name="demand", line={"color": "black", "width": 2, "shape": "hv"}
        )
    )
    fig.update_layout(
        title="Dispatch, 2-8 July (all nodes, MW)",
        xaxis_title="hour of the year",
        yaxis_title="MW",
        height=420,
    )
    return fig


def _durations(prices: pd.DataFrame) -> go.Figure:
    import plotly.graph_objects as go

    fig = go.Figure()
    for node, part in prices.groupby("node"):
        fig.add_trace(
            go.Scatter(x=part.hours, y=part.price_eur_mwh, name=str(node), line={"shape": "hv"})
        )
    top = float(prices.price_eur_mwh.quantile(0.98)) * 1.5 if len(prices) else 1.0
    fig.update_yaxes(range=[min(0.0, float(prices.price_eur_mwh.min())), max(top, 1.0)])
    fig.update_layout(
        title="Nodal price duration curves (scarcity prices at the value of lost load "
        "are off the scale)",
        xaxis_title="hours of the year",
        yaxis_title="EUR/MWh",
        height=420,
    )
    return fig


def _comparison(summary: dict[str, Any]) -> go.Figure | None:
    import plotly.graph_objects as go

    cf = summary.get("counterfactual")
    if not cf:
        return None
    from plotly.subplots import make_subplots

    names = [summary["scenario"], cf["scenario"]]
    fig = make_subplots(rows=1, cols=2, subplot_titles=("System cost, bn EUR/a", "CO2, Mt/a"))
    cost = [summary["total_system_cost_eur_a"] / 1e9, cf["total_system_cost_eur_a"] / 1e9]
    co2 = [summary["co2_emitted_mt"], cf["co2_emitted_mt"]]
    fig.add_trace(go.Bar(x=names, y=cost, name="system cost", marker_color="#4c72b0"), 1, 1)
    fig.add_trace(go.Bar(x=names, y=co2, name="CO2", marker_color="#c44e52"), 1, 2)
    fig.update_layout(
        title="Against the counterfactual without the Caspian cable", showlegend=False, height=380
    )
    return fig


def _facts(summary: dict[str, Any]) -> str:
    def fmt(value: Any, digits: int = 2) -> str:
        return "n/a" if value is None else f"{value:,.{digits}f}"

    rows = [
        ("Total system cost", f"{fmt(summary['total_system_cost_eur_a'] / 1e9, 3)} bn EUR/a"),
        ("Exported to the EU gateway", f"{fmt(summary['export_twh'])} TWh/a"),
        (
            "Average cost of delivered power at the gateway",
            f"{fmt(summary['gateway_price_eur_mwh'])} EUR/MWh",
        ),
        (
            "Marginal cost of the export target",
            f"{fmt(summary['export_marginal_cost_eur_mwh'])} EUR/MWh",
        ),
        ("CO2 emitted", f"{fmt(summary['co2_emitted_mt'])} Mt/a"),
        ("CO2 avoided against no Caspian cable", f"{fmt(summary['co2_avoided_mt'])} Mt/a"),
        ("Unserved energy", f"{fmt(summary['unserved_twh'], 3)} TWh/a"),
        ("Resolution", f"{summary['resolution']} ({summary['model']['snapshots']} snapshots)"),
    ]
    cells = "".join(
        f"<tr><th scope='row'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows
    )
    return f"<table>{cells}</table>"


def _cells(rows: Sequence[Sequence[str]], header: tuple[str, ...]) -> str:
    head = "".join(f"<th scope='col'>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _real_year(summary: dict[str, Any]) -> str:
    """The real-year check (``real_year.py``): its verdict, figures against the sizing
    solve, where and when demand went unserved, and how the cables were used."""
    check = summary.get("real_year")
    if not check:
        return ""

    def fmt(value: Any, digits: int = 3) -> str:
        return "n/a" if value is None else f"{value:,.{digits}f}"

    target = check.get("export_target_twh")
    figures = [
        (
            "System cost, bn EUR/a",
            fmt(check["system_cost_eur_a"] / 1e9),
            fmt(check["sizing_cost_eur_a"] / 1e9),
            f"{check['cost_difference_rel']:+.2%}",
        ),
        (
            "Unserved energy, TWh/a",
            fmt(check["unserved_twh"]),
            "",
            f"{check['unserved_share']:.3%} of demand",
        ),
        (
            "Curtailment, TWh/a",
            fmt(check["curtailment_twh"]),
            fmt(check["sizing_curtailment_twh"]),
            "",
        ),
        (
            "Export delivered, TWh/a",
            fmt(check["export_twh"]),
            fmt(check["sizing_export_twh"]),
            ""
            if target is None
            else f"target {fmt(target)}, short {fmt(check['export_shortfall_twh'])}",
        ),
    ]
    cycles = check.get("storage_full_cycles", {})
    sized = check.get("sizing_storage_full_cycles", {})
    figures += [
        (f"Full cycles a year, {name}", fmt(value, 1), fmt(sized.get(name), 1), "")
        for name, value in cycles.items()
    ]
    nodes = [
        (
            node,
            fmt(v["unserved_twh"]),
            f"{v['share']:.3%}",
            fmt(v["hours"], 0),
            fmt(v["peak_mw"], 1),
        )
        for node, v in check["unserved_by_node"].items()
        if v["unserved_twh"] > 0
    ]
    worst = [
        (str(h["time"]), str(h["node"]), fmt(h["unserved_mw"], 1), fmt(h["demand_mw"], 1))
        for h in check["worst_hours"]
    ]
    cables = [
        (
            link,
            fmt(v["capacity_mw"], 0),
            f"{v['mean_utilisation']:.1%}",
            fmt(v["hours_at_capacity"], 0),
        )
        for link, v in check["cables"].items()
    ]
    parts = [
        "<h2>Real-year check</h2>",
        f"<p>{html.escape(check['weather_note'])} The design's capacities are fixed and "
        f"operated through {check['hours']:,} chronological hours in one LP.</p>",
        f"<p><strong>{html.escape(check['verdict'])}</strong></p>",
        _cells(figures, ("figure", "full year", "sizing solve", "note")),
    ]
    if nodes:
        parts += [
            "<h3>Unserved energy by node</h3>",
            _cells(nodes, ("node", "TWh/a", "share of demand", "hours", "peak MW")),
            "<h3>Worst hours</h3>",
            _cells(worst, ("hour", "node", "unserved MW", "demand MW")),
        ]
    if cables:
        parts += [
            "<h3>Cables over the year</h3>",
            _cells(cables, ("cable", "MW", "mean utilisation", "hours at capacity")),
        ]
    return "\n".join(parts)


def write_report(
    solved: Solved, summary: dict[str, Any], tables: dict[str, pd.DataFrame], path: Path
) -> Path:
    """Write the report of a solved scenario and its study summary (``run_study.summarise``);
    every chart is interactive and works without a network."""
    from plotly.offline import get_plotlyjs

    n = solved.network
    caps = tables["capacities"]
    figures = [
        _map(n, tables["cables"]),
        _stacked(caps, "total_mw", "technology", "Capacity by node (existing + built)", "MW"),
        _stacked(tables["generation"], "energy_twh", "carrier", "Generation by node", "TWh/a"),
        _week(solved),
        _durations(tables["price_duration"]),
    ]
    comparison = _comparison(summary)
    if comparison is not None:
        figures.append(comparison)
    charts = "\n".join(f.to_html(full_html=False, include_plotlyjs=False) for f in figures)
    title = html.escape(f"bakuhub corridor study: {summary['scenario']} ({summary['year']})")
    body = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{STYLE}</style>
<script>{get_plotlyjs()}</script></head>
<body><main><h1>{title}</h1>
<p>Scenario hash <code>{summary["scenario_hash"][:16]}</code>;
bakuhub {summary["bakuhub_version"]}. Profiles for Azerbaijan, Georgia and Romania are
modelled, not measured (see docs/corridor-data.md).</p>
<h2>Key figures</h2>{_facts(summary)}
{_real_year(summary)}
<h2>Charts</h2>{charts}</main></body></html>
"""
    path.write_text(body, encoding="utf-8")
    return path
