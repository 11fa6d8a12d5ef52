"""The scenario editor's inputs of the system's groups: the scenario's description,
demand, costs and CO2, export to Europe, year, time and weather, and the cable
economics (in the form's order)."""

from __future__ import annotations

from bakuhub.corridor.scenario import CABLE_LEVELS
from bakuhub.i18n import N_
from bakuhub.web.pages.corridor_scenario_dataset import node_options
from bakuhub.web.pages.corridor_scenario_field import Input, choices

__all__ = ["system_inputs"]


def system_inputs() -> tuple[Input, ...]:
    """The single-valued inputs of the groups about, network, costs, europe, time and
    economics."""
    return (
        Input("description", ("description",), N_("Description"), "about", "textarea"),
        Input(
            "demand_scale",
            ("demand_scale",),
            N_("Demand growth (multiplier on every node's annual demand)"),
            "network",
            help=N_("1 is the dataset's demand; 1.2 is 20 % more; between 0 and 5. Empty: 1."),
        ),
        Input(
            "costs-cable_cost",
            ("costs", "cable_cost"),
            N_("Submarine cable cost level"),
            "costs",
            "select",
            choices(*CABLE_LEVELS),  # with their EUR/MW/km where shown (translated)
            help=N_("The levels and their sources are listed below."),
        ),
        Input(
            "costs-wacc",
            ("costs", "wacc"),
            N_("Discount rate (real, per year)"),
            "costs",
            help=N_("0.07 is 7 %. Empty: 0.07."),
        ),
        Input(
            "costs-usd_per_eur",
            ("costs", "usd_per_eur"),
            N_("Exchange rate (USD per EUR)"),
            "costs",
            help=N_("Converts the dataset's USD costs. Empty: 1.0813."),
        ),
        Input(
            "costs-set",
            ("costs", "set"),
            N_("Cost data set"),
            "costs",
            "select",
            choices("technology-data-v0.14.0"),
            help=N_("PyPSA technology-data v0.14.0 (the one shipped)."),
        ),
        Input(
            "co2-price_eur_t",
            ("co2", "price_eur_t"),
            N_("CO2 price (EUR per tonne)"),
            "costs",
            help=N_("Added to the cost of every tonne emitted. Empty: 0."),
        ),
        Input(
            "co2-cap_mt",
            ("co2", "cap_mt"),
            N_("CO2 cap (Mt per year)"),
            "costs",
            help=N_("Most CO2 the whole system may emit; empty: no cap."),
            optional=True,
        ),
        Input(
            "europe-mode",
            ("europe", "mode"),
            N_("Export mode"),
            "europe",
            "select",
            (
                ("target", N_("target: deliver a volume a year")),
                ("market", N_("market: sell at a price")),
                ("none", N_("none: no export")),
            ),
        ),
        Input(
            "europe-export_twh",
            ("europe", "export_twh"),
            N_("Export volume (TWh per year, mode target)"),
            "europe",
            help=N_("Empty: 8."),
        ),
        Input(
            "europe-price_eur_mwh",
            ("europe", "price_eur_mwh"),
            N_("Market price (EUR per MWh, mode market)"),
            "europe",
            help=N_("Empty: 90."),
        ),
        Input(
            "europe-gateway",
            ("europe", "gateway"),
            N_("Gateway to Europe"),
            "europe",
            "select",
            node_options(),
        ),
        Input(
            "year",
            ("year",),
            N_("Year"),
            "time",
            "select",
            choices("2030", "2035", "2040", "2050"),
        ),
        Input(
            "resolution",
            ("resolution",),
            N_("Time resolution"),
            "time",
            "text",
            help=N_(
                "hourly, Nh (e.g. 3h), repdays, repdays:K (K days a month), repdays/S or "
                "repdays:K/S (each day in S segments), or segments:N. Empty: repdays/12."
            ),
        ),
        Input(
            "weather-source",
            ("weather", "source"),
            N_("Weather source"),
            "time",
            "select",
            (
                ("shipped", N_("shipped representative days")),
                ("agora", N_("agora (command line only)")),
            ),
            help=N_(
                "A scenario saved here uses the shipped weather; the Agora folder is read "
                "by 'bakuhub corridor solve' on the server."
            ),
        ),
        Input(
            "real_year_check",
            ("real_year_check",),
            N_("After sizing, operate the design through the full year"),
            "time",
            "checkbox",
        ),
        Input(
            "refine_solves",
            ("refine_solves",),
            N_("Refine the design on the full year: operating solves"),
            "time",
            help=N_(
                "0 to 60. Each solve operates a design through the 8,760 hours (about half a "
                "minute) and moves it towards the hourly optimum. Empty: 0, no refinement."
            ),
        ),
        Input(
            "peak_rounds",
            ("peak_rounds",),
            N_("Re-size with the days the full year fell short on: rounds"),
            "time",
            help=N_(
                "0 to 10. Each round adds the days where the design left demand unserved "
                "in the full year, as they were, and sizes again (a sizing and a check "
                "more, about a minute). Empty: 1."
            ),
        ),
        Input(
            "voll_eur_mwh",
            ("voll_eur_mwh",),
            N_("Value of lost load (EUR per MWh)"),
            "economics",
            help=N_("The cost of demand not served. Empty: 10,000."),
        ),
        Input(
            "economics-export_price_eur_mwh",
            ("economics", "export_price_eur_mwh"),
            N_("Export price for the cable economics (EUR per MWh)"),
            "economics",
            help=N_("Empty: 90."),
        ),
        Input(
            "economics-horizon_years",
            ("economics", "horizon_years"),
            N_("Horizon of the cable economics (years)"),
            "economics",
            help=N_("1 to 100. Empty: 40."),
        ),
    )
