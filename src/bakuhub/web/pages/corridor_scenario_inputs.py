"""The scenario editor's inputs: every single-valued field of a corridor scenario as
a form input (:func:`inputs`: name, scenario path, label, group, kind, choices, help),
and the shipped dataset's nodes, links and cable-cost levels the form offers.

Lists and dictionaries (nodes, links, technologies, limits, targets) are drawn and read
by :mod:`bakuhub.web.pages.corridor_scenario_form`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from bakuhub import i18n
from bakuhub.corridor.scenario import CABLE_LEVELS, EXTENDABLE, SolverTuning
from bakuhub.i18n import N_, _

__all__ = ["EXTENDABLE", "Input", "inputs", "shown_inputs", "translated"]

Values = dict[str, Any]
"""The form's values by input name: text, or a list of texts for a checkbox group."""
BLANK_ROWS = 2
MAX_ROWS = 100
LINK_COLUMNS = ("mode", "p_nom_mw", "min_mw", "max_mw")
LINK_LABELS = {
    "mode": N_("Mode"),
    "p_nom_mw": N_("Capacity (MW, fixed)"),
    "min_mw": N_("Minimum (MW)"),
    "max_mw": N_("Maximum (MW)"),
}
LINK_WORDS = {
    "p_nom_mw": N_("a capacity"),
    "min_mw": N_("the minimum"),
    "max_mw": N_("the maximum"),
}
LIMIT_COLUMNS = ("technology", "node", "max_mw")
TARGET_COLUMNS = ("country", "share")
GROUPS = (
    ("about", N_("The scenario")),
    ("network", N_("Nodes and demand")),
    ("links", N_("Cables and links")),
    ("build", N_("Technologies that may be built")),
    ("costs", N_("Costs and CO2")),
    ("targets", N_("Renewable targets")),
    ("europe", N_("Export to Europe")),
    ("time", N_("Year, time and weather")),
    ("economics", N_("Economics")),
    ("negotiation", N_("For the negotiation")),
    ("solver", N_("Solver")),
)
"""The editor's groups of inputs (titles translated where shown: :func:`groups`)."""
TECH_LABELS = {
    "solar": N_("Solar PV"),
    "onwind": N_("Onshore wind"),
    "offwind": N_("Offshore wind"),
    "battery": N_("Battery storage"),
    "CCGT": N_("Gas, combined cycle (CCGT)"),
    "OCGT": N_("Gas, open cycle (OCGT)"),
}
LINK_MODES = (
    ("", N_("(dataset default: free)")),
    ("free", N_("free: the model sizes it")),
    ("fixed", N_("fixed: exactly the capacity given")),
    ("bounds", N_("bounds: between the minimum and maximum")),
    ("off", N_("off: left out")),
)


@dataclass(frozen=True)
class Input:
    """One single-valued input: its name, scenario path, label, kind and choices.

    ``optional``: empty means "none" (null in the scenario); otherwise empty leaves the
    field out, so the scenario's default applies (said in ``help``). ``label``, ``help``
    and the choices' texts are English, marked for translation: :func:`translated` gives
    them in the reader's language (``{option}`` and ``{about}`` filled in then).
    """

    name: str
    path: tuple[str, ...]
    label: str
    group: str
    kind: str = "number"
    options: tuple[tuple[str, str], ...] = ()
    help: str = ""
    optional: bool = False
    about: str = ""


def _choices(*values: str) -> tuple[tuple[str, str], ...]:
    return tuple((v, v) for v in values)


def _levels() -> tuple[tuple[str, str], ...]:
    """The cable-cost levels with their EUR/MW/km (the table lists the sources), in the
    reader's language and digits."""
    out = []
    for level in CABLE_LEVELS:
        found = sorted(float(r["value"]) for r in cable_levels() if r["level"] == level)
        if not found:
            out.append((level, level))
            continue
        low, high = i18n.number(found[0]), i18n.number(found[-1])
        if found[0] != found[-1]:
            text = _("{level} ({low} to {high} EUR/MW/km by year)")
        elif len(found) > 1:
            text = _("{level} ({low} EUR/MW/km by year)")
        else:
            text = _("{level} ({low} EUR/MW/km)")
        out.append((level, text.format(level=level, low=low, high=high)))
    return tuple(out)


@cache
def cable_levels() -> tuple[dict[str, Any], ...]:
    """The shipped cable-cost levels: level, year, value, unit, source."""
    from bakuhub.corridor.datasets import cable_cost_levels

    frame = cable_cost_levels()
    return tuple({str(k): v for k, v in row.items()} for row in frame.to_dict("records"))


@cache
def nodes() -> tuple[tuple[str, str, str], ...]:
    """The dataset's nodes: (code, name, country)."""
    from bakuhub.corridor.datasets import read_table

    frame = read_table("nodes.csv")
    return tuple(
        (str(r["node"]), str(r["name"]), str(r["country"])) for _unused, r in frame.iterrows()
    )


@cache
def links() -> tuple[tuple[str, str], ...]:
    """The dataset's links: (name, description)."""
    from bakuhub.corridor.datasets import read_table

    frame = read_table("links.csv")
    return tuple(
        (str(r["link"]), f"{r['bus0']} - {r['bus1']}, {r['technology']} ({r['status']})")
        for _unused, r in frame.iterrows()
    )


@cache
def inputs() -> tuple[Input, ...]:
    """Every single-valued input of the editor, in the order of the form."""
    tuning = SolverTuning.model_fields
    solver = [
        Input(
            f"solver-options-{key}",
            ("solver", "options", key),
            N_("Solver: {option}"),
            "solver",
            "select" if key == "method" else "number",
            (("", N_("(solver default)")), *_choices("choose", "simplex", "ipm", "pdlp", "hipo"))
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
            _choices(*CABLE_LEVELS),  # with their EUR/MW/km where shown (translated)
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
            _choices("technology-data-v0.14.0"),
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
            _choices("2030", "2035", "2040", "2050"),
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
        Input(
            "solver-name",
            ("solver", "name"),
            N_("Solver"),
            "solver",
            "select",
            _choices("clarabel", "highs", "cupdlpx", "cuopt"),
            help=N_("clarabel is the default; cupdlpx and cuopt need an NVIDIA GPU on the server."),
        ),
        *solver,
    )


def by_name() -> dict[str, Input]:
    return {i.name: i for i in inputs()}


def translated(one: Input) -> Input:
    """The input with its label, help and choices in the reader's language."""
    label = _(one.label).format(option=one.path[-1].replace("_", " "))
    help_text = _(one.help).format(about=one.about) if one.help else ""
    if one.name == "costs-cable_cost":
        options = _levels()
    else:
        options = tuple((value, _(text)) for value, text in one.options)
    return replace(one, label=label, help=help_text, options=options)


def shown_inputs() -> tuple[Input, ...]:
    """Every input of the editor, in the reader's language."""
    return tuple(translated(i) for i in inputs())


def groups() -> tuple[tuple[str, str], ...]:
    """The groups of inputs with their titles in the reader's language."""
    return tuple((key, _(title)) for key, title in GROUPS)


def node_options() -> tuple[tuple[str, str], ...]:
    return tuple((code, f"{code}: {name}") for code, name, _unused in nodes())


def countries() -> tuple[str, ...]:
    return tuple(dict.fromkeys(country for _unused, _unused2, country in nodes()))
