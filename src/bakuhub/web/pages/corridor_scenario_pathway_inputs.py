"""The scenario editor's inputs of the pathway group (``pathway``: several years in one
study): the years, how they are solved, and the demand growth after 2035.

The group's model is read from the scenario's own field (:func:`pathway_model`), so
these inputs exist exactly when the scenario has the group; the years offered and the
bounds said in the help come from the model's JSON schema. The renewable targets per
year (a dictionary) are drawn and read by
:mod:`bakuhub.web.pages.corridor_scenario_pathway`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel

from bakuhub.corridor.scenario import Scenario
from bakuhub.i18n import N_
from bakuhub.web.pages.corridor_scenario_field import Input, choices, schema_limits

__all__ = ["pathway_inputs", "pathway_model", "pathway_years"]

GROUP = "pathway"


def pathway_model() -> type[BaseModel] | None:
    """The model of the scenario's ``pathway`` group (None where the scenario has none)."""
    field = Scenario.model_fields.get("pathway")
    model = field.annotation if field is not None else None
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


@cache
def _schema() -> dict[str, Any]:
    model = pathway_model()
    return model.model_json_schema() if model is not None else {}


def pathway_years() -> tuple[str, ...]:
    """The years a pathway may solve (those with shipped technology-data rows)."""
    items = _schema().get("properties", {}).get("years", {}).get("items", {})
    return tuple(str(y) for y in items.get("enum", ()))


@cache
def pathway_inputs() -> tuple[Input, ...]:
    """The single-valued inputs of the group pathway (none without the group)."""
    if pathway_model() is None:
        return ()
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
                    N_("perfect foresight: all years at once (not yet available)"),
                ),
            ),
            help=N_(
                "Myopic decides as the partners do, on each year's prices. Perfect "
                "foresight (the least-cost path if the future were known) is not yet "
                "available for the corridor model: a study asking for it is refused when "
                "it starts."
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
