"""The report's (and the study page's) section on hydrogen and ammonia: where the
electrolysers go, their full-load hours, the cost of hydrogen per kg by node, the water
they draw, the export against its target, and how the cables change against the same
scenario without molecules (``molecule_results.py`` made the figures); and charts of
the cost of hydrogen by node and of the cables with and without molecules.

Reads the study summary only; empty when the summary has no ``molecules`` part.
"""

from __future__ import annotations

import html
from typing import Any

from bakuhub import i18n
from bakuhub.corridor.report_tables import cells, fmt, note
from bakuhub.i18n import _


def _nodes(rows: list[dict[str, Any]]) -> str:
    body = [
        [
            str(row["node"]),
            fmt(row["electrolyser_mw_el"], 0),
            fmt(row["full_load_hours"], 0),
            fmt(row["hydrogen_t"], 1, 1e3),
            fmt(row["lcoh_eur_kg"], 2),
            fmt(row["electricity_eur_mwh_el"], 1),
            fmt(row["water_m3"], 2, 1e6),
            fmt(row["water_l_per_kg"], 1),
            fmt(row["water_cost_eur_kg"], 3),
            fmt(row["ammonia_t"], 1, 1e3),
        ]
        for row in rows
    ]
    header = (
        _("node"),
        _("electrolyser, MW_el"),
        _("full-load hours, h/a"),
        _("hydrogen, kt/a"),
        _("cost of hydrogen, EUR/kg"),
        _("electricity, EUR/MWh_el"),
        _("water, million m3/a"),
        _("water, litres/kg"),
        _("water, EUR/kg"),
        _("ammonia, kt/a"),
    )
    return cells(body, header, _("Electrolysers, hydrogen and water by node"))


def _export(row: dict[str, Any] | None) -> str:
    if not row:
        return ""
    carrier = _("hydrogen") if row["carrier"] == "hydrogen" else _("ammonia")
    said = _("{carrier} delivered at {port}: {twh} TWh/a (LHV), {kt} kt/a.").format(
        carrier=carrier,
        port=row["port"],
        twh=fmt(row["delivered_twh"], 2),
        kt=fmt(row["delivered_t"], 1, 1e3),
    )
    if row.get("target_twh") is not None:
        said += " " + _("Target: {target} TWh/a.").format(target=fmt(row["target_twh"], 2))
    said += " " + _(
        "Its price at the port over the delivery: {eur_mwh} EUR/MWh, {eur_kg} EUR/kg."
    ).format(eur_mwh=fmt(row["port_price_eur_mwh"], 1), eur_kg=fmt(row["port_price_eur_kg"], 2))
    return f"<p>{html.escape(said)}</p>"


def _cables(rows: list[dict[str, Any]], without: dict[str, Any]) -> str:
    body = [
        [
            str(row["link"]),
            fmt(row["capacity_without_mw"], 0),
            fmt(row["capacity_mw"], 0),
            fmt(float(row["capacity_mw"]) - float(row["capacity_without_mw"]), 0),
            fmt(row["energy_without_twh"], 2),
            fmt(row["energy_twh"], 2),
        ]
        for row in rows
    ]
    header = (
        _("cable"),
        _("capacity without molecules, MW"),
        _("capacity with molecules, MW"),
        _("change, MW"),
        _("energy without, TWh/a"),
        _("energy with, TWh/a"),
    )
    caption = _("Cables against {scenario}, solved at the same resolution").format(
        scenario=without["scenario"]
    )
    return cells(body, header, caption)


def molecules_section(summary: dict[str, Any]) -> str:
    """The section, or nothing when the study has no molecules."""
    part = summary.get("molecules")
    if not part:
        return ""
    change = float(part["total_system_cost_eur_a"]) - float(
        part["without"]["total_system_cost_eur_a"]
    )
    added = _("The molecules add {cost} M EUR/a to the total system cost.").format(
        cost=fmt(change, 1, 1e6)
    )
    return "\n".join(
        [
            f"<h2 id='molecules'>{html.escape(_('Hydrogen and ammonia'))}</h2>",
            _export(part.get("export")),
            _nodes(part["nodes"]),
            _cables(part["cables"], part["without"]),
            f"<p>{html.escape(added)}</p>",
            note(
                _(
                    "Cost of hydrogen per kg at the node: the electrolyser's annualised "
                    "capital and fixed costs (with the desalination plant when water is "
                    "desalinated), its variable cost (fresh water's price), its share of "
                    "the hydrogen stores in proportion to the hydrogen it makes, and its "
                    "electricity at the node's marginal price; pipelines, ammonia "
                    "synthesis and shipping are not in it."
                ),
                _(
                    "Full-load hours: the electricity the electrolyser drew over its "
                    "capacity. Water: litres per kg as the scenario states (stoichiometry "
                    "needs 8.9); desalination: seawater reverse osmosis, technology-data "
                    "row 'seawater desalination'; fresh water at the scenario's price "
                    "(0 when no source gives one)."
                ),
                _("Method and limits: docs/corridor-method.md."),
            ),
        ]
    )


def molecule_figures(summary: dict[str, Any]) -> list[Any]:
    """Charts of the section: the cost of hydrogen per kg by node with the electrolyser
    capacity there, and the cables' capacity with and without molecules (when the
    summary has them); none when the study has no molecules. The figures are the
    tables' (the summary's ``molecules`` part)."""
    part = summary.get("molecules")
    if not part:
        return []
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    figures = []
    nodes = [row for row in part["nodes"] if row["electrolyser_mw_el"] > 0]
    if nodes:
        fig = make_subplots(specs=[[{"secondary_y": True}]])
        names = [str(row["node"]) for row in nodes]
        bars = (
            ("lcoh_eur_kg", _("cost of hydrogen, EUR/kg"), "#4c72b0", False),
            ("electrolyser_mw_el", _("electrolyser, MW_el"), "#dd8452", True),
        )
        for key, label, color, second in bars:
            fig.add_trace(
                go.Bar(
                    x=names,
                    y=[row[key] for row in nodes],
                    name=label,
                    marker_color=color,
                    offsetgroup=key,
                ),
                secondary_y=second,
            )
        fig.update_yaxes(title_text="EUR/kg", secondary_y=False)
        fig.update_yaxes(title_text="MW_el", secondary_y=True)
        fig.update_layout(
            barmode="group",
            title=_("Cost of hydrogen by node, and the electrolysers there"),
            height=420,
            separators=i18n.separators(),
        )
        figures.append(fig)
    cables = part.get("cables") or []
    if cables:
        links = [str(row["link"]) for row in cables]
        fig = go.Figure(
            [
                go.Bar(
                    x=links,
                    y=[row["capacity_without_mw"] for row in cables],
                    name=_("without molecules"),
                    marker_color="#8c8c8c",
                ),
                go.Bar(
                    x=links,
                    y=[row["capacity_mw"] for row in cables],
                    name=_("with molecules"),
                    marker_color="#4c72b0",
                ),
            ]
        )
        fig.update_layout(
            barmode="group",
            title=_("Cable capacity with and without hydrogen and ammonia"),
            yaxis_title="MW",
            height=420,
            separators=i18n.separators(),
        )
        figures.append(fig)
    return figures
