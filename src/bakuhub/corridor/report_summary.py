"""The report's sections drawn from the study summary (``run_study.summarise``): the key
figures, the counterfactual beside the study with the differences, unserved energy (only
when there is some) and the real-year check."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from bakuhub import i18n
from bakuhub.corridor.datasets import records
from bakuhub.corridor.report_tables import UNSERVED_SHOWN_TWH, cells, fmt, model, note, pct, sig
from bakuhub.i18n import _, ngettext

if TYPE_CHECKING:
    import pandas as pd


def _heading(level: int, text: str) -> str:
    return f"<h{level}>{html.escape(text)}</h{level}>"


def _unserved_twh(summary: dict[str, Any]) -> float:
    value = summary.get("unserved_twh")
    return float(value) if value else 0.0


def key_figures(summary: dict[str, Any]) -> str:
    """The key figures; unserved energy only when there is some."""
    rows = [
        [_("Total system cost"), fmt(summary["total_system_cost_eur_a"], 3, 1e9), _("bn EUR/a")],
        [_("Exported to the EU gateway"), fmt(summary["export_twh"]), "TWh/a"],
        [
            _("Average cost of delivered power at the gateway"),
            fmt(summary["gateway_price_eur_mwh"], 1),
            "EUR/MWh",
        ],
        [_("CO2 emitted"), fmt(summary["co2_emitted_mt"]), "Mt/a"],
    ]
    if summary.get("co2_avoided_mt") is not None:
        rows.append(
            [_("CO2 avoided against no Caspian cable"), fmt(summary["co2_avoided_mt"]), "Mt/a"]
        )
    if _unserved_twh(summary) >= UNSERVED_SHOWN_TWH:
        rows.append([_("Unserved energy"), sig(_unserved_twh(summary)), "TWh/a"])
    snapshots = int(summary["model"]["snapshots"])
    rows.append(
        [
            _("Resolution"),
            ngettext(
                "{resolution} ({count} snapshot)", "{resolution} ({count} snapshots)", snapshots
            ).format(resolution=summary["resolution"], count=i18n.number(snapshots)),
            "",
        ]
    )
    return cells(rows, (_("figure"), _("value"), _("unit"))) + note(
        _("Source: {model}; the sections below define each figure.").format(model=model())
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
            _heading(2, _("Unserved energy")),
            cells(
                rows,
                (_("node"), _("unserved, TWh/a"), _("share of the node's demand")),
                _("Demand unmet"),
            ),
            note(
                _(
                    "Source: {model}. Demand left unmet at the value of lost load "
                    "(scenario voll_eur_mwh): the scenario asks more than what may be built "
                    "can give."
                ).format(model=model())
            ),
        ]
    )


def counterfactual_section(summary: dict[str, Any]) -> str:
    """The counterfactual's figures beside the study's, and the differences."""
    cf = summary.get("counterfactual")
    if not cf:
        return ""
    figures: list[tuple[str, str, float, int]] = [
        (_("System cost"), "total_system_cost_eur_a", 1e9, 3),
        (_("CO2 emitted"), "co2_emitted_mt", 1.0, 2),
        (_("Exported to the EU gateway"), "export_twh", 1.0, 2),
        (_("Average cost at the gateway"), "gateway_price_eur_mwh", 1.0, 1),
    ]
    units = {"total_system_cost_eur_a": _("bn EUR/a"), "co2_emitted_mt": "Mt/a"}
    units |= {"export_twh": "TWh/a", "gateway_price_eur_mwh": "EUR/MWh"}
    if _unserved_twh(summary) >= UNSERVED_SHOWN_TWH or _unserved_twh(cf) >= UNSERVED_SHOWN_TWH:
        figures.append((_("Unserved energy"), "unserved_twh", 1.0, 3))
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
            _heading(2, _("Against the counterfactual")),
            cells(
                rows,
                (_("figure"), _("this study"), str(cf["scenario"]), _("difference"), _("unit")),
                _("The same scenario without the Caspian cable"),
            ),
            note(
                _(
                    "Difference = this study less the counterfactual: a negative system cost "
                    "difference is what the Caspian cable saves a year, a negative CO2 "
                    "difference the CO2 it avoids. The counterfactual is the same scenario "
                    "with the link CASPIAN off, solved the same way. Source: {model}, both "
                    "solves."
                ).format(model=model()),
                *_cable_adds_co2(summary, cf),
            ),
        ]
    )


def _cable_adds_co2(summary: dict[str, Any], cf: dict[str, Any]) -> list[str]:
    """One sentence when the Caspian cable adds CO2 rather than avoiding it (the least
    cost plan may use it to move cheaper, not cleaner, power: docs/corridor-method.md,
    "Limits"); none otherwise."""
    avoided = summary.get("co2_avoided_mt")
    ours, theirs = summary.get("total_system_cost_eur_a"), cf.get("total_system_cost_eur_a")
    if avoided is None or ours is None or theirs is None or round(float(avoided), 2) >= 0:
        return []
    saved = float(theirs) - float(ours)
    change = (
        _("saves {amount} M EUR/a").format(amount=fmt(saved, 0, 1e6))
        if saved >= 0
        else _("costs {amount} M EUR/a more").format(amount=fmt(-saved, 0, 1e6))
    )
    return [
        _(
            "Here the Caspian cable adds {co2} Mt/a of CO2 instead of avoiding it, and "
            "{change}: the least-cost plan, its CO2 price included, uses it to move "
            "cheaper power rather than cleaner power. A higher CO2 price or a renewable "
            "target in the scenario can change that."
        ).format(co2=fmt(-float(avoided)), change=change)
    ]


def signed(share: float) -> str:
    """A relative difference as a percentage with its sign (+1.25%, -0.40%, 0.00%)."""
    text = pct(share, 2)
    return "+" + text if round(float(share) * 100, 2) > 0 else text


def real_year_section(summary: dict[str, Any]) -> str:
    """The real-year check (``real_year.py``): its verdict, figures against the sizing
    solve, where and when demand went unserved, and how the cables were used.

    The verdict and the weather note are written again in the reader's language from
    the check's figures (the summary keeps them in English, for programs)."""
    from bakuhub.corridor.real_year import weather_note
    from bakuhub.corridor.real_year_figures import verdict

    check = summary.get("real_year")
    if not check:
        return ""

    def f3(value: Any, digits: int = 3) -> str:
        return fmt(value, digits)

    try:
        said = verdict(check)[1]
    except (KeyError, TypeError, ValueError):  # an older or partial summary
        said = str(check.get("verdict", ""))
    weather = weather_note(str(check["weather"])) if "weather" in check else check["weather_note"]
    target = check.get("export_target_twh")
    figures = [
        (
            _("System cost, bn EUR/a"),
            f3(check["system_cost_eur_a"] / 1e9),
            f3(check["sizing_cost_eur_a"] / 1e9),
            signed(check["cost_difference_rel"]),
        ),
        (
            _("Unserved energy, TWh/a"),
            f3(check["unserved_twh"]),
            "",
            _("{share} of demand").format(share=pct(check["unserved_share"], 3)),
        ),
        (
            _("Curtailment, TWh/a"),
            f3(check["curtailment_twh"]),
            f3(check["sizing_curtailment_twh"]),
            "",
        ),
        (
            _("Export delivered, TWh/a"),
            f3(check["export_twh"]),
            f3(check["sizing_export_twh"]),
            ""
            if target is None
            else _("target {target}, short {short}").format(
                target=f3(target), short=f3(check["export_shortfall_twh"])
            ),
        ),
    ]
    cycles = check.get("storage_full_cycles", {})
    sized = check.get("sizing_storage_full_cycles", {})
    figures += [
        (
            _("Full cycles a year, {store}").format(store=name),
            f3(value, 1),
            f3(sized.get(name), 1),
            "",
        )
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
    hours = int(check["hours"])
    operated = ngettext(
        "The design's capacities are fixed and operated through {hours} chronological hour "
        "in one LP.",
        "The design's capacities are fixed and operated through {hours} chronological hours "
        "in one LP.",
        hours,
    ).format(hours=i18n.number(hours))
    parts = [
        _heading(2, _("Real-year check")),
        f"<p>{html.escape(weather)} {html.escape(operated)}</p>",
        f"<p><strong>{html.escape(said)}</strong></p>",
        cells(figures, (_("figure"), _("full year"), _("sizing solve"), _("note"))),
    ]
    if nodes:
        parts += [
            _heading(3, _("Unserved energy by node")),
            cells(
                nodes,
                (_("node"), "TWh/a", _("share of demand"), _("hours"), _("peak MW")),
            ),
            _heading(3, _("Worst hours")),
            cells(worst, (_("hour"), _("node"), _("unserved MW"), _("demand MW"))),
        ]
    if cables:
        parts += [
            _heading(3, _("Cables over the year")),
            cells(cables, (_("cable"), "MW", _("mean utilisation"), _("hours at capacity"))),
        ]
    return "\n".join(parts)


def refinement_section(summary: dict[str, Any]) -> str:
    """The refinement on the full year (``hourly.py``): how far the operating solves moved
    the design's hourly cost, and the bounds on the hourly optimum."""
    done = summary.get("refinement")
    if not done:
        return ""
    sized = float(done["sizing_design_hourly_cost_eur_a"])
    best = float(done["upper_eur_a"])
    said = ngettext(
        "The sizing solve's design ({resolution}) was refined on the full year with {count} "
        "operating solve of the Benders decomposition.",
        "The sizing solve's design ({resolution}) was refined on the full year with {count} "
        "operating solves of the Benders decomposition.",
        int(done["evaluations"]),
    ).format(resolution=done["sizing_resolution"], count=i18n.number(int(done["evaluations"])))
    figures = [
        (_("Hourly cost of the sizing solve's design, bn EUR/a"), fmt(sized / 1e9, 3)),
        (_("Hourly cost of the refined design, bn EUR/a"), fmt(best / 1e9, 3)),
        (_("Lower bound on the hourly optimum, bn EUR/a"), fmt(done["lower_eur_a"] / 1e9, 3)),
        (_("Gap between the bounds"), pct(done["gap_rel"], 2)),
    ]
    note = _(
        "The hourly optimum lies between the lower bound and the refined design's cost; the "
        "tables and figures of this report are the refined design's."
    )
    return "\n".join(
        [
            _heading(2, _("Refined on the full year")),
            f"<p>{html.escape(said)} {html.escape(note)}</p>",
            cells(figures, (_("figure"), _("value"))),
        ]
    )
