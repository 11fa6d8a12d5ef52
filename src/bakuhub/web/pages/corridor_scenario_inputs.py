"""The scenario editor's inputs: every single-valued field of a corridor scenario as a
form input (:func:`inputs`: name, scenario path, label, group, kind, choices, help),
gathered in the form's order from the modules of each group
(:mod:`~bakuhub.web.pages.corridor_scenario_system_inputs`,
:mod:`~bakuhub.web.pages.corridor_scenario_molecule_inputs`,
:mod:`~bakuhub.web.pages.corridor_scenario_pathway_inputs`,
:mod:`~bakuhub.web.pages.corridor_scenario_option_inputs`), translated for the reader;
and the form's groups and row columns.

Lists and dictionaries (nodes, links, technologies, limits, targets) are drawn and read
by :mod:`bakuhub.web.pages.corridor_scenario_form`.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from bakuhub import i18n
from bakuhub.corridor.scenario import EXTENDABLE
from bakuhub.i18n import N_, _
from bakuhub.web.pages.corridor_scenario_dataset import (
    cable_levels,
    countries,
    level_options,
    links,
    node_options,
    nodes,
)
from bakuhub.web.pages.corridor_scenario_field import Input, Values
from bakuhub.web.pages.corridor_scenario_molecule_inputs import molecule_inputs
from bakuhub.web.pages.corridor_scenario_option_inputs import negotiation_inputs, solver_inputs
from bakuhub.web.pages.corridor_scenario_pathway_inputs import pathway_inputs
from bakuhub.web.pages.corridor_scenario_system_inputs import system_inputs

__all__ = [
    "EXTENDABLE",
    "Input",
    "Values",
    "cable_levels",
    "countries",
    "inputs",
    "links",
    "node_options",
    "nodes",
    "shown_inputs",
    "translated",
]

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
    ("molecules", N_("Hydrogen and ammonia")),
    ("molecules_export", N_("Export of hydrogen or ammonia")),
    ("time", N_("Year, time and weather")),
    ("pathway", N_("Several years (pathway)")),
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


@cache
def inputs() -> tuple[Input, ...]:
    """Every single-valued input of the editor, in the order of the form."""
    return (
        *system_inputs(),
        *molecule_inputs(),
        *pathway_inputs(),
        *negotiation_inputs(),
        *solver_inputs(),
    )


def by_name() -> dict[str, Input]:
    return {i.name: i for i in inputs()}


def translated(one: Input) -> Input:
    """The input with its label, help and choices in the reader's language."""
    label = _(one.label).format(option=one.path[-1].replace("_", " "))
    numbers = {key: i18n.decimal(value) for key, value in one.numbers}
    help_text = _(one.help).format(about=one.about, **numbers) if one.help else ""
    if one.name == "costs-cable_cost":
        options = level_options()
    else:
        options = tuple((value, _(text)) for value, text in one.options)
    return replace(one, label=label, help=help_text, options=options)


def shown_inputs() -> tuple[Input, ...]:
    """Every input of the editor, in the reader's language."""
    return tuple(translated(i) for i in inputs())


def groups() -> tuple[tuple[str, str], ...]:
    """The groups of inputs with their titles in the reader's language."""
    return tuple((key, _(title)) for key, title in GROUPS)
