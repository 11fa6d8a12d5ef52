"""The report's (and the study page's) tables for a negotiation: who gains from the
Caspian cable, how its partners could share the cost, what the EU's carbon border
charges, and which choices the economics force (``analyses.py`` made the figures).

Each section reads the study summary only and is empty when the summary lacks its part.
"""

from __future__ import annotations

import html
from typing import Any

from bakuhub.corridor.report_tables import cells, fmt, note, pct
from bakuhub.i18n import _


def _heading(text: str, anchor: str) -> str:
    return f"<h2 id='{anchor}'>{html.escape(text)}</h2>"


def _m(value: Any) -> str:
    """EUR/a as million EUR/a, one decimal."""
    return fmt(value, 1, 1e6)


def _para(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def benefits_section(summary: dict[str, Any]) -> str:
    """Benefits by country of the Caspian cable against the counterfactual, and of the
    other cables (or sets of them) against theirs."""
    found = summary.get("benefits")
    parts = [_benefits(found, _("Who gains from the Caspian cable"), "benefits")] if found else []
    titles = {
        ("BLACKSEA",): _("Who gains from the Black Sea cable"),
        ("CASPIAN", "BLACKSEA"): _("Who gains from the Caspian and Black Sea cables together"),
    }
    for i, more in enumerate(summary.get("benefits_more") or []):
        cables = tuple(more["cables"])
        title = titles.get(cables) or _("Who gains from {cables}").format(cables=", ".join(cables))
        parts.append(_benefits(more, title, f"benefits-{i + 1}"))
    return "\n".join(parts)


def _export_said(found: dict[str, Any]) -> str:
    """What the counterfactual's lost export is worth, when it lost any."""
    mwh, value = found.get("export_change_mwh"), found.get("export_value_change_eur_a")
    if mwh is None or value is None or abs(float(mwh)) < 1.0:  # below a MWh: noise
        return ""
    return _(
        "Without the cables studied, the export cannot reach the European gateway: the "
        "counterfactual exports {twh} TWh/a less, worth {price} EUR/MWh to the European buyer "
        "({value} M EUR/a, in its consumer surplus). The net benefit is the saving in total "
        "system cost plus that value."
    ).format(twh=fmt(mwh, 2, 1e6), price=fmt(value / mwh, 1), value=_m(value))


def _benefits(found: dict[str, Any], title: str, anchor: str) -> str:
    """One table of benefits by party against its counterfactual."""
    rows = [
        [
            _("the European buyer") if row["party"] == "EU export" else str(row["party"]),
            _m(row["gross_benefit_eur_a"]),
            _m(row["consumer_surplus_eur_a"]),
            _m(row["producer_surplus_eur_a"]),
            _m(row["congestion_rent_eur_a"]),
            _m(row["grid_cost_eur_a"]),
            fmt(row["co2_t"], 0, 1e3),
            fmt(row["unserved_mwh"], 1, 1e3),
        ]
        for row in sorted(found["parties"], key=lambda r: -float(r["gross_benefit_eur_a"]))
    ]
    header = (
        _("party"),
        _("gross benefit, M EUR/a"),
        _("consumer surplus, M EUR/a"),
        _("producer surplus, M EUR/a"),
        _("congestion rent, M EUR/a"),
        _("grid cost, M EUR/a"),
        _("CO2, kt/a"),
        _("unserved energy, GWh/a"),
    )
    said = _(
        "The cable ({cables}) costs {cost} M EUR/a; the parties gain {gross} M EUR/a in "
        "all, so its net benefit is {net} M EUR/a, the saving in total system cost "
        "({change} M EUR/a)."
    ).format(
        cables=", ".join(found["cables"]),
        cost=_m(found["cable_cost_eur_a"]),
        gross=_m(float(found["net_benefit_eur_a"]) + float(found["cable_cost_eur_a"])),
        net=_m(found["net_benefit_eur_a"]),
        change=_m(-float(found["system_cost_change_eur_a"])),
    )
    export = _export_said(found)
    return "\n".join(
        [
            _heading(title, anchor),
            _para(said),
            *([_para(export)] if export else []),
            cells(rows, header, _("Changes with the cable against the counterfactual")),
            note(
                _(
                    "Method: socio-economic welfare by the total-surplus approach of the "
                    "4th ENTSO-E Guideline for Cost Benefit Analysis of Grid Development "
                    "Projects (CBA 4.0), at the model's nodal prices; congestion rent half "
                    "to each end country; the cable's own cost is kept apart, as the cost "
                    "to share. CO2 and unserved energy: changes, not in the welfare."
                )
            ),
        ]
    )


def sharing_section(summary: dict[str, Any]) -> str:
    """Cost shares of the Caspian project from its partners' coalitions."""
    found = summary.get("cost_sharing")
    if not found:
        return ""
    rows = [
        [
            row["country"],
            _m(row["gross_benefit_eur_a"]),
            _m(row["proportional_pays_eur_a"]),
            _m(row["proportional_net_eur_a"]),
            _m(row["shapley_pays_eur_a"]),
            _m(row["shapley_net_eur_a"]),
        ]
        for row in found["shares"]
    ]
    header = (
        _("country"),
        _("gross benefit, M EUR/a"),
        _("pays (proportional), M EUR/a"),
        _("net (proportional), M EUR/a"),
        _("pays (Shapley), M EUR/a"),
        _("net (Shapley), M EUR/a"),
    )
    core = found["core"]
    verdicts = []
    for rule, label in (("shapley", _("Shapley")), ("proportional", _("proportional"))):
        verdict = core.get(rule)
        if verdict is None:
            continue
        if verdict["in_core"]:
            verdicts.append(
                _(
                    "The {rule} split is in the core: no group of partners does better alone."
                ).format(rule=label)
            )
        else:
            groups = "; ".join(
                _("{members} would get {allocated} M EUR/a but {alone} M EUR/a alone").format(
                    members=" + ".join(b["members"]),
                    allocated=_m(b["allocated_eur_a"]),
                    alone=_m(b["alone_eur_a"]),
                )
                for b in verdict["blocking"]
            )
            verdicts.append(
                _("The {rule} split is not in the core: {groups}.").format(
                    rule=label, groups=groups
                )
            )
    if core.get("empty"):
        verdicts.append(_("The core is empty: no split keeps every group of partners on board."))
    coalitions = [
        [
            " + ".join(c["members"]) or _("none"),
            _m(c["value_eur_a"]),
            _m(c["cable_cost_eur_a"]),
            ", ".join(f"{k} {fmt(v, 0)} MW" for k, v in c["cables_mw"].items()) or "-",
        ]
        for c in found["coalitions"]
    ]
    said = _(
        "The project ({cables}) costs {cost} M EUR/a when all its partners ({partners}) "
        "build it; together they gain {value} M EUR/a more than with no project."
    ).format(
        cables=", ".join(found["cables"]),
        cost=_m(found["cable_cost_eur_a"]),
        partners=", ".join(found["partners"]),
        value=_m(found["value_of_grand_coalition_eur_a"]),
    )
    return "\n".join(
        [
            _heading(_("Who pays: sharing the cost of the Caspian project"), "cost-sharing"),
            _para(said),
            cells(rows, header, _("Two proposals for sharing the project's annual cost")),
            _para(" ".join(verdicts)),
            cells(
                coalitions,
                (_("coalition"), _("value, M EUR/a"), _("cable cost, M EUR/a"), _("cables")),
                _("What each group of partners achieves alone (one solve each)"),
            ),
            note(
                _(
                    "Proportional: each partner pays in proportion to its positive gross "
                    "benefit (the cross-border cost allocation logic of ACER Recommendation "
                    "No 02/2023). Shapley: each partner's average added value over every "
                    "order of joining. A coalition may build a project cable only when "
                    "every country at its ends is a member."
                )
            ),
        ]
    )


def cbam_section(summary: dict[str, Any]) -> str:
    """What the EU's carbon border charges the exports, and how the plan changes."""
    found = summary.get("cbam")
    if not found:
        return ""
    figures, change = found["cbam"], found["change"]
    mode = {
        "default-factor": _("exports charged at the EU carbon price on a default factor"),
        "green-match": _("every exported MWh matched hour by hour by contracted renewables"),
    }.get(str(figures["mode"]), str(figures["mode"]))
    delivered = float(figures.get("export_mwh") or 0.0)
    rows = [
        (_("CBAM mode"), mode),
        (_("Emission factor, t CO2/MWh"), fmt(figures.get("factor_t_mwh"), 3)),
        (_("CBAM charge, EUR per MWh delivered"), fmt(figures.get("charge_eur_mwh"), 2)),
        (_("CBAM payment, M EUR/a"), _m(figures.get("payment_eur_a"))),
        (_("Energy delivered to the EU, TWh/a"), fmt(delivered, 2, 1e6)),
        (_("Change in total system cost, M EUR/a"), _m(change["system_cost_change_eur_a"])),
        (
            _("Change in total system cost, EUR per MWh delivered"),
            fmt(change.get("system_cost_change_eur_per_mwh_delivered"), 2),
        ),
        (
            _("Change in CO2 emitted, kt/a"),
            fmt(float(change["co2_with_cbam_t_a"]) - float(change["co2_base_t_a"]), 0, 1e3),
        ),
    ]
    if "export_in_binding_snapshots_share" in figures:
        rows.append(
            (
                _("Exports in hours where the match binds"),
                pct(figures["export_in_binding_snapshots_share"]),
            )
        )
    moved = [
        [
            c["country"],
            c["technology"],
            fmt(c["base"], 0),
            fmt(c["with_cbam"], 0),
            fmt(c["change"], 0),
        ]
        for c in change["capacity"]
    ] + [
        [
            _("cable"),
            c["cable"],
            fmt(c["base_mw"], 0),
            fmt(c["with_cbam_mw"], 0),
            fmt(c["change_mw"], 0),
        ]
        for c in change["cables"]
    ]
    parts = [
        _heading(_("The carbon border (CBAM)"), "cbam"),
        cells([list(r) for r in rows], (_("figure"), _("value"))),
    ]
    if moved:
        parts.append(
            cells(
                moved,
                (_("country"), _("technology"), _("without CBAM"), _("with CBAM"), _("change")),
                _("Capacities that CBAM moves (MW; battery energy MWh)"),
            )
        )
    else:
        parts.append(_para(_("CBAM does not change what is built.")))
    rules = "".join(
        f"<li>{html.escape(r['text'])} <cite>{html.escape(r['source'])}</cite></li>"
        for r in figures.get("rules", [])
    )
    if rules:
        title = html.escape(_("The rules applied"))
        parts.append(f"<details><summary>{title}</summary><ul>{rules}</ul></details>")
    return "\n".join(parts)


def near_optimal_section(summary: dict[str, Any]) -> str:
    """Near-optimal ranges: what the economics force and what is open."""
    found = summary.get("near_optimal")
    if not found:
        return ""
    rows = [
        [
            str(r["target"]),
            fmt(r["least_cost"], 0),
            fmt(r["min"], 0),
            fmt(r["max"], 0),
            str(r["unit"]),
        ]
        for r in found["ranges"]
    ]
    said = _(
        "Every plan whose total system cost is at most {slack} above the least cost "
        "({budget} bn EUR/a) was searched for the least and the most of each choice "
        "({solves} solves). A narrow range is forced by the economics; a wide one is open "
        "to other reasons."
    ).format(
        slack=pct(found["slack"], 0),
        budget=fmt(found["budget_eur_a"], 3, 1e9),
        solves=found["solves"],
    )
    return "\n".join(
        [
            _heading(_("What is forced and what is free"), "near-optimal"),
            _para(said),
            cells(
                rows,
                (_("choice"), _("least cost"), _("minimum"), _("maximum"), _("unit")),
                _("Near-optimal ranges (modelling to generate alternatives)"),
            ),
        ]
    )


def negotiation_sections(summary: dict[str, Any]) -> str:
    """Every negotiation table the summary has, in reading order."""
    parts = (
        benefits_section(summary),
        sharing_section(summary),
        cbam_section(summary),
        near_optimal_section(summary),
    )
    return "\n".join(part for part in parts if part)
