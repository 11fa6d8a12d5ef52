"""The scenario editor's inputs: every single-valued field of a corridor scenario as
a form input (:func:`inputs`: name, scenario path, label, group, kind, choices, help),
and the shipped dataset's nodes, links and cable-cost levels the form offers.

Lists and dictionaries (nodes, links, technologies, limits, targets) are drawn and read
by :mod:`bakuhub.web.pages.corridor_scenario_form`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from bakuhub.corridor.scenario import CABLE_LEVELS, EXTENDABLE, SolverTuning

__all__ = ["EXTENDABLE", "Input", "inputs"]

Values = dict[str, Any]
"""The form's values by input name: text, or a list of texts for a checkbox group."""
BLANK_ROWS = 2
MAX_ROWS = 100
LINK_COLUMNS = ("mode", "p_nom_mw", "min_mw", "max_mw")
LINK_LABELS = {
    "mode": "Mode",
    "p_nom_mw": "Capacity (MW, fixed)",
    "min_mw": "Minimum (MW)",
    "max_mw": "Maximum (MW)",
}
LINK_WORDS = {"p_nom_mw": "a capacity", "min_mw": "the minimum", "max_mw": "the maximum"}
LIMIT_COLUMNS = ("technology", "node", "max_mw")
TARGET_COLUMNS = ("country", "share")
GROUPS = (
    ("about", "The scenario"),
    ("network", "Nodes and demand"),
    ("links", "Cables and links"),
    ("build", "Technologies that may be built"),
    ("costs", "Costs and CO2"),
    ("targets", "Renewable targets"),
    ("europe", "Export to Europe"),
    ("time", "Year, time and weather"),
    ("economics", "Economics"),
    ("solver", "Solver"),
)
TECH_LABELS = {
    "solar": "Solar PV",
    "onwind": "Onshore wind",
    "offwind": "Offshore wind",
    "battery": "Battery storage",
    "CCGT": "Gas, combined cycle (CCGT)",
    "OCGT": "Gas, open cycle (OCGT)",
}
LINK_MODES = (
    ("", "(dataset default: free)"),
    ("free", "free: the model sizes it"),
    ("fixed", "fixed: exactly the capacity given"),
    ("bounds", "bounds: between the minimum and maximum"),
    ("off", "off: left out"),
)


@dataclass(frozen=True)
class Input:
    """One single-valued input: its name, scenario path, label, kind and choices.

    ``optional``: empty means "none" (null in the scenario); otherwise empty leaves the
    field out, so the scenario's default applies (said in ``help``).
    """

    name: str
    path: tuple[str, ...]
    label: str
    group: str
    kind: str = "number"
    options: tuple[tuple[str, str], ...] = ()
    help: str = ""
    optional: bool = False


def _choices(*values: str) -> tuple[tuple[str, str], ...]:
    return tuple((v, v) for v in values)


def _levels() -> tuple[tuple[str, str], ...]:
    """The cable-cost levels with their EUR/MW/km (the table lists the sources)."""
    out = []
    for level in CABLE_LEVELS:
        found = sorted(float(r["value"]) for r in cable_levels() if r["level"] == level)
        shown = " to ".join(f"{v:,.0f}" for v in dict.fromkeys((found[0], found[-1])))
        by_year = " by year" if len(found) > 1 else ""
        out.append((level, f"{level} ({shown} EUR/MW/km{by_year})" if found else level))
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
    return tuple((str(r["node"]), str(r["name"]), str(r["country"])) for _, r in frame.iterrows())


@cache
def links() -> tuple[tuple[str, str], ...]:
    """The dataset's links: (name, description)."""
    from bakuhub.corridor.datasets import read_table

    frame = read_table("links.csv")
    return tuple(
        (str(r["link"]), f"{r['bus0']} - {r['bus1']}, {r['technology']} ({r['status']})")
        for _, r in frame.iterrows()
    )


def node_options() -> tuple[tuple[str, str], ...]:
    return tuple((code, f"{code}: {name}") for code, name, _ in nodes())


def countries() -> tuple[str, ...]:
    return tuple(dict.fromkeys(country for _, _, country in nodes()))


@cache
def inputs() -> tuple[Input, ...]:
    """Every single-valued input of the editor, in the order of the form."""
    tuning = SolverTuning.model_fields
    solver = [
        Input(
            f"solver-options-{key}",
            ("solver", "options", key),
            f"Solver: {key.replace('_', ' ')}",
            "solver",
            "select" if key == "method" else "number",
            (("", "(solver default)"), *_choices("choose", "simplex", "ipm", "pdlp", "hipo"))
            if key == "method"
            else (),
            help=f"{info.description or ''}; empty: the solver's default".lstrip("; "),
            optional=True,
        )
        for key, info in tuning.items()
    ]
    return (
        Input("description", ("description",), "Description", "about", "textarea"),
        Input(
            "demand_scale",
            ("demand_scale",),
            "Demand growth (multiplier on every node's annual demand)",
            "network",
            help="1 is the dataset's demand; 1.2 is 20 % more; between 0 and 5. Empty: 1.",
        ),
        Input(
            "costs-cable_cost",
            ("costs", "cable_cost"),
            "Submarine cable cost level",
            "costs",
            "select",
            _levels(),
            help="The levels and their sources are listed below.",
        ),
        Input(
            "costs-wacc",
            ("costs", "wacc"),
            "Discount rate (real, per year)",
            "costs",
            help="0.07 is 7 %. Empty: 0.07.",
        ),
        Input(
            "costs-usd_per_eur",
            ("costs", "usd_per_eur"),
            "Exchange rate (USD per EUR)",
            "costs",
            help="Converts the dataset's USD costs. Empty: 1.0813.",
        ),
        Input(
            "costs-set",
            ("costs", "set"),
            "Cost data set",
            "costs",
            "select",
            _choices("technology-data-v0.14.0"),
            help="PyPSA technology-data v0.14.0 (the one shipped).",
        ),
        Input(
            "co2-price_eur_t",
            ("co2", "price_eur_t"),
            "CO2 price (EUR per tonne)",
            "costs",
            help="Added to the cost of every tonne emitted. Empty: 0.",
        ),
        Input(
            "co2-cap_mt",
            ("co2", "cap_mt"),
            "CO2 cap (Mt per year)",
            "costs",
            help="Most CO2 the whole system may emit; empty: no cap.",
            optional=True,
        ),
        Input(
            "europe-mode",
            ("europe", "mode"),
            "Export mode",
            "europe",
            "select",
            (
                ("target", "target: deliver a volume a year"),
                ("market", "market: sell at a price"),
                ("none", "none: no export"),
            ),
        ),
        Input(
            "europe-export_twh",
            ("europe", "export_twh"),
            "Export volume (TWh per year, mode target)",
            "europe",
            help="Empty: 8.",
        ),
        Input(
            "europe-price_eur_mwh",
            ("europe", "price_eur_mwh"),
            "Market price (EUR per MWh, mode market)",
            "europe",
            help="Empty: 90.",
        ),
        Input(
            "europe-gateway",
            ("europe", "gateway"),
            "Gateway to Europe",
            "europe",
            "select",
            node_options(),
        ),
        Input(
            "year",
            ("year",),
            "Year",
            "time",
            "select",
            _choices("2030", "2035", "2040", "2050"),
        ),
        Input(
            "resolution",
            ("resolution",),
            "Time resolution",
            "time",
            "text",
            help=(
                "hourly, Nh (e.g. 3h), repdays, repdays:K (K days a month), repdays/S or "
                "repdays:K/S (each day in S segments), or segments:N. Empty: repdays/12."
            ),
        ),
        Input(
            "weather-source",
            ("weather", "source"),
            "Weather source",
            "time",
            "select",
            (("shipped", "shipped representative days"), ("agora", "agora (command line only)")),
            help="A scenario saved here uses the shipped weather; the Agora folder is read "
            "by 'bakuhub corridor solve' on the server.",
        ),
        Input(
            "real_year_check",
            ("real_year_check",),
            "After sizing, operate the design through the full year",
            "time",
            "checkbox",
        ),
        Input(
            "voll_eur_mwh",
            ("voll_eur_mwh",),
            "Value of lost load (EUR per MWh)",
            "economics",
            help="The cost of demand not served. Empty: 10,000.",
        ),
        Input(
            "economics-export_price_eur_mwh",
            ("economics", "export_price_eur_mwh"),
            "Export price for the cable economics (EUR per MWh)",
            "economics",
            help="Empty: 90.",
        ),
        Input(
            "economics-horizon_years",
            ("economics", "horizon_years"),
            "Horizon of the cable economics (years)",
            "economics",
            help="1 to 100. Empty: 40.",
        ),
        Input(
            "solver-name",
            ("solver", "name"),
            "Solver",
            "solver",
            "select",
            _choices("clarabel", "highs", "cupdlpx", "cuopt"),
            help="clarabel is the default; cupdlpx and cuopt need an NVIDIA GPU on the server.",
        ),
        *solver,
    )


def by_name() -> dict[str, Input]:
    return {i.name: i for i in inputs()}
