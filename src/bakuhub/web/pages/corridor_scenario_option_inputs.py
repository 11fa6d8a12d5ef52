"""The scenario editor's inputs for the negotiation (the EU carbon border, cost shares,
near-optimal ranges) and for the solver (its name and tuning options)."""

from __future__ import annotations

from bakuhub.corridor.solver_options import SolverTuning
from bakuhub.i18n import N_
from bakuhub.web.pages.corridor_scenario_field import Input, choices

__all__ = ["negotiation_inputs", "solver_inputs"]


def negotiation_inputs() -> tuple[Input, ...]:
    """The inputs of the group negotiation (CBAM, cost shares, near-optimal ranges)."""
    return (
        Input(
            "cbam-mode",
            ("cbam", "mode"),
            N_("EU carbon border (CBAM) on the exports"),
            "negotiation",
            "select",
            (
                ("", N_("(off)")),
                ("default-factor", N_("default factor: charged at the EU carbon price")),
                ("green-match", N_("green match: hour by hour by contracted renewables")),
            ),
            help=N_(
                "The study then also solves the scenario without CBAM and reports the "
                "charge per MWh delivered and how the plan changes. Empty: off."
            ),
        ),
        Input(
            "cbam-carbon_price_eur_t",
            ("cbam", "carbon_price_eur_t"),
            N_("EU carbon price for CBAM (EUR per t CO2)"),
            "negotiation",
            help=N_("Needed for the default factor."),
            optional=True,
        ),
        Input(
            "cbam-factor_t_mwh",
            ("cbam", "factor_t_mwh"),
            N_("Emission factor of the exports (t CO2 per MWh)"),
            "negotiation",
            help=N_("Empty: estimated from the exporting country's fossil fleet."),
            optional=True,
        ),
        Input(
            "cbam-contracted",
            ("cbam", "contracted"),
            N_("Renewables that may be contracted for the green match"),
            "negotiation",
            "select",
            (("", N_("(all: existing and new)")), ("all", N_("all")), ("new", N_("new only"))),
        ),
        Input(
            "negotiation-both_cables",
            ("negotiation", "both_cables"),
            N_("Benefits of the Caspian and Black Sea cables together"),
            "negotiation",
            "checkbox",
            help=N_("One more solve: the corridor without either cable (and its export)."),
        ),
        Input(
            "negotiation-cost_sharing",
            ("negotiation", "cost_sharing"),
            N_("Cost shares of the Caspian project (Shapley, proportional)"),
            "negotiation",
            "checkbox",
            help=N_("Solves the partners' 8 coalitions at the study's resolution."),
        ),
        Input(
            "negotiation-near_optimal_slack",
            ("negotiation", "near_optimal_slack"),
            N_("Near-optimal ranges within this cost slack (share, e.g. 0.05)"),
            "negotiation",
            help=N_(
                "0 to 0.5: the least and most of each cable and each country's solar, wind, "
                "storage and gas in plans at most this much dearer (two solves a range). "
                "Empty: none."
            ),
            optional=True,
        ),
    )


def solver_inputs() -> tuple[Input, ...]:
    """The solver's name and each of its tuning options (empty: the solver's default)."""
    tuning = SolverTuning.model_fields
    solver = [
        Input(
            f"solver-options-{key}",
            ("solver", "options", key),
            N_("Solver: {option}"),
            "solver",
            "select" if key == "method" else "number",
            (("", N_("(solver default)")), *choices("choose", "simplex", "ipm", "pdlp", "hipo"))
            if key == "method"
            else (),
            help=N_("{about}; empty: the solver's default")
            if info.description
            else N_("empty: the solver's default"),
            optional=True,
            about=info.description or "",
        )
        for key, info in tuning.items()
    ]
    return (
        Input(
            "solver-name",
            ("solver", "name"),
            N_("Solver"),
            "solver",
            "select",
            choices("clarabel", "highs", "cupdlpx", "cuopt"),
            help=N_("clarabel is the default; cupdlpx and cuopt need an NVIDIA GPU on the server."),
        ),
        *solver,
    )
