"""The scenario editor's inputs of the pathway group (``pathway``: several years in one
study): the years, how they are solved, and the demand growth after 2035.

The years offered and the bounds said in the help come from the group's model's JSON
schema (:class:`~bakuhub.corridor.pathway_options.PathwayOptions`), so the browser and
the server agree. The renewable targets per
year (a dictionary) are drawn and read by
:mod:`bakuhub.web.pages.corridor_scenario_pathway`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from bakuhub.corridor.pathway_options import PathwayOptions
from bakuhub.i18n import N_
from bakuhub.web.pages.corridor_scenario_field import Input, choices, schema_limits

__all__ = ["pathway_inputs", "pathway_model", "pathway_years"]

GROUP = "pathway"


def pathway_model() -> type[PathwayOptions]:
    """The model of the scenario's ``pathway`` group."""
    return PathwayOptions


@cache
def _schema() -> dict[str, Any]:
    return PathwayOptions.model_json_schema()


def pathway_years() -> tuple[str, ...]:
    """The years a pathway may solve (those with shipped technology-data rows)."""
    items = _schema().get("properties", {}).get("years", {}).get("items", {})
    return tuple(str(y) for y in items.get("enum", ()))


@cache
def pathway_inputs() -> tuple[Input, ...]:
    """The single-valued inputs of the group pathway."""
    growth = schema_limits(_schema(), "demand_growth_after_2035_pct")
    return (
        Input(
            "pathway-years",
            ("pathway", "years"),
            N_("Years of the pathway"),
            GROUP,
            "multi",
            choices(*pathway_years()),
            help=N_(
                "Tick two or more: the corridor is planned for each, what is built in one "
                "year standing in the next until its lifetime ends. None ticked: no "
                "pathway, the scenario's year alone."
            ),
        ),
        Input(
            "pathway-mode",
            ("pathway", "mode"),
            N_("How the years are solved"),
            GROUP,
            "select",
            (
                (
                    "myopic",
                    N_("myopic: one year after the other, each on that year's costs"),
                ),
                (
                    "perfect-foresight",
                    N_("perfect foresight: all years at once, every year's costs known"),
                ),
            ),
            help=N_(
                "Myopic (the default) decides as the partners do, on each year's prices, "
                "one year's model at a time. Perfect foresight solves all years as one "
                "model, knowing every year's costs, demand and targets: the least-cost "
                "path, a bound myopic cannot beat, and a model as large as all the years "
                "together (use a coarse resolution)."
            ),
        ),
        Input(
            "pathway-demand_growth_after_2035_pct",
            ("pathway", "demand_growth_after_2035_pct"),
            N_("Demand growth after 2035 (% a year)"),
            GROUP,
            help=N_(
                "Compounded from the 2035 demand. {low} to {high}. Empty: {default} (the "
                "2030-2035 growth of the Agora loads, continued: an assumption)."
            ),
            numbers=tuple(growth.items()),
        ),
    )
