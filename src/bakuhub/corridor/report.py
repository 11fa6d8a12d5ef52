"""A self-contained HTML report of a corridor study, with Plotly charts that work
offline (plotly.js is embedded once; no CDN, no base-map tiles)."""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bakuhub import i18n
from bakuhub.corridor import results as r
from bakuhub.corridor.datasets import load_dataset
from bakuhub.corridor.economics import cable_economics
from bakuhub.corridor.report_map import OUTLINE_SOURCE, network_map
from bakuhub.corridor.report_molecules import molecule_figures, molecules_section
from bakuhub.corridor.report_negotiation import negotiation_sections
from bakuhub.corridor.report_pathway import pathway_figure, pathway_section
from bakuhub.corridor.report_summary import (
    counterfactual_section,
    key_figures,
    real_year_section,
    refinement_section,
    unserved_section,
)
from bakuhub.corridor.report_tables import (
    cables_section,
    countries_section,
    export_section,
    model,
    nodes_section,
    note,
)
from bakuhub.i18n import _

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

    from bakuhub.corridor.solve import Solved

STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:1100px;margin:auto;padding:1rem}"
    "table{border-collapse:collapse;display:block;overflow-x:auto;margin:.5rem 0}"
    "caption{text-align:start;font-weight:600;padding:.3rem 0}"
    "th,td{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:start}"
    "td{font-variant-numeric:tabular-nums;white-space:nowrap}"
    ".note{font-size:.85rem;color:#444;max-width:60rem}"
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


def _stacked(frame: pd.DataFrame, value: str, color: str, title: str, unit: str) -> go.Figure:
    import plotly.graph_objects as go

    fig = go.Figure()
    for key, part in frame.groupby(color):
        fig.add_trace(
            go.Bar(x=part.node, y=part[value], name=str(key), marker_color=COLORS.get(str(key)))
        )
    fig.update_layout(
        barmode="relative", title=title, yaxis_title=unit, height=420, separators=i18n.separators()
    )
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
            x=x,
            y=load[index],
            name=_("demand"),
            line={"color": "black", "width": 2, "shape": "hv"},
        )
    )
    fig.update_layout(
        title=_("Dispatch, 2-8 July (all nodes, MW)"),
        xaxis_title=_("hour of the year"),
        yaxis_title="MW",
        height=420,
        separators=i18n.separators(),
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
        title=_(
            "Nodal price duration curves (scarcity prices at the value of lost load "
            "are off the scale)"
        ),
        xaxis_title=_("hours of the year"),
        yaxis_title="EUR/MWh",
        height=420,
        separators=i18n.separators(),
    )
    return fig


def _comparison(summary: dict[str, Any]) -> go.Figure | None:
    import plotly.graph_objects as go

    cf = summary.get("counterfactual")
    if not cf:
        return None
    from plotly.subplots import make_subplots

    names = [summary["scenario"], cf["scenario"]]
    fig = make_subplots(rows=1, cols=2, subplot_titles=(_("System cost, bn EUR/a"), _("CO2, Mt/a")))
    cost = [summary["total_system_cost_eur_a"] / 1e9, cf["total_system_cost_eur_a"] / 1e9]
    co2 = [summary["co2_emitted_mt"], cf["co2_emitted_mt"]]
    fig.add_trace(go.Bar(x=names, y=cost, name=_("system cost"), marker_color="#4c72b0"), 1, 1)
    fig.add_trace(go.Bar(x=names, y=co2, name="CO2", marker_color="#c44e52"), 1, 2)
    fig.update_layout(
        title=_("Against the counterfactual without the Caspian cable"),
        showlegend=False,
        height=380,
        separators=i18n.separators(),
    )
    return fig


def _tables(solved: Solved, tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables the report reads, computed from the network where not given."""
    n, scenario = solved.network, solved.scenario
    made: dict[str, Callable[[], pd.DataFrame]] = {
        "cables": lambda: r.cables(n),
        "capacities": lambda: r.capacities(n),
        "generation": lambda: r.generation(n),
        "lcoe": lambda: r.lcoe(n),
        "renewables": lambda: r.renewables(n),
        "unserved": lambda: r.unserved(n),
        "price_duration": lambda: r.price_duration(n),
        "cable_economics": lambda: cable_economics(
            n, scenario, load_dataset(scenario.year, scenario.costs.cable_cost)
        ),
    }
    return {name: tables[name] if name in tables else make() for name, make in made.items()}


def _html(figure: Any) -> str:
    """A chart's div and script; plotly.js itself is embedded once in the page head."""
    return str(figure.to_html(full_html=False, include_plotlyjs=False))


def _sections(solved: Solved, summary: dict[str, Any], t: dict[str, pd.DataFrame]) -> str:
    """The tables of the report, in the order an analyst reads them."""
    scenario = solved.scenario
    data = load_dataset(scenario.year, scenario.costs.cable_cost)
    comparison = _comparison(summary)
    parts = [
        f"<h2>{html.escape(_('Key figures'))}</h2>",
        key_figures(summary),
        _html(network_map(solved.network, t["cables"])),
        note(
            _("Nodes: GeoNames coordinates (nodes.csv); cables: {model}.").format(model=model()),
            _(OUTLINE_SOURCE),
        ),
        cables_section(t["cables"], t["cable_economics"], scenario, data),
        nodes_section(t["lcoe"], t["capacities"], scenario),
        countries_section(t["renewables"], scenario, data),
        export_section(summary, scenario),
        counterfactual_section(summary),
        _html(comparison) if comparison is not None else "",
        unserved_section(summary, t["unserved"]),
        negotiation_sections(summary),
        pathway_section(summary),
        molecules_section(summary),
        refinement_section(summary),
        real_year_section(summary),
    ]
    return "\n".join(part for part in parts if part)


def render_report(solved: Solved, summary: dict[str, Any], tables: dict[str, pd.DataFrame]) -> str:
    """The report of a solved scenario and its study summary (``run_study.summarise``), in
    the reader's language (:func:`bakuhub.i18n.current`): tables of every key figure with
    units and sources, and interactive charts; nothing is fetched from a network."""
    from plotly.offline import get_plotlyjs

    t = _tables(solved, tables)
    figures = [
        _stacked(
            t["capacities"],
            "total_mw",
            "technology",
            _("Capacity by node (existing + built)"),
            "MW",
        ),
        _stacked(t["generation"], "energy_twh", "carrier", _("Generation by node"), "TWh/a"),
        _week(solved),
        _durations(t["price_duration"]),
    ]
    if (pathway := pathway_figure(summary)) is not None:
        figures.append(pathway)
    figures += molecule_figures(summary)
    charts = "\n".join(_html(f) for f in figures)
    title = html.escape(
        _("bakuhub corridor study: {scenario} ({year})").format(
            scenario=summary["scenario"], year=summary["year"]
        )
    )
    language = i18n.current()
    direction = "rtl" if i18n.is_rtl(language) else "ltr"
    about = html.escape(
        _(
            "Profiles for Azerbaijan, Georgia and Romania are modelled, not measured (see "
            "docs/corridor-data.md)."
        )
    )
    return f"""<!doctype html>
<html lang="{language}" dir="{direction}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{STYLE}</style>
<script>{get_plotlyjs()}</script></head>
<body><main><h1>{title}</h1>
<p>{html.escape(_("Scenario hash"))} <code>{summary["scenario_hash"][:16]}</code>;
bakuhub {summary["bakuhub_version"]}. {about}</p>
{_sections(solved, summary, t)}
<h2>{html.escape(_("Charts"))}</h2>{charts}</main></body></html>
"""


def write_report(
    solved: Solved,
    summary: dict[str, Any],
    tables: dict[str, pd.DataFrame],
    path: Path,
    *,
    language: str | None = None,
) -> Path:
    """Write the report (:func:`render_report`) to ``path``, in ``language`` (default: the
    current one; a job on a worker, the command line: English)."""
    with i18n.use(language or i18n.current()):
        body = render_report(solved, summary, tables)
    path.write_text(body, encoding="utf-8")
    return path
