"""The report's sections drawn from the study summary (``run_study.summarise``): the key
figures, the counterfactual beside the study with the differences, unserved energy (only
when there is some) and the real-year check."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from bakuhub.corridor.datasets import records
from bakuhub.corridor.report_tables import MODEL, UNSERVED_SHOWN_TWH, cells, fmt, note, pct, sig

if TYPE_CHECKING:
    import pandas as pd


def _unserved_twh(summary: dict[str, Any]) -> float:
    value = summary.get("unserved_twh")
    return float(value) if value else 0.0


def key_figures(summary: dict[str, Any]) -> str:
    """The key figures; unserved energy only when there is some."""
    rows = [
        ["Total system cost", fmt(summary["total_system_cost_eur_a"], 3, 1e9), "bn EUR/a"],
        ["Exported to the EU gateway", fmt(summary["export_twh"]), "TWh/a"],
        [
            "Average cost of delivered power at the gateway",
            fmt(summary["gateway_price_eur_mwh"], 1),
            "EUR/MWh",
        ],
        ["CO2 emitted", fmt(summary["co2_emitted_mt"]), "Mt/a"],
    ]
    if summary.get("co2_avoided_mt") is not None:
        rows.append(
            ["CO2 avoided against no Caspian cable", fmt(summary["co2_avoided_mt"]), "Mt/a"]
        )
    if _unserved_twh(summary) >= UNSERVED_SHOWN_TWH:
        rows.append(["Unserved energy", sig(_unserved_twh(summary)), "TWh/a"])
    rows.append(
        [
            "Resolution",
            f"{summary['resolution']} ({summary['model']['snapshots']:,} snapshots)",
            "",
        ]
    )
    return cells(rows, ("figure", "value", "unit")) + note(
        f"Source: {MODEL}; the sections below define each figure."
    )


def unserved_section(summary: dict[str, Any], unserved: pd.DataFrame | None) -> str:
    """Where demand went unmet, only when some did."""
    if _unserved_twh(summary) < UNSERVED_SHOWN_TWH or unserved is None:
        return ""
    rows = [
        [str(row.node), sig(row.unserved_twh), pct(row.share, 3)]
        for row in records(unserved)
        if row.unserved_twh >= UNSERVED_SHOWN_TWH
    ]
    return "\n".join(
        [
            "<h2>Unserved energy</h2>",
            cells(rows, ("node", "unserved, TWh/a", "share of the node's demand"), "Demand unmet"),
            note(
                f"Source: {MODEL}. Demand left unmet at the value of lost load "
                "(scenario voll_eur_mwh): the scenario asks more than what may be built can give."
            ),
        ]
    )


def counterfactual_section(summary: dict[str, Any]) -> str:
    """The counterfactual's figures beside the study's, and the differences."""
    cf = summary.get("counterfactual")
    if not cf:
        return ""
    figures: list[tuple[str, str, float, int]] = [
        ("System cost", "total_system_cost_eur_a", 1e9, 3),
        ("CO2 emitted", "co2_emitted_mt", 1.0, 2),
        ("Exported to the EU gateway", "export_twh", 1.0, 2),
        ("Average cost at the gateway", "gateway_price_eur_mwh", 1.0, 1),
    ]
    units = {"total_system_cost_eur_a": "bn EUR/a", "co2_emitted_mt": "Mt/a"}
    units |= {"export_twh": "TWh/a", "gateway_price_eur_mwh": "EUR/MWh"}
    if _unserved_twh(summary) >= UNSERVED_SHOWN_TWH or _unserved_twh(cf) >= UNSERVED_SHOWN_TWH:
        figures.append(("Unserved energy", "unserved_twh", 1.0, 3))
        units["unserved_twh"] = "TWh/a"
    rows = []
    for label, key, scale, digits in figures:
        ours, theirs = summary.get(key), cf.get(key)
        both = ours is not None and theirs is not None
        difference = float(ours) - float(theirs) if both else None  # type: ignore[arg-type]
        rows.append(
            [
                label,
                fmt(ours, digits, scale),
                fmt(theirs, digits, scale),
                fmt(difference, digits, scale),
                units[key],
            ]
        )
    return "\n".join(
        [
            "<h2>Against the counterfactual</h2>",
            cells(
                rows,
                ("figure", "this study", str(cf["scenario"]), "difference", "unit"),
                "The same scenario without the Caspian cable",
            ),
            note(
                "Difference = this study less the counterfactual: a negative system cost "
                "difference is what the Caspian cable saves a year, a negative CO2 difference "
                "the CO2 it avoids. The counterfactual is the same scenario with the link "
                f"CASPIAN off, solved the same way. Source: {MODEL}, both solves."
            ),
        ]
    )


def signed(share: float) -> str:
    """A relative difference in per cent with its sign (+1.25 %, -0.40 %, 0.00 %)."""
    text = pct(share, 2)
    return text if text.startswith(("-", "0.00")) else "+" + text


def real_year_section(summary: dict[str, Any]) -> str:
    """The real-year check (``real_year.py``): its verdict, figures against the sizing
    solve, where and when demand went unserved, and how the cables were used."""
    check = summary.get("real_year")
    if not check:
        return ""

    def f3(value: Any, digits: int = 3) -> str:
        return fmt(value, digits)

    target = check.get("export_target_twh")
    figures = [
        (
            "System cost, bn EUR/a",
            f3(check["system_cost_eur_a"] / 1e9),
            f3(check["sizing_cost_eur_a"] / 1e9),
            signed(check["cost_difference_rel"]),
        ),
        (
            "Unserved energy, TWh/a",
            f3(check["unserved_twh"]),
            "",
            f"{pct(check['unserved_share'], 3)} of demand",
        ),
        (
            "Curtailment, TWh/a",
            f3(check["curtailment_twh"]),
            f3(check["sizing_curtailment_twh"]),
            "",
        ),
        (
            "Export delivered, TWh/a",
            f3(check["export_twh"]),
            f3(check["sizing_export_twh"]),
            ""
            if target is None
            else f"target {f3(target)}, short {f3(check['export_shortfall_twh'])}",
        ),
    ]
    cycles = check.get("storage_full_cycles", {})
    sized = check.get("sizing_storage_full_cycles", {})
    figures += [
        (f"Full cycles a year, {name}", f3(value, 1), f3(sized.get(name), 1), "")
        for name, value in cycles.items()
    ]
    nodes = [
        (
            node,
            f3(v["unserved_twh"]),
            pct(v["share"], 3),
            f3(v["hours"], 0),
            f3(v["peak_mw"], 1),
        )
        for node, v in check["unserved_by_node"].items()
        if v["unserved_twh"] > 0
    ]
    worst = [
        (str(h["time"]), str(h["node"]), f3(h["unserved_mw"], 1), f3(h["demand_mw"], 1))
        for h in check["worst_hours"]
    ]
    cables = [
        (
            link,
            f3(v["capacity_mw"], 0),
            pct(v["mean_utilisation"]),
            f3(v["hours_at_capacity"], 0),
        )
        for link, v in check["cables"].items()
    ]
    parts = [
        "<h2>Real-year check</h2>",
        f"<p>{html.escape(check['weather_note'])} The design's capacities are fixed and "
        f"operated through {check['hours']:,} chronological hours in one LP.</p>",
        f"<p><strong>{html.escape(check['verdict'])}</strong></p>",
        cells(figures, ("figure", "full year", "sizing solve", "note")),
    ]
    if nodes:
        parts += [
            "<h3>Unserved energy by node</h3>",
            cells(nodes, ("node", "TWh/a", "share of demand", "hours", "peak MW")),
            "<h3>Worst hours</h3>",
            cells(worst, ("hour", "node", "unserved MW", "demand MW")),
        ]
    if cables:
        parts += [
            "<h3>Cables over the year</h3>",
            cells(cables, ("cable", "MW", "mean utilisation", "hours at capacity")),
        ]
    return "\n".join(parts)
